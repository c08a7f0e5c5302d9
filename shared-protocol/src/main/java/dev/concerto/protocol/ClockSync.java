package dev.concerto.protocol;

/**
 * Estimates one player's clock from NTP-style exchanges: the director sends at {@code t1} (its
 * clock), the player receives at {@code t2} and answers at {@code t3} (its clock), the director
 * receives at {@code t4}. Per sample, offset {@code θ = ((t2 − t1) + (t3 − t4)) / 2} (player minus
 * director) and round-trip time {@code δ = (t4 − t1) − (t3 − t2)}.
 *
 * <p>Filtering: of the last {@link #WINDOW} samples, those whose round trip is within
 * {@code max(}{@value #GOOD_RTT_SLACK_MICROS}{@code  µs, 25 %)} of the window's minimum are "good"
 * (queueing only ever adds delay, so short round trips carry the truest offsets). The offset is
 * fitted to the good samples as a line over director time, so drift between the two clocks (the
 * slope, in parts per million) is tracked rather than averaged away — but only when the slope is
 * real: at least {@value #MIN_DRIFT_SAMPLES} good samples spanning {@value #MIN_DRIFT_SPAN_MICROS} µs,
 * and a slope larger than three of its standard errors. Otherwise a few noisy samples over a few
 * seconds would invent a drift of tens of ppm; the slope is then zero and the offset is the mean of
 * the good samples. Jitter is the RMS distance of the good samples' offsets from the fit.
 *
 * <p>An asymmetric path (different delays each way) biases every NTP-style offset by half the
 * asymmetry; no filter can see it, which is why the roster carries a per-player latency offset.
 *
 * <p>All times in microseconds. Not thread-safe: one sync thread owns each instance and publishes
 * results (for example as an immutable {@link Estimate}).
 */
public final class ClockSync {

    /** Samples kept. */
    public static final int WINDOW = 32;
    /** Absolute slack for a "good" round trip, µs. */
    public static final long GOOD_RTT_SLACK_MICROS = 200;
    /** Span of good samples needed before drift is estimated, µs. */
    public static final long MIN_DRIFT_SPAN_MICROS = 5_000_000;
    /** Good samples needed before drift is estimated. */
    public static final int MIN_DRIFT_SAMPLES = 6;

    /**
     * A published estimate.
     *
     * @param offsetMicros player clock minus director clock at {@code refMicros} (director clock), µs
     * @param refMicros    the director time the offset refers to, µs
     * @param driftPpm     how fast the player's clock runs relative to the director's, parts per million
     * @param rttMicros    the minimum round trip in the window, µs (a director's: from the request's
     *                     stamp to the reply's arrival, the player's turnaround included)
     * @param jitterMicros RMS deviation of the good samples' offsets from the fit, µs
     * @param samples      samples in the window
     */
    public record Estimate(double offsetMicros, long refMicros, double driftPpm, long rttMicros,
                           double jitterMicros, int samples) {

        /** The player's clock reading at director time {@code directorMicros}. */
        public long toPlayerMicros(long directorMicros) {
            double dt = directorMicros - refMicros;
            return Math.round(directorMicros + offsetMicros + dt * driftPpm * 1e-6);
        }
    }

    private final long[] t1s = new long[WINDOW];
    private final double[] offsets = new double[WINDOW];
    private final long[] rtts = new long[WINDOW];
    private int count;
    private int next;

    /**
     * Adds one exchange. A sample whose round trip comes out negative (clocks stepped, or a
     * reply matched to the wrong request) is ignored.
     *
     * @return whether the sample was kept
     */
    public boolean add(long t1, long t2, long t3, long t4) {
        long rtt = (t4 - t1) - (t3 - t2);
        if (rtt < 0 || t4 < t1 || t3 < t2) {
            return false;
        }
        t1s[next] = t1;
        offsets[next] = ((t2 - t1) + (t3 - t4)) / 2.0;
        rtts[next] = rtt;
        next = (next + 1) % WINDOW;
        count = Math.min(count + 1, WINDOW);
        return true;
    }

    /** Samples in the window. */
    public int samples() {
        return count;
    }

    /** The current estimate, or {@code null} before the first sample. */
    public Estimate estimate() {
        if (count == 0) {
            return null;
        }
        long minRtt = Long.MAX_VALUE;
        int best = -1;
        for (int i = 0; i < count; i++) {
            if (rtts[i] < minRtt) {
                minRtt = rtts[i];
                best = i;
            }
        }
        long limit = minRtt + Math.max(GOOD_RTT_SLACK_MICROS, minRtt / 4);
        long ref = t1s[best];
        // Least squares over the good samples, x = t1 - ref (µs), y = offset (µs).
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int n = 0;
        long minT = Long.MAX_VALUE, maxT = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            if (rtts[i] <= limit) {
                double x = t1s[i] - ref;
                sx += x;
                sy += offsets[i];
                sxx += x * x;
                sxy += x * offsets[i];
                n++;
                minT = Math.min(minT, t1s[i]);
                maxT = Math.max(maxT, t1s[i]);
            }
        }
        double slope = 0;
        double intercept = sy / n; // the good samples' mean offset, at x = 0 only if there is no slope
        double sxxCentred = sxx - sx * sx / n;
        if (n >= MIN_DRIFT_SAMPLES && maxT - minT >= MIN_DRIFT_SPAN_MICROS && sxxCentred > 0) {
            double fitted = (sxy - sx * sy / n) / sxxCentred;
            double fittedIntercept = (sy - fitted * sx) / n;
            double residuals = 0;
            for (int i = 0; i < count; i++) {
                if (rtts[i] <= limit) {
                    double r = offsets[i] - (fittedIntercept + fitted * (t1s[i] - ref));
                    residuals += r * r;
                }
            }
            double standardError = Math.sqrt(residuals / (n - 2) / sxxCentred);
            if (Math.abs(fitted) > 3 * standardError) {
                slope = fitted;
                intercept = fittedIntercept;
            }
        }
        // Refer the estimate to the newest sample so extrapolation stays short.
        long newest = t1s[(next - 1 + WINDOW) % WINDOW];
        double offsetAtNewest = slope == 0 ? intercept : intercept + slope * (newest - ref);
        double sq = 0;
        for (int i = 0; i < count; i++) {
            if (rtts[i] <= limit) {
                double d = offsets[i] - (slope == 0 ? intercept : intercept + slope * (t1s[i] - ref));
                sq += d * d;
            }
        }
        return new Estimate(offsetAtNewest, newest, slope * 1e6, minRtt, Math.sqrt(sq / n), count);
    }
}
