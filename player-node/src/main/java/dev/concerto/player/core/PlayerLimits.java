package dev.concerto.player.core;

import dev.concerto.protocol.TimedCodec;

/**
 * How much a timed message may ask of a player: the guards that keep a tone from outliving its
 * director. The defaults comfortably cover what a Concerto director sends (leases of at most 2 s,
 * a lead of 100–300 ms, late messages a few hundred ms behind) and are stated in PROTOCOL.md.
 *
 * @param maxLeaseMillis the longest lease honoured, ms (1..{@link TimedCodec#MAX_LEASE_MILLIS}); a
 *                       longer one is cut to it and counted ({@code leases-clamped})
 * @param maxAheadMillis how far ahead of its arrival a message may start, ms (&ge; 1); a message
 *                       starting later is refused ({@code too-early})
 * @param maxAgeMillis   with a key: how far before its arrival a message may start, ms (&ge; 1); an
 *                       older one is refused ({@code too-old}), so a held-back copy cannot be played
 *                       later. Not applied without a key (the unkeyed protocol is unchanged)
 */
public record PlayerLimits(int maxLeaseMillis, int maxAheadMillis, int maxAgeMillis) {

    /** Default longest lease: 10 s, five times the director's 2 s. */
    public static final int DEFAULT_MAX_LEASE_MILLIS = 10_000;
    /** Default furthest start ahead: 10 s, far beyond any lead the director uses. */
    public static final int DEFAULT_MAX_AHEAD_MILLIS = 10_000;
    /** Default freshness window of signed messages: 2 s. */
    public static final int DEFAULT_MAX_AGE_MILLIS = 2_000;

    /** The defaults above. */
    public static final PlayerLimits DEFAULTS = new PlayerLimits(DEFAULT_MAX_LEASE_MILLIS, DEFAULT_MAX_AHEAD_MILLIS,
            DEFAULT_MAX_AGE_MILLIS);

    public PlayerLimits {
        if (maxLeaseMillis < 1 || maxLeaseMillis > TimedCodec.MAX_LEASE_MILLIS) {
            throw new IllegalArgumentException("the longest lease must be 1.." + TimedCodec.MAX_LEASE_MILLIS
                    + " ms, got " + maxLeaseMillis);
        }
        if (maxAheadMillis < 1) {
            throw new IllegalArgumentException("how far ahead a tone may start must be at least 1 ms, got "
                    + maxAheadMillis);
        }
        if (maxAgeMillis < 1) {
            throw new IllegalArgumentException("the freshness window must be at least 1 ms, got " + maxAgeMillis);
        }
    }
}
