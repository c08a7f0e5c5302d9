package dev.concerto.protocol;

import java.util.List;
import java.util.Objects;

/**
 * The messages of the unicast join (see {@link JoinCodec} for their grammar and PROTOCOL.md §3):
 * a player's {@link Announce} to a director, and the director's {@link Ack}.
 */
public sealed interface JoinMessage permits JoinMessage.Announce, JoinMessage.Ack {

    /** The announce's sequence number, 0..{@link TimedMessage#MAX_SEQ}. */
    long seq();

    /**
     * "I am a player, reachable at this datagram's source address on {@code port}; forget me after
     * {@code ttlSeconds} unless I announce again." A {@code ttlSeconds} of 0 withdraws the player
     * (sent when it stops).
     *
     * @param seq        one per announce sent, so an ack names the announce it answers
     * @param port       the player's UDP port (tones and syncs go there), 1..65535
     * @param ttlSeconds how long the director keeps the player without a new announce, 0..{@link JoinCodec#MAX_TTL_SECONDS}
     * @param name       the player's name: a {@linkplain JoinCodec#isToken token}
     * @param version    the player's software version, a token ("0.1.0", "0.1.0-SNAPSHOT")
     * @param protocols  the protocols it speaks, e.g. [legacy, timed/1]: each a version token
     * @param generator  its tone generator ("javasound", "pi4j", "virtual", ...), a token
     * @param voice      the voice it would like to play, a token, or "" for none ("-" on the wire)
     */
    record Announce(long seq, int port, int ttlSeconds, String name, String version, List<String> protocols,
                    String generator, String voice) implements JoinMessage {
        public Announce {
            JoinCodec.requireSeq(seq);
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port " + port + " outside 1..65535");
            }
            if (ttlSeconds < 0 || ttlSeconds > JoinCodec.MAX_TTL_SECONDS) {
                throw new IllegalArgumentException("ttl " + ttlSeconds + " s outside 0.." + JoinCodec.MAX_TTL_SECONDS);
            }
            JoinCodec.requireToken("name", name);
            JoinCodec.requireToken("version", version);
            JoinCodec.requireToken("generator", generator);
            Objects.requireNonNull(voice, "voice");
            if (!voice.isEmpty()) {
                JoinCodec.requireToken("voice", voice);
            }
            protocols = List.copyOf(protocols);
            if (protocols.isEmpty()) {
                throw new IllegalArgumentException("a player speaks at least one protocol");
            }
            for (String p : protocols) {
                if (p.isEmpty() || !p.chars().allMatch(TimedCodec::isVersionChar)) {
                    throw new IllegalArgumentException("bad protocol token '" + p + "'");
                }
            }
        }

        /** Whether this announce withdraws the player (ttl 0). */
        public boolean isGoodbye() {
            return ttlSeconds == 0;
        }
    }

    /**
     * The director's answer to an announce: "I have you; announce again within the ttl".
     *
     * @param seq the sequence number of the announce acknowledged
     */
    record Ack(long seq) implements JoinMessage {
        public Ack {
            JoinCodec.requireSeq(seq);
        }
    }
}
