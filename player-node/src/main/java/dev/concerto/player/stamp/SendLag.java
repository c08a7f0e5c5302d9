package dev.concerto.player.stamp;

import java.util.Arrays;

/**
 * How long after a user-space stamp a datagram's kernel send stamp comes: a low quantile (the
 * {@value #RANK}th smallest, counting from 0) of the last {@value #WINDOW} samples
 * ({@code kernel send stamp - user stamp}, ns). A player stamps its sync reply's {@code t3} before it
 * sends, so it cannot put the reply's own kernel stamp in it; it stamps {@code user + estimate()}
 * instead, the estimate learnt from the replies before.
 *
 * <p>Why low and not the median: the director's estimator keeps the exchanges with the shortest round
 * trips, which are the replies that left soonest, whose lag is near the smallest. Stamped with the
 * median lag those replies look as if they left later than they did: the round trip looks shorter than
 * it was (below zero on loopback, where it is a few µs, and then the exchange is rejected) and the
 * offset too high. The smallest alone would follow one lucky sample; one above it does not.
 *
 * <p>0 until the window is full, and never above {@value #MAX_ESTIMATE_NANOS} ns: a warm send path
 * takes tens of µs from the stamp to the kernel, but the first replies of a process are sent by cold
 * code on a busy start (on the bench, 1.5–8 ms after their stamps; {@code t3} stamped with such a lag
 * was ms late, and the director saw a round trip shorter than the path's and an offset 1.4 ms off;
 * capped, one reply still looked 50 µs faster than the path can be, and its offset, 135 µs off,
 * anchored the estimate for a second). A {@code t3} too late shortens the round trip the director
 * trusts the exchange by; one too early (by the lag not yet added) only lengthens it.
 *
 * <p>Not thread-safe: one owner (the socket's thread).
 */
public final class SendLag {

    /** Samples the estimate is taken over. */
    public static final int WINDOW = 32;
    /** Which of the sorted samples is the estimate once the window is full (0 = the smallest). */
    public static final int RANK = 1;
    /** Samples outside {@code 0 .. MAX_SAMPLE_NANOS} are not taken (a clock step, a mismatched stamp), ns. */
    public static final long MAX_SAMPLE_NANOS = 10_000_000L;
    /** The estimate is never above this, ns. */
    public static final long MAX_ESTIMATE_NANOS = 200_000L;

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
        estimate = count < WINDOW ? 0 : Math.min(MAX_ESTIMATE_NANOS, sorted[RANK]);
        return true;
    }

    /**
     * The {@value #RANK}th smallest of the samples in the window, at most {@value #MAX_ESTIMATE_NANOS},
     * ns; 0 until the window is full.
     */
    public long estimate() {
        return estimate;
    }

    /** Samples taken so far (at most {@value #WINDOW} count). */
    public int count() {
        return count;
    }
}
