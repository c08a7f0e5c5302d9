package dev.concerto.protocol;

import java.util.Arrays;

/**
 * Follows one player's clock from NTP-style exchanges (PROTOCOL.md, clock sync) — a skewed
 * crystal, a clock that steps — and describes the path the exchanges crossed: round-trip
 * percentiles, one-way delay variation, loss.
 *
 * <h2>The filter</h2>
 * A weighted least-squares line through the last {@value #FIT_WINDOW} exchanges: the player's
 * offset (µs, player minus director) against director time, its slope the skew (1 ppm = 1e-6).
 * Each exchange's error is bounded by queueing: one whose round trip exceeds the window's smallest
 * by {@code e} can be off by up to {@code e/2}, so it weighs {@code 1 / (σ₀ + e/2)²}
 * (σ₀ = {@value #BASE_NOISE_MICROS} µs plus an eighth of the smallest round trip: a longer path's
 * best exchanges are noisier), recomputed as the smallest round trip changes. Short round
 * trips count most, and those beyond max({@value #GOOD_RTT_SLACK_MICROS} µs, a quarter) of the smallest
 * and beyond the shortest tenth of the window are further weighed down a hundredfold (queueing only adds delay, rarely the same both ways); the slope is believed only once the window spans
 * {@value #MIN_SLOPE_SPAN_MICROS} µs and is pulled towards zero (a ±{@value #SKEW_PRIOR_PPM}
 * ppm prior, what crystals are), so a few seconds of noisy exchanges invent no skew, while
 * {@value #FIT_WINDOW} exchanges over two minutes pin a 200 ppm skew well under a ppm. The window is
 * that long because a short one's slope is the worse error: on a path with milliseconds of jitter
 * (or a busy machine), a line through a minute of exchanges is off by a few ppm, and the newest
 * exchange is half a minute from the middle of its window (simulated on {@code wifi}: p99 stamping
 * error after the first minute 414 µs with 128 exchanges, 254 µs with 256; each added exchange costs
 * a refit over the window, tens of µs).
 *
 * <h2>What notes are stamped with</h2>
 * Not the fitted line itself: each exchange entering or leaving the window (a new shortest round
 * trip above all) moves its offset by part of that exchange's noise. The published line
 * ({@link #estimate}) takes the fit's slope at once — skew is followed, never lagged — and closes
 * {@value #STAMP_GAIN} of the gap in offset per exchange once {@value #STAMP_SETTLE} exchanges
 * over {@value #MIN_SLOPE_SPAN_MICROS} µs are in (before that, and after a step, it is the fit).
 *
 * <h2>Steps</h2>
 * An exchange the line cannot explain is not averaged in: its offset is further from the line than
 * half its own round trip plus half the window's shortest (no queueing or asymmetry can do more),
 * plus three standard deviations of the slope over the time since the line's exchanges (a slope
 * not yet believed counts as its whole ±{@value #SKEW_PRIOR_PPM} ppm prior, so a skewed clock in
 * its first seconds is no step), plus {@value #STEP_MARGIN_MICROS} µs, plus four weighted
 * residuals of the line. It is held as a suspected step ({@link #suspectsStep()}: the caller may
 * send a confirming exchange at once). A second such exchange that agrees with the first confirms
 * the step: the line starts again from the two, its slope held near the skew it had (as tightly as
 * that was known, at best ±{@value #SKEW_PRIOR_AFTER_STEP_PPM} ppm: a reboot does not change the
 * crystal), and {@link Estimate#steps()} counts it. An isolated outlier is dropped. So a step is
 * detected on the second exchange after it and never leaks into the estimate before.
 *
 * <h2>The path</h2>
 * Round-trip percentiles over the last {@value #RTT_WINDOW} exchanges (the exchanges' own round
 * trips, or the longer ones the caller gives: a note's way, wake-ups included); one-way variation is
 * estimated as half the excess of the 99th-percentile round trip over the smallest; loss as the
 * share of the last {@value #LOSS_WINDOW} requests older than {@value #REPLY_TIMEOUT_MICROS} µs that
 * got no reply (both directions together). An asymmetric path biases the offset by half the
 * asymmetry, which no two-way exchange can see.
 *
 * <p>All times in microseconds. Not thread-safe: one owner feeds it and publishes {@link Estimate}s
 * (immutable).
 */
public final class ClockEstimator {

    /** Round trips kept for the percentiles and the minimum. */
    public static final int RTT_WINDOW = 128;
    /** Requests remembered for the loss figure. */
    public static final int LOSS_WINDOW = 128;
    /** A request unanswered this long is counted lost, µs. */
    public static final long REPLY_TIMEOUT_MICROS = 2_000_000;
    /** Exchanges the line is fitted to. */
    public static final int FIT_WINDOW = 256;
    /** Measurement noise of an exchange with the smallest round trip, µs. */
    static final double BASE_NOISE_MICROS = 20;
    /**
     * Prior standard deviation of the skew, ppm: what crystals are (a Raspberry Pi's or an ESP8266's
     * runs tens of ppm off). A line through a few seconds of exchanges each hundreds of µs off (a busy
     * machine, Wi-Fi) has a slope ±100 ppm off; believed, it walked the stamps by milliseconds. With
     * this prior, replayed on the network suite's recorded exchanges (every process on one clock, so
     * the truth is zero), the p99 stamping error fell from 796 to 371 µs on loopback, 1336 to 516 on
     * lan, 2525 to 1598 on wifi-busy; a clock further off (even 1000 ppm) is still followed, as the
     * exchanges outweigh the prior within seconds.
     */
    static final double SKEW_PRIOR_PPM = 100;
    /** The window must span this long before its slope is believed over the prior's, µs. */
    static final long MIN_SLOPE_SPAN_MICROS = 2_000_000;
    /** Prior standard deviation of the skew after a step (the crystal did not change), ppm. */
    static final double SKEW_PRIOR_AFTER_STEP_PPM = 5;
    /** A round trip within max(this, a quarter) of the smallest is "short", µs. */
    static final long GOOD_RTT_SLACK_MICROS = 200;
    /** The shortest 1/this of the window's round trips also count as short. */
    static final int SHORT_SHARE = 10;
    /** Extra weight factor of an exchange whose round trip is not short. */
    static final double QUEUED_WEIGHT = 0.01;
    /** Exchanges since the start (or a step) during which notes are stamped with the fitted line itself. */
    static final int STAMP_SETTLE = 16;
    /**
     * Then, the share of the gap between the stamped line and the fitted one closed per exchange. A
     * slower filter lags the fit's own corrections in the first minutes (simulated on lan, wifi and
     * wifi-busy with a {@value #FIT_WINDOW}-exchange window: 1/8 left more stamping error than 1/4).
     */
    static final double STAMP_GAIN = 0.25;
    /** Exchanges needed before any is judged an outlier. */
    static final int MIN_TO_JUDGE = 6;
    /** An exchange this far beyond its queueing bound is not noise, µs. */
    public static final long STEP_MARGIN_MICROS = 1_000;
    /** ... plus this many weighted residuals of the line. */
    static final double STEP_RESIDUALS = 4;

    /**
     * A published estimate. Immutable.
     *
     * @param offsetMicros   player clock minus director clock at {@code refMicros}, µs
     * @param refMicros      the director time the offset refers to, µs
     * @param skewPpm        how much faster the player's clock runs, parts per million
     * @param minRttMicros   the smallest round trip in the window, µs
     * @param rttP50Micros   median round trip, µs
     * @param rttP99Micros   99th-percentile round trip, µs
     * @param rttMaxMicros   largest round trip in the window, µs
     * @param jitterMicros   estimated one-way delay variation at p99: (rtt p99 − min) / 2, µs
     * @param lossPercent    requests without a reply (both directions), percent, 0..100
     * @param samples        exchanges used since the start (steps included)
     * @param steps          clock steps detected
     * @param residualMicros the line's weighted RMS residual over the window, µs
     * @param lossJudged     requests the loss figure is made of (old enough to judge), 0..{@value #LOSS_WINDOW}
     */
    public record Estimate(double offsetMicros, long refMicros, double skewPpm, long minRttMicros, long rttP50Micros,
                           long rttP99Micros, long rttMaxMicros, double jitterMicros, double lossPercent, long samples,
                           int steps, double residualMicros, int lossJudged) {

        /** The player's clock reading at director time {@code directorMicros}. */
        public long toPlayerMicros(long directorMicros) {
            double dt = directorMicros - refMicros;
            return Math.round(directorMicros + offsetMicros + dt * skewPpm * 1e-6);
        }

        /** Loss of one direction, assuming both lose alike: {@code 1 − √(1 − round-trip loss)}, 0..1. */
        public double oneWayLoss() {
            return 1 - Math.sqrt(Math.max(0, 1 - lossPercent / 100));
        }
    }

    // The fit window (ring): director time, offset, round trip of each exchange.
    private final long[] fitT1 = new long[FIT_WINDOW];
    private final double[] fitOffset = new double[FIT_WINDOW];
    private final long[] fitRtt = new long[FIT_WINDOW];
    private int fitCount;
    private int fitNext;
    private long samples;
    private int steps;
    private Fit fit; // the line through the window, refitted after each change
    private Stamp stamp; // the line notes are stamped with: the fit's slope, its offset smoothed

    // A suspected step, waiting for confirmation.
    private boolean suspect;
    private double suspectInnovation;
    private long suspectT1;
    private double suspectOffset;
    private long suspectRtt;
    // The slope's prior: zero at first; the last skew, tightly, after a step.
    private double priorSkew;
    private double priorSkewPpm = SKEW_PRIOR_PPM;

    // Path figures.
    private final long[] rtts = new long[RTT_WINDOW];
    private int rttCount;
    private int rttNext;
    private final long[] requestT1 = new long[LOSS_WINDOW];
    private final boolean[] answered = new boolean[LOSS_WINDOW];
    private int requestCount;
    private int requestNext;

    /**
     * A fitted line: offset {@code a} at director time {@code ref}, slope {@code b} (µs/µs), known
     * to {@code slopeSd} (µs/µs, one standard deviation); {@code meanT} is the weighted mean time of
     * its exchanges (where the line is surest).
     */
    private record Fit(long ref, double a, double b, double slopeSd, double meanT, double residual, long minRtt) {
        double at(long t) {
            return a + b * (t - ref);
        }
    }

    /** The line notes are stamped with: offset {@code offset} at director time {@code ref}, slope {@code b}. */
    private record Stamp(long ref, double offset, double b) {
        double at(long t) {
            return offset + b * (t - ref);
        }
    }

    /** Notes a request sent at director time {@code t1Micros} (for the loss figure). */
    public void requestSent(long t1Micros) {
        requestT1[requestNext] = t1Micros;
        answered[requestNext] = false;
        requestNext = (requestNext + 1) % LOSS_WINDOW;
        requestCount = Math.min(requestCount + 1, LOSS_WINDOW);
    }

    /**
     * Adds one exchange.
     *
     * @return what became of it
     */
    public Outcome add(long t1, long t2, long t3, long t4) {
        return add(t1, t1, t2, t3, t4);
    }

    /**
     * Adds one exchange whose {@code t1} is not the one the request was noted with: a director that
     * learns when the request really left (the kernel's send stamp) after {@link #requestSent}.
     *
     * @param requestT1 the {@code t1} given to {@link #requestSent} (which request this answers)
     * @return what became of it
     */
    public Outcome add(long requestT1, long t1, long t2, long t3, long t4) {
        return add(requestT1, t1, t2, t3, t4, (t4 - t1) - (t3 - t2));
    }

    /**
     * As {@link #add(long, long, long, long, long)}, with the path figures (round-trip percentiles,
     * jitter, the smallest round trip an {@link Estimate} reports) taken from {@code pathRttMicros}
     * instead of the exchange's own round trip. A director with kernel stamps fits the offset to
     * them, but they leave out the threads' wake-ups and the player's queue, which a note still
     * waits for: its lead must be chosen from a round trip that has them (the request's own stamp
     * to the reply's arrival, the player's turnaround included).
     *
     * @param pathRttMicros the round trip the path is described by, µs (ignored when the exchange is rejected)
     * @return what became of it
     */
    public Outcome add(long requestT1, long t1, long t2, long t3, long t4, long pathRttMicros) {
        long rtt = (t4 - t1) - (t3 - t2);
        markAnswered(requestT1); // even when its times are unusable: the reply came, nothing was lost
        if (rtt < 0 || t4 < t1 || t3 < t2) {
            return Outcome.REJECTED;
        }
        rtts[rttNext] = Math.max(rtt, pathRttMicros);
        rttNext = (rttNext + 1) % RTT_WINDOW;
        rttCount = Math.min(rttCount + 1, RTT_WINDOW);
        samples++;
        double offset = ((t2 - t1) + (t3 - t4)) / 2.0;
        if (fit != null && fitCount >= MIN_TO_JUDGE) {
            double innovation = offset - fit.at(t1);
            if (Math.abs(innovation) > stepLimit(t1, rtt)) {
                if (suspect && Math.abs(innovation - suspectInnovation)
                        <= (rtt + suspectRtt) / 2.0 + STEP_MARGIN_MICROS + STEP_RESIDUALS * fit.residual()) {
                    // Two exchanges agree on a new clock: a step. Start the line again from them; keep the
                    // skew as a prior (a reboot does not change the crystal), as tight as it was known.
                    suspect = false;
                    steps++;
                    priorSkew = fit.b();
                    priorSkewPpm = Math.min(SKEW_PRIOR_PPM, Math.max(SKEW_PRIOR_AFTER_STEP_PPM, 3 * fit.slopeSd() * 1e6));
                    fitCount = 0;
                    fitNext = 0;
                    stamp = null;
                    push(suspectT1, suspectOffset, suspectRtt);
                    push(t1, offset, rtt);
                    return Outcome.STEP;
                }
                suspect = true;
                suspectInnovation = innovation;
                suspectT1 = t1;
                suspectOffset = offset;
                suspectRtt = rtt;
                return Outcome.SUSPECT;
            }
        }
        suspect = false;
        push(t1, offset, rtt);
        return Outcome.USED;
    }

    /**
     * How far from the line an exchange at {@code t1} with round trip {@code rtt} may be before it
     * is not noise: its own offset is within half its round trip of the truth, the line within half
     * of its best exchange's (queueing and asymmetry can do no more), plus what the line's slope is
     * not sure of over the time since its exchanges (a slope not yet believed may be off by its whole
     * prior), plus a margin and the line's own scatter.
     */
    private double stepLimit(long t1, long rtt) {
        double bound = (rtt + fit.minRtt()) / 2.0;
        double extrapolation = 3 * fit.slopeSd() * Math.abs(t1 - fit.meanT());
        return bound + extrapolation + STEP_MARGIN_MICROS + STEP_RESIDUALS * fit.residual();
    }

    private void push(long t1, double offset, long rtt) {
        fitT1[fitNext] = t1;
        fitOffset[fitNext] = offset;
        fitRtt[fitNext] = rtt;
        fitNext = (fitNext + 1) % FIT_WINDOW;
        fitCount = Math.min(fitCount + 1, FIT_WINDOW);
        fit = refit();
        restamp();
    }

    /**
     * Moves the stamped line towards the fitted one. The fit follows skew, but each exchange that
     * enters or leaves its window (a new shortest round trip above all) moves its offset by a part
     * of that exchange's noise; notes stamped with it would carry that noise. So once the line has
     * settled the stamped line takes the fit's slope at once (skew is followed, never lagged) and
     * closes only {@value #STAMP_GAIN} of the gap in offset per exchange: a first-order filter of
     * about {@code 1/STAMP_GAIN} exchanges over the fit's noise. Until then (and after a step) it is
     * the fit itself, so the first notes and the first after a step are stamped with all there is.
     */
    private void restamp() {
        boolean settled = stamp != null && fitCount >= STAMP_SETTLE && fit.ref() - oldestT1() >= MIN_SLOPE_SPAN_MICROS;
        if (!settled) {
            stamp = new Stamp(fit.ref(), fit.a(), fit.b());
            return;
        }
        double current = stamp.at(fit.ref());
        stamp = new Stamp(fit.ref(), current + STAMP_GAIN * (fit.a() - current), fit.b());
    }

    private long oldestT1() {
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < fitCount; i++) {
            oldest = Math.min(oldest, fitT1[i]);
        }
        return oldest;
    }

    /** Ridge-regularised weighted least squares through the window. */
    private Fit refit() {
        long minRtt = Long.MAX_VALUE;
        long newest = fitT1[(fitNext - 1 + FIT_WINDOW) % FIT_WINDOW];
        for (int i = 0; i < fitCount; i++) {
            minRtt = Math.min(minRtt, fitRtt[i]);
        }
        long oldest = newest;
        for (int i = 0; i < fitCount; i++) {
            oldest = Math.min(oldest, fitT1[i]);
        }
        // "Short": within the slack of the smallest, or among the shortest tenth (one lucky exchange on a
        // busy machine must not leave every other one weighed down).
        long[] sortedRtt = Arrays.copyOf(fitRtt, fitCount);
        Arrays.sort(sortedRtt);
        long shortLimit = Math.max(minRtt + Math.max(GOOD_RTT_SLACK_MICROS, minRtt / 4),
                sortedRtt[(fitCount - 1) / SHORT_SHARE]);
        double sw = 0, sx = 0, sy = 0;
        double[] w = new double[fitCount];
        for (int i = 0; i < fitCount; i++) {
            double sigma = BASE_NOISE_MICROS + minRtt / 8.0 + (fitRtt[i] - minRtt) / 2.0;
            w[i] = 1 / (sigma * sigma);
            if (fitRtt[i] > shortLimit) {
                w[i] *= QUEUED_WEIGHT; // queued on the way: weighed down while short round trips exist
            }
            double x = fitT1[i] - newest;
            sw += w[i];
            sx += w[i] * x;
            sy += w[i] * fitOffset[i];
        }
        double mx = sx / sw;
        double my = sy / sw;
        double sxx = 0, sxy = 0;
        for (int i = 0; i < fitCount; i++) {
            double dx = fitT1[i] - newest - mx;
            sxx += w[i] * dx * dx;
            sxy += w[i] * dx * (fitOffset[i] - my);
        }
        double prior = priorSkewPpm * 1e-6;
        boolean believed = newest - oldest >= MIN_SLOPE_SPAN_MICROS;
        double slope = believed ? (sxy + priorSkew / (prior * prior)) / (sxx + 1 / (prior * prior)) : priorSkew;
        double a = my - slope * mx; // offset at the newest exchange
        double sr = 0;
        for (int i = 0; i < fitCount; i++) {
            double r = fitOffset[i] - (a + slope * (fitT1[i] - newest));
            sr += w[i] * r * r;
        }
        double residual = Math.sqrt(sr / sw);
        // The slope's uncertainty: the posterior's, scaled up when the exchanges scatter more than
        // their weights say (the weights' noise figures are a model, not a measurement).
        double scatter = fitCount > 2 ? Math.max(1, sr / (fitCount - 2)) : 1;
        double slopeSd = believed ? Math.sqrt(scatter / (sxx + 1 / (prior * prior))) : prior;
        return new Fit(newest, a, slope, slopeSd, newest + mx, residual, minRtt);
    }

    /** What {@link #add} did with an exchange. */
    public enum Outcome {
        /** Folded into the estimate. */
        USED,
        /** Not explained by the estimate: held as a possible step (ask for another exchange soon). */
        SUSPECT,
        /** Confirmed a step: the estimate now follows the new clock. */
        STEP,
        /** Impossible times (negative round trip): ignored. */
        REJECTED
    }

    /** Whether the last exchange was held as a possible step (a confirming exchange is wanted). */
    public boolean suspectsStep() {
        return suspect;
    }

    private void markAnswered(long t1) {
        for (int i = 0; i < requestCount; i++) {
            if (requestT1[i] == t1) {
                answered[i] = true;
                return;
            }
        }
    }

    /**
     * The current estimate, or {@code null} before the first exchange.
     *
     * @param nowMicros the director's clock now (for the loss figure: requests younger than
     *                  {@value #REPLY_TIMEOUT_MICROS} µs are not judged yet)
     */
    public Estimate estimate(long nowMicros) {
        if (fit == null) {
            return null;
        }
        long[] sorted = Arrays.copyOf(rtts, rttCount);
        Arrays.sort(sorted);
        long p50 = percentile(sorted, 50);
        long p99 = percentile(sorted, 99);
        int judged = 0;
        int lost = 0;
        for (int i = 0; i < requestCount; i++) {
            if (nowMicros - requestT1[i] >= REPLY_TIMEOUT_MICROS) {
                judged++;
                lost += answered[i] ? 0 : 1;
            }
        }
        double loss = judged == 0 ? 0 : 100.0 * lost / judged;
        return new Estimate(stamp.offset(), stamp.ref(), stamp.b() * 1e6, sorted[0], p50, p99, sorted[sorted.length - 1],
                (p99 - sorted[0]) / 2.0, loss, samples, steps, fit.residual(), judged);
    }

    private static long percentile(long[] sorted, double p) {
        int idx = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    private static double sq(double x) {
        return x * x;
    }
}
