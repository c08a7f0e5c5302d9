package dev.concerto.director.engine;

import java.util.Objects;

/**
 * One player in a roster, as written in a roster file: who it is, where it listens, how to talk to
 * it, and which voice of the score it plays. Several entries may play the same voice (doubling).
 *
 * @param name            a label people recognise ("bass Pi", "HOST3")
 * @param host            a hostname or an IPv4/IPv6 literal; resolved once when playing starts
 * @param port            UDP port, 1..65535
 * @param protocol        how to talk to it: the plain integer, the timed protocol (PROTOCOL.md), or
 *                        timed when the player answers the clock-sync exchange ({@link Protocol})
 * @param voice           the score voice this player sounds
 * @param latencyOffsetMs timed protocol only: added to every start time sent to this player, in
 *                        milliseconds, {@value RosterRules#MAX_LATENCY_OFFSET_MS} at most either way;
 *                        negative makes it play earlier (a slow amplifier or a Bluetooth speaker
 *                        that sounds late gets a negative offset). 0 by default.
 */
public record RosterEntry(String name, String host, int port, Protocol protocol, String voice, double latencyOffsetMs) {
    public RosterEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(voice, "voice");
    }

    /** An entry without a latency offset. */
    public RosterEntry(String name, String host, int port, Protocol protocol, String voice) {
        this(name, host, port, protocol, voice, 0);
    }

    /** This entry with another protocol. */
    public RosterEntry withProtocol(Protocol newProtocol) {
        return new RosterEntry(name, host, port, newProtocol, voice, latencyOffsetMs);
    }
}
