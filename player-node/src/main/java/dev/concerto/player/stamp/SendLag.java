package dev.concerto.player.stamp;

import java.util.Arrays;

/**
 * How long after a user-space stamp a datagram's kernel send stamp comes: the median of the last
 * {@value #WINDOW} samples ({@code kernel send stamp - user stamp}, ns). A player stamps its sync
 * reply's {@code t3} before it sends, so it cannot put the reply's own kernel stamp in it; it stamps
 * {@code user + estimate()} instead, the estimate learnt from the replies before. A median, so one
 * preempted send (a sample of milliseconds) moves nothing.
 *
 * <p>Not thread-safe: one owner (the socket's thread).
 */
public final class SendLag {

    /** Samples the median is taken over. */
    public static final int WINDOW = 32;
    /** Samples outside {@code 0 .. MAX_SAMPLE_NANOS} are not taken (a clock step, a mismatched stamp), ns. */
    public static final long MAX_SAMPLE_NANOS = 10_000_000L;

    private final long[] samples = new long[WINDOW];
    private final long[] sorted = new long[WINDOW];
    private int count;
    private int next;
    private long estimate;

    /**
     * Takes one sample.
     *
     * @return whether it was taken (within {@code 0 .. MAX_SAMPLE_NANOS})
     */
    public boolean add(long kernelMinusUserNanos) {
        if (kernelMinusUserNanos < 0 || kernelMinusUserNanos > MAX_SAMPLE_NANOS) {
            return false;
        }
        samples[next] = kernelMinusUserNanos;
        next = (next + 1) % WINDOW;
        count = Math.min(WINDOW, count + 1);
        System.arraycopy(samples, 0, sorted, 0, count);
        Arrays.sort(sorted, 0, count);
        estimate = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
        return true;
    }

    /** The median of the samples taken, ns; 0 before the first. */
    public long estimate() {
        return estimate;
    }

    /** Samples taken so far (at most {@value #WINDOW} count). */
    public int count() {
        return count;
    }
}
