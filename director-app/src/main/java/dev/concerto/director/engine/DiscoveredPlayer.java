package dev.concerto.director.engine;

import dev.concerto.player.AddressText;
import dev.concerto.protocol.TimedCodec;
import java.util.List;
import java.util.Objects;

/**
 * A player the director found by itself, by mDNS or by its unicast join announce. Immutable.
 *
 * @param name          the name it announced
 * @param host          the address it was found at (an IP literal)
 * @param port          its UDP port
 * @param version       its software version ("0.1.0"), or "" when it did not say
 * @param protocols     the protocols it speaks ("legacy", "timed/1")
 * @param generator     its tone generator ("pi4j", "javasound"), or ""
 * @param voice         the voice it would like to play, or ""
 * @param via           how it was found
 * @param lastSeenNanos when it was last heard of, director monotonic nanoseconds
 */
public record DiscoveredPlayer(String name, String host, int port, String version, List<String> protocols,
                               String generator, String voice, Via via, long lastSeenNanos) {

    /** How a player was found. */
    public enum Via {
        /** A unicast join announce (PROTOCOL.md §3). */
        JOIN("join"),
        /** DNS-SD over multicast DNS (PROTOCOL.md §4). */
        MDNS("mdns");

        private final String key;

        Via(String key) {
            this.key = key;
        }

        /** "join" or "mdns", for text and JSON output. */
        public String key() {
            return key;
        }
    }

    public DiscoveredPlayer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(version, "version");
        protocols = List.copyOf(protocols);
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(voice, "voice");
        Objects.requireNonNull(via, "via");
    }

    /** "host:port", or "[v6]:port" for an IPv6 literal. */
    public String address() {
        return AddressText.of(host, port);
    }

    /** Whether it speaks the timed protocol (and so answers clock-sync requests). */
    public boolean speaksTimed() {
        return protocols.contains(TimedCodec.VERSION_TIMED_1);
    }

    /** The roster protocol to use for it: timed when it speaks it, else legacy. */
    public Protocol rosterProtocol() {
        return speaksTimed() ? Protocol.TIMED : Protocol.LEGACY;
    }

    /** This player as a roster entry playing {@code voice}. */
    public RosterEntry toRosterEntry(String rosterName, String voiceToPlay) {
        return new RosterEntry(rosterName, host, port, rosterProtocol(), voiceToPlay);
    }
}
