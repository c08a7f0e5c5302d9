package dev.concerto.director.engine;

/**
 * What one roster player is doing now, as the engine last told it.
 *
 * @param playerName  the roster entry's name
 * @param voice       the voice it plays
 * @param hz          the frequency last sent, 0 when silent
 * @param noteName    that note's name ("C4"), or "" when silent
 * @param liveness    what the director knows of the player's health
 * @param rttMicros   last round-trip time in microseconds, or -1 when unknown
 * @param offsetMicros clock offset in microseconds (player minus director), or 0 when unknown
 * @param path        a timed player's path (RTT percentiles, jitter, loss, skew) and the lead and
 *                    redundancy chosen for it, or null (plain integer, or not measured yet)
 */
public record PlayerActivity(String playerName, String voice, double hz, String noteName,
                             Liveness liveness, long rttMicros, long offsetMicros, PathTracker.Status path) {

    /** Without path figures. */
    public PlayerActivity(String playerName, String voice, double hz, String noteName, Liveness liveness,
                          long rttMicros, long offsetMicros) {
        this(playerName, voice, hz, noteName, liveness, rttMicros, offsetMicros, null);
    }

    /** What the director knows of whether a player is there. */
    public enum Liveness {
        /** Answered a status query recently. */
        REACHABLE,
        /** Speaks a protocol that answers status queries, but has stopped answering. */
        SILENT,
        /** Never answers (a plain-integer ESP8266): neither up nor down as far as we can tell. */
        UNKNOWN
    }
}
