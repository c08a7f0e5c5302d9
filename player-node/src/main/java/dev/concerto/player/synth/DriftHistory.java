package dev.concerto.player.synth;

/**
 * The decimated history of a line's error against the map, from which {@link LineTimekeeper} fits the
 * line's rate: one point (clock ns, error in frames) per {@value #STEP_MILLIS} ms, the newest
 * {@value #POINTS} kept, each in the segment it was taken in (a new segment after each correction or
 * step, so a step is not taken for a rate).
 *
 * <p>Pure and not thread-safe: the audio thread's, through its keeper. No allocation after construction.
 */
final class DriftHistory {

    /** Points kept: one per {@value #STEP_MILLIS} ms. */
    static final int POINTS = 256;
    /** Time between points, ms. */
    static final long STEP_MILLIS = 100;

    private final long[] nanos = new long[POINTS];
    private final double[] errors = new double[POINTS];
    private final int[] segments = new int[POINTS];
    private int segment;
    private int count;
    private int next;
    private long lastNanos = Long.MIN_VALUE;

    /** The points from here on belong to a new segment (after a correction or a step). */
    void newSegment() {
        segment++;
    }

    /** Keeps {@code error} (frames) at {@code nanoTime} if {@value #STEP_MILLIS} ms passed since the last point. */
    void offer(long nanoTime, double error) {
        if (count > 0 && nanoTime - lastNanos < STEP_MILLIS * 1_000_000L) {
            return;
        }
        lastNanos = nanoTime;
        nanos[next] = nanoTime;
        errors[next] = error;
        segments[next] = segment;
        next = (next + 1) % POINTS;
        count = Math.min(count + 1, POINTS);
    }

    /** How far back from {@code nanoTime} the history reaches, ns (0 with fewer than two points). */
    double spanNanos(long nanoTime) {
        return count < 2 ? 0 : nanoTime - nanos[index(0)];
    }

    /**
     * Re-expresses the errors against a map whose rate changed by {@code rateChange} (frames per ns),
     * re-anchored at {@code nanoTime}: error' = error + rateChange·(t − nanoTime).
     */
    void rateChanged(double rateChange, long nanoTime) {
        for (int k = 0; k < count; k++) {
            int j = index(k);
            errors[j] += rateChange * (nanos[j] - nanoTime);
        }
    }

    /**
     * The slope of the errors against time, frames per ns: least squares within each segment, pooled
     * (one line's slope, each segment its own intercept), so the steps a correction leaves — a stall's
     * size misjudged by a report or two, audio a slow line really lost — are not taken for a rate.
     */
    double slope() {
        double sxxAll = 0;
        double sxyAll = 0;
        long t0 = nanos[index(0)];
        int current = Integer.MIN_VALUE;
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int k = 0; k <= count; k++) {
            int i = k < count ? index(k) : -1;
            if (k == count || segments[i] != current) {
                if (n > 1) {
                    sxxAll += sxx - sx * sx / n;
                    sxyAll += sxy - sx * sy / n;
                }
                if (k == count) {
                    break;
                }
                current = segments[i];
                n = sx = sy = sxx = sxy = 0;
            }
            double x = nanos[i] - t0;
            double y = errors[i];
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        return sxxAll <= 0 ? 0 : sxyAll / sxxAll;
    }

    /** The ring index of the {@code k}-th oldest point (0 ≤ k &lt; count). */
    private int index(int k) {
        return (next - count + k + POINTS) % POINTS;
    }
}
