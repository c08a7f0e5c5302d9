package dev.concerto.netem;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one direction of a {@link PathProxy} did with the datagrams it received. Counted by the
 * proxy's receiving and releasing threads; read by anyone. Thread-safe.
 */
public final class PathCounters {

    final AtomicLong received = new AtomicLong();
    final AtomicLong forwarded = new AtomicLong();
    final AtomicLong lostRandom = new AtomicLong();
    final AtomicLong lostBurst = new AtomicLong();
    final AtomicLong duplicated = new AtomicLong();
    final AtomicLong reordered = new AtomicLong();
    final AtomicLong overflow = new AtomicLong();

    public long received() {
        return received.get();
    }

    /** Datagrams sent on (a duplicate counts twice). */
    public long forwarded() {
        return forwarded.get();
    }

    /** Lost by the independent loss draw. */
    public long lostRandom() {
        return lostRandom.get();
    }

    /** Lost in an outage ({@link BurstLoss}). */
    public long lostBurst() {
        return lostBurst.get();
    }

    public long duplicated() {
        return duplicated.get();
    }

    public long reordered() {
        return reordered.get();
    }

    /** Dropped because {@value ReleaseQueue#MAX_HELD} were already held. */
    public long overflow() {
        return overflow.get();
    }

    @Override
    public String toString() {
        return String.format("received %d, forwarded %d, lost %d + %d in outages, duplicated %d, reordered %d%s",
                received(), forwarded(), lostRandom(), lostBurst(), duplicated(), reordered(),
                overflow() > 0 ? ", overflow " + overflow() : "");
    }
}
