package dev.concerto.player.discovery;

import dev.concerto.protocol.JoinCodec;
import dev.concerto.protocol.JoinMessage;
import dev.concerto.protocol.SoftwareVersion;
import dev.concerto.protocol.TimedCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a player tells directors about itself, by join announce and by mDNS TXT record. Immutable.
 *
 * @param name      its name, made a {@linkplain JoinCodec#isToken token} ("player 1" becomes "player_1")
 * @param port      its UDP port (tones and syncs)
 * @param version   its software version
 * @param protocols the protocols it speaks
 * @param generator its tone generator, a token ("pi4j", "javasound", "virtual")
 * @param voice     the voice it would like to play, or ""
 */
public record PlayerAdvert(String name, int port, String version, List<String> protocols, String generator,
                           String voice) {

    /** The TXT keys of the mDNS record (PROTOCOL.md §4). */
    public static final String TXT_NAME = "name";
    public static final String TXT_PROTOCOLS = "proto";
    public static final String TXT_VERSION = "ver";
    public static final String TXT_GENERATOR = "gen";
    public static final String TXT_VOICE = "voice";

    public PlayerAdvert {
        name = JoinCodec.toToken(Objects.requireNonNull(name, "name"));
        generator = JoinCodec.toToken(Objects.requireNonNull(generator, "generator"));
        voice = Objects.requireNonNull(voice, "voice").isEmpty() ? "" : JoinCodec.toToken(voice);
        protocols = List.copyOf(protocols);
        Objects.requireNonNull(version, "version");
    }

    /** This build's player: both protocols, this software version. */
    public static PlayerAdvert of(String name, int port, String generator, String voice) {
        return new PlayerAdvert(name, port, SoftwareVersion.current(),
                List.of(TimedCodec.VERSION_LEGACY, TimedCodec.VERSION_TIMED_1), generator, voice);
    }

    /** The join announce with sequence number {@code seq} and {@code ttlSeconds} (0 = goodbye). */
    public JoinMessage.Announce announce(long seq, int ttlSeconds) {
        return new JoinMessage.Announce(seq, port, ttlSeconds, name, version, protocols, generator, voice);
    }

    /** The mDNS TXT record. */
    public Map<String, String> txt() {
        Map<String, String> txt = new LinkedHashMap<>();
        txt.put(TXT_NAME, name);
        txt.put(TXT_PROTOCOLS, String.join(",", protocols));
        txt.put(TXT_VERSION, version);
        txt.put(TXT_GENERATOR, generator);
        txt.put(TXT_VOICE, voice);
        return txt;
    }
}
