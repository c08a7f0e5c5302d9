package dev.concerto.netem;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How late datagrams left a {@link PathProxy} against the release time decided for them: a
 * histogram of 10 µs buckets up to 10 ms (the last bucket counts everything above) and the
 * maximum. Recorded by the releasing thread, read by anyone. A {@link PathProxy} keeps two more of
 * the same kind for how long after its arrival the receiving thread read each datagram, one per
 * direction (recorded by that thread). Thread-safe, allocation-free.
 */
public final class ReleaseLateness {

    private static final int BUCKETS = 1_001;
    private static final long BUCKET_NANOS = 10_000;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong maxNanos = new AtomicLong();

    /** One datagram left {@code lateNanos} after its time (0 or more). */
    void record(long lateNanos) {
        long late = Math.max(0, lateNanos);
        counts.incrementAndGet((int) Math.min(BUCKETS - 1, late / BUCKET_NANOS));
        maxNanos.accumulateAndGet(late, Math::max);
    }

    /** A percentile (0..100) of the lateness, µs, at 10 µs resolution; 10 ms or more reads as 10000; 0 before any. */
    public long percentileMicros(double percentile) {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(percentile / 100.0 * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return i * BUCKET_NANOS / 1_000;
            }
        }
        return (BUCKETS - 1) * BUCKET_NANOS / 1_000;
    }

    /** The latest any datagram left, µs. */
    public long maxMicros() {
        return maxNanos.get() / 1_000;
    }
}
