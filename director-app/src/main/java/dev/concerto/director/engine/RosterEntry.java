package dev.concerto.director.engine;

import java.util.Objects;

/**
 * One player in a roster, as written in a roster file: who it is, where it listens, how to talk to
 * it, and which voice of the score it plays. Several entries may play the same voice (doubling).
 *
 * @param name     a label people recognise ("bass Pi", "HOST3")
 * @param host     a hostname or an IPv4/IPv6 literal; resolved once when playing starts
 * @param port     UDP port, 1..65535
 * @param protocol {@code "legacy"} (the plain integer); {@code "timed"} and {@code "auto"} arrive with the timed protocol
 * @param voice    the score voice this player sounds
 */
public record RosterEntry(String name, String host, int port, String protocol, String voice) {
    public RosterEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(voice, "voice");
    }
}
