package dev.concerto.director.engine;

import dev.concerto.protocol.Authenticator;
import java.time.Duration;
import java.util.Objects;

/**
 * How the director speaks the timed protocol (PROTOCOL.md section 2) to {@code timed} and
 * {@code auto} players.
 *
 * @param leadMillis     how far ahead each change is sent, ms, 1..10000; with {@code autoLead} the lead
 *                       before the path is known (default {@value #DEFAULT_LEAD_MILLIS})
 * @param redundancy     how many copies of each timed message are sent, 1..10 (players apply the first)
 * @param authenticator  signs every timed message and checks every reply, or {@code null} for no key
 * @param syncTimeout    how long opening waits for each timed or auto player's first clock-sync
 *                       answers before it refuses to play (timed) or falls back to the plain integer (auto)
 * @param maxLeaseMillis the longest lease put on one message, ms; a longer note is extended by
 *                       re-sending it before its lease runs out, so a player whose director vanished
 *                       falls silent within this time (default {@value #DEFAULT_MAX_LEASE_MILLIS})
 * @param autoLead       choose each player's lead from its path ({@link DeliveryPolicy}), starting
 *                       from {@code leadMillis}; false: {@code leadMillis} throughout (--lead-ms)
 * @param autoRedundancy choose each player's redundancy from its path's loss, starting from
 *                       {@code redundancy}; false: {@code redundancy} throughout (--redundancy)
 */
public record TimedOptions(int leadMillis, int redundancy, Authenticator authenticator, Duration syncTimeout,
                           int maxLeaseMillis, boolean autoLead, boolean autoRedundancy) {

    public static final int DEFAULT_LEAD_MILLIS = 100;
    public static final int DEFAULT_MAX_LEASE_MILLIS = 2_000;
    public static final Duration DEFAULT_SYNC_TIMEOUT = Duration.ofMillis(1_500);
    /** Added to a note's length for its lease: a lost "0" ends the tone this much after the note, ms. */
    public static final int LEASE_MARGIN_MILLIS = 250;

    public TimedOptions {
        if (leadMillis < 1 || leadMillis > 10_000) {
            throw new IllegalArgumentException("lead " + leadMillis + " ms is outside 1..10000");
        }
        if (redundancy < 1 || redundancy > 10) {
            throw new IllegalArgumentException("redundancy " + redundancy + " is outside 1..10");
        }
        Objects.requireNonNull(syncTimeout, "syncTimeout");
        if (syncTimeout.isNegative() || syncTimeout.isZero()) {
            throw new IllegalArgumentException("sync timeout must be positive");
        }
        int longestLead = autoLead ? (int) (DeliveryPolicy.MAX_LEAD_MICROS / 1000) : leadMillis;
        if (maxLeaseMillis < 2 * LEASE_MARGIN_MILLIS + longestLead || maxLeaseMillis > 600_000) {
            throw new IllegalArgumentException("max lease " + maxLeaseMillis + " ms must be at least twice the margin ("
                    + LEASE_MARGIN_MILLIS + " ms) plus the lead, and at most 600000");
        }
    }

    /**
     * Lead and redundancy chosen per player from its path (starting at 100 ms and one copy), no key,
     * 1.5 s to sync, 2 s leases.
     */
    public static TimedOptions defaults() {
        return new TimedOptions(DEFAULT_LEAD_MILLIS, 1, null, DEFAULT_SYNC_TIMEOUT, DEFAULT_MAX_LEASE_MILLIS, true, true);
    }

    /** A fixed lead for every player (no automatic choice). */
    public TimedOptions withLead(int millis) {
        return new TimedOptions(millis, redundancy, authenticator, syncTimeout,
                Math.max(maxLeaseMillis, 2 * LEASE_MARGIN_MILLIS + millis), false, autoRedundancy);
    }

    /** A fixed number of copies for every player (no automatic choice). */
    public TimedOptions withRedundancy(int copies) {
        return new TimedOptions(leadMillis, copies, authenticator, syncTimeout, maxLeaseMillis, autoLead, false);
    }

    public TimedOptions withAuthenticator(Authenticator auth) {
        return new TimedOptions(leadMillis, redundancy, auth, syncTimeout, maxLeaseMillis, autoLead, autoRedundancy);
    }

    public TimedOptions withSyncTimeout(Duration timeout) {
        return new TimedOptions(leadMillis, redundancy, authenticator, timeout, maxLeaseMillis, autoLead, autoRedundancy);
    }

    public TimedOptions withMaxLease(int millis) {
        return new TimedOptions(leadMillis, redundancy, authenticator, syncTimeout, millis, autoLead, autoRedundancy);
    }
}
