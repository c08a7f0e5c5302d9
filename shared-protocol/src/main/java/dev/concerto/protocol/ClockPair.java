package dev.concerto.protocol;

/**
 * The two clocks of a {@link Clock} read at one instant: the monotonic nanos and the wall-clock µs
 * that belong together, to map one onto the other. Two plain calls in a row are not that on a busy
 * machine: a thread preempted between them pairs readings milliseconds apart. {@link #read} brackets
 * the wall-clock reading between two monotonic ones, keeps the tightest bracket of a few tries and
 * pairs the wall clock with its midpoint. Immutable.
 *
 * @param nanos       the monotonic reading, ns
 * @param epochMicros the wall clock at that instant, µs since 1970
 * @param spanNanos   how far apart the bracketing monotonic readings were, ns (the pairing's uncertainty)
 */
public record ClockPair(long nanos, long epochMicros, long spanNanos) {

    /** A bracket this tight is taken at once, ns. */
    static final long GOOD_SPAN_NANOS = 20_000;
    /** Tries before the tightest bracket so far is taken. */
    static final int TRIES = 4;

    /** Reads both clocks together (at most {@value #TRIES} tries). Any thread. */
    public static ClockPair read(Clock clock) {
        ClockPair best = null;
        for (int i = 0; i < TRIES; i++) {
            long before = clock.nanoTime();
            long epoch = clock.epochMicros();
            long after = clock.nanoTime();
            long span = after - before;
            if (best == null || span < best.spanNanos()) {
                best = new ClockPair(before + span / 2, epoch, span);
            }
            if (span <= GOOD_SPAN_NANOS) {
                break;
            }
        }
        return best;
    }

    /** Wall clock minus monotonic clock, µs: add it to a monotonic time in µs to get wall-clock µs. */
    public long epochMinusMonotonicMicros() {
        return epochMicros - Math.floorDiv(nanos, 1_000L);
    }
}
