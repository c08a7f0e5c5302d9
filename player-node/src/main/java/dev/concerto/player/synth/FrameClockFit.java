package dev.concerto.player.synth;

/**
 * Maps the monotonic clock to an audio line's frame counter, following the drift between the
 * sound card's crystal and the system clock. The audio thread {@link #observe}s (frames played,
 * clock) pairs after each write; {@link #frameAt} answers "which frame sounds at this instant".
 *
 * <p>The model is a line {@code frame = refFrame + rate * (t - refNanos)}:
 * <ul>
 *   <li><b>rate</b> (frames per nanosecond): the nominal sample rate until the observations span
 *       {@value #MIN_DRIFT_SPAN_NANOS} ns, then the slope between the mean of the recent window and
 *       an anchor about {@value #ANCHOR_AGE_NANOS} ns old (a long baseline, so the line position's
 *       period-sized steps hardly matter), clamped to ±{@value #MAX_DRIFT_PPM} ppm of nominal;</li>
 *   <li><b>refFrame</b>: the mean over the last {@value #WINDOW} observations of each frame
 *       projected to the newest instant with that rate (averages out the position's steps).</li>
 * </ul>
 * Before the first observation, the nominal rate from the output's start.
 *
 * <p>Thread-safety: one writer (the audio thread) calls {@link #observe}; any thread may call
 * {@link #frameAt}, which reads an immutable fit published through a volatile field.
 */
final class FrameClockFit {

    /** Recent observations averaged for the offset. */
    static final int WINDOW = 64;
    /** How old the drift anchor is allowed to grow before it is moved forward, ns. */
    static final long ANCHOR_AGE_NANOS = 30_000_000_000L;
    /** Observations must span this long before the rate is estimated, ns. */
    static final long MIN_DRIFT_SPAN_NANOS = 2_000_000_000L;
    /** The most the fitted rate may differ from nominal, parts per million. */
    static final double MAX_DRIFT_PPM = 1000;

    /** An immutable fit: frame = refFrame + framesPerNano * (t - refNanos). */
    record Fit(long refNanos, double refFrame, double framesPerNano) {
        long frameAt(long nanoTime) {
            return Math.round(refFrame + framesPerNano * (nanoTime - refNanos));
        }

        /** The rate's deviation from {@code nominalRate}, ppm. */
        double driftPpm(int nominalRate) {
            return (framesPerNano * 1e9 / nominalRate - 1) * 1e6;
        }
    }

    private final double nominalPerNano;
    private final int nominalRate;
    private final long[] frames = new long[WINDOW];
    private final long[] nanos = new long[WINDOW];
    private int count;
    private int next;
    private long anchorFrame;
    private long anchorNanos;
    private long pendingAnchorFrame;
    private long pendingAnchorNanos;
    private boolean anchored;
    private volatile Fit fit;

    /**
     * @param startNanos  when frame 0 was (about to be) written, on the clock of later observations
     * @param nominalRate the nominal sample rate, frames per second
     */
    FrameClockFit(long startNanos, int nominalRate) {
        this.nominalRate = nominalRate;
        this.nominalPerNano = nominalRate / 1e9;
        this.fit = new Fit(startNanos, 0, nominalPerNano);
    }

    /** Records that {@code playedFrames} had been played at {@code nanoTime}. Audio thread only. */
    void observe(long playedFrames, long nanoTime) {
        frames[next] = playedFrames;
        nanos[next] = nanoTime;
        next = (next + 1) % WINDOW;
        count = Math.min(count + 1, WINDOW);
        if (!anchored) {
            anchorFrame = pendingAnchorFrame = playedFrames;
            anchorNanos = pendingAnchorNanos = nanoTime;
            anchored = true;
        } else if (nanoTime - pendingAnchorNanos >= ANCHOR_AGE_NANOS) {
            // Two anchors leapfrog, so the baseline stays between one and two ANCHOR_AGEs long.
            anchorFrame = pendingAnchorFrame;
            anchorNanos = pendingAnchorNanos;
            pendingAnchorFrame = playedFrames;
            pendingAnchorNanos = nanoTime;
        }
        double meanT = 0;
        double meanF = 0;
        for (int i = 0; i < count; i++) {
            meanT += nanos[i] - nanoTime;
            meanF += frames[i];
        }
        meanT /= count;
        meanF /= count;
        double rate = nominalPerNano;
        double spanNanos = nanoTime + meanT - anchorNanos;
        if (spanNanos >= MIN_DRIFT_SPAN_NANOS) {
            double measured = (meanF - anchorFrame) / spanNanos;
            double limit = nominalPerNano * MAX_DRIFT_PPM / 1e6;
            rate = Math.max(nominalPerNano - limit, Math.min(nominalPerNano + limit, measured));
        }
        // Project every observation to the newest instant with that rate and average.
        double ref = meanF - rate * meanT;
        fit = new Fit(nanoTime, ref, rate);
    }

    /** The frame sounding at {@code nanoTime}. Any thread. */
    long frameAt(long nanoTime) {
        return fit.frameAt(nanoTime);
    }

    /** The current fit (for diagnostics and tests). */
    Fit fit() {
        return fit;
    }

    int nominalRate() {
        return nominalRate;
    }
}
