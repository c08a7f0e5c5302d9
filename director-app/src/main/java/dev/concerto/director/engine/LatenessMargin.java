package dev.concerto.director.engine;

/**
 * How much the scheduler's own lateness adds to the roster's lead. A change handed over {@code L}
 * late arrives {@code L} later; the paths' leads ({@link DeliveryPolicy}) cover the network, not a
 * director that sends a chord to a thousand players one after another or is preempted. So the
 * lateness of each hand-over (sent minus its send time) raises this margin at once, up to
 * {@value #MAX_NANOS} ns. It holds while hand-overs keep needing at least half of it, and
 * {@value #HOLD_NANOS} ns after the last that did it comes down by {@value #SHRINK_PER_NANO} ns per
 * ns that passes (50 ms a second) — slower than time, so the send horizon ({@code now + lead})
 * never moves back.
 *
 * <p>A raise pulls forward the changes due within it: they are handed over at once, after their
 * new (earlier) send time, and their lateness says nothing about the scheduler; so only hand-overs
 * whose send time is at or after the last raise count (and the rest of the burst that raised it:
 * the same send time).
 *
 * <p>Pure (director monotonic ns passed in); not thread-safe (the scheduler thread's).
 */
final class LatenessMargin {

    /** Largest margin, ns. */
    static final long MAX_NANOS = 500_000_000L;
    /** The margin stays this long after a hand-over that needed at least half of it, ns. */
    static final long HOLD_NANOS = 10_000_000_000L;
    /** Then it comes down by this much per ns that passes. */
    static final double SHRINK_PER_NANO = 0.05;

    private long marginNanos;
    private long asOfNanos = Long.MIN_VALUE;
    private long raisedAtNanos = Long.MIN_VALUE;
    /** The send time of the hand-over that raised the margin last (the rest of its burst still counts). */
    private long raisingSendAtNanos = Long.MIN_VALUE;
    private long heldUntilNanos = Long.MIN_VALUE;

    /** The margin as of the last hand-over, ns. */
    long nanos() {
        return marginNanos;
    }

    /**
     * A change meant to go at {@code sendAtNanos} went at {@code sentNanos}.
     *
     * @return whether the margin changed
     */
    boolean handedOver(long sendAtNanos, long sentNanos) {
        long before = marginNanos;
        if (asOfNanos != Long.MIN_VALUE && sentNanos > Math.max(asOfNanos, heldUntilNanos)) {
            long from = Math.max(asOfNanos, heldUntilNanos);
            marginNanos = Math.max(0, marginNanos - (long) ((sentNanos - from) * SHRINK_PER_NANO));
        }
        asOfNanos = Math.max(asOfNanos, sentNanos);
        if (sendAtNanos >= raisedAtNanos || sendAtNanos == raisingSendAtNanos) {
            long late = sentNanos - sendAtNanos;
            if (late > marginNanos) {
                marginNanos = Math.min(MAX_NANOS, late);
                raisedAtNanos = sentNanos;
                raisingSendAtNanos = sendAtNanos;
            }
            if (late > 0 && 2 * late >= marginNanos) {
                heldUntilNanos = sentNanos + HOLD_NANOS; // still needed: keep it
            }
        }
        return marginNanos != before;
    }
}
