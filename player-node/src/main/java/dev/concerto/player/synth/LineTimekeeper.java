package dev.concerto.player.synth;

/**
 * Keeps a real audio line in time with the player's clock, as a Snapcast client does: the music's
 * frames follow a stable map from the clock ({@link #frameAt}), and when the line's own position
 * shows that what it is playing now has fallen behind that map (a stall: the device or the sound
 * server stopped consuming for a while, or consumes slowly) or run ahead of it, it asks the audio
 * thread to drop or insert that many frames so the sound is back at the right frame at once.
 *
 * <p>Frames are counted in two spaces: <b>render frames</b> (the music: a change scheduled at
 * render frame F sounds when F plays) and <b>written frames</b> (what went into the line). They
 * differ by the frames dropped (render frames never written) minus the frames inserted (silence
 * written for no render frame). The line reports which written frame it plays; the keeper maps it
 * back to a render frame with the offset in force when that frame was written.
 *
 * <p>The map from the clock is {@code frame = anchorFrame + rate · (t − anchorNanos) − residual}:
 * <ul>
 *   <li>{@code rate}: the line's real rate against the clock (sound cards run tens of ppm off; the
 *       bench's PulseAudio null sink +100…+550 ppm); estimated from the residual's trend over up to
 *       {@value #HISTORY_SECONDS} s, re-fitted every {@value #REFIT_MILLIS} ms once
 *       {@value #MIN_FIT_MILLIS} ms of it are in, and clamped to ±{@value #MAX_DRIFT_PPM} ppm. The
 *       trend survives corrections (fitted within the segments between them) and new rates (the
 *       history is re-expressed against the new one): a history started again at each of
 *       them never grew long enough on a line that stalls every few seconds, and a +500 ppm line then
 *       crept to the threshold and was corrected, 3 ms at a time, at a different moment on every
 *       player;</li>
 *   <li>{@code residual}: the floor (the {@link #FLOOR_FRACTION} quantile) of the last
 *       {@value #WINDOW} errors near their median, so the small steady offset between the map and the
 *       line — the device's position reporting, a correction's rounding — does not reach the music,
 *       nor does the position's own noise; a step
 *       below the threshold starts the window again ({@link #STEP_FRACTION}). A correction sets it to
 *       the error it leaves (its rounding): kept at the mean from before, it held the very offset the
 *       correction had just removed for a window of blocks, and a chord 13 ms after a 3.9 ms
 *       correction was heard 2.7 ms late on that player alone.</li>
 * </ul>
 *
 * <p>Pure: no clock, no thread, no line of its own. Thread-safety: the audio thread calls
 * {@link #observe} and {@link #written}; any thread may call {@link #frameAt}, which reads an
 * immutable map published through a volatile field.
 */
final class LineTimekeeper {

    /**
     * Errors the residual is taken from (one per block: 320 ms of 5 ms blocks). The position a line
     * reports advances in steps (6.7 ms on the bench's PulseAudio), read at a phase that drifts against
     * them: over 16 blocks the map wandered with that phase by ±0.4 ms, and every change with it.
     */
    static final int WINDOW = 64;
    /** Errors the residual needs after a correction (or at the start) before it follows them. */
    static final int MIN_ERRORS = 4;
    /**
     * Consecutive errors beyond the threshold, on the same side and agreeing with each other within
     * twice the threshold, that make a correction (a line catching up after a stall moves fast; wait
     * until it plays steadily again, so the correction does not overshoot).
     */
    static final int CONFIRM = 8;
    /**
     * An error beyond this many thresholds (12 ms: more than the 10 ms steps in which the bench's
     * PulseAudio line reports its position in its first seconds), on a line that ran dry and has just
     * started playing again, is a stop of the whole machine and is corrected on the first
     * {@value #FAST_CONFIRM} errors that agree, the position fresh ({@link #observe(long, long, long,
     * boolean)}). Waiting for {@value #CONFIRM} errors kept a chord late by the whole stall for 35–45 ms
     * after the machine resumed. On a line that did not run dry (the device or the sound server slow, the
     * machine busy) the position catches up in bursts and reads late by several ms: two agreeing errors
     * there skipped 4–7 ms too much and were taken back 50–170 ms later, so such a stall still waits
     * for {@value #CONFIRM}.
     */
    static final int LARGE_ERROR_THRESHOLDS = 4;
    /** Agreeing errors, the newest a fresh position after the line ran dry, that confirm a large error. */
    static final int FAST_CONFIRM = 2;
    /**
     * A step smaller than the threshold (a short stall, a sound server's latency moving) is followed at
     * once, not over a whole window: when the newest {@value #CONFIRM} errors are all more than this
     * fraction of the threshold off the residual on one side, and agree within the threshold, the
     * window starts again from them. On the players' traces of a bench run (6 min of line time) such
     * moves were 2, and both levels held for the next 160 ms (a step). Asking only their median to be
     * that far off moved the map 20 times, 6 of them back again soon (the position's own sawtooth:
     * its steps read at a drifting phase), and ±2 ms of report jitter then moved it by 1.6 ms.
     */
    static final double STEP_FRACTION = 0.5;
    /**
     * The residual's quantile of the window's errors near their median (0: their minimum). Predicting
     * bursts from 64 positions of three plain lines ({@code bench/tools/LinePositionTrace.java}) put
     * them 0.14 ms apart at p50 with it, 0.12 with the minimum (less robust to one early report), 0.25
     * with the mean.
     */
    static final double FLOOR_FRACTION = 0.05;
    /** The most the line's rate may differ from nominal, ppm. */
    static final double MAX_DRIFT_PPM = 1000;
    /** The history the rate is fitted on reaches back this far at most, s. */
    static final double HISTORY_SECONDS = DriftHistory.POINTS * DriftHistory.STEP_MILLIS / 1000.0;
    /** The rate is first fitted once the history spans this much, ms. */
    static final long MIN_FIT_MILLIS = 2_000;
    /** Then re-fitted this often, ms. */
    static final long REFIT_MILLIS = 1_000;

    /** What the audio thread should do now. */
    record Correction(long frames) {
        static final Correction NONE = new Correction(0);

        /** Render frames to skip without writing them (the line is late). */
        long dropFrames() {
            return Math.max(0, frames);
        }

        /** Frames of silence to write without advancing the music (the line is early). */
        long insertFrames() {
            return Math.max(0, -frames);
        }

        boolean any() {
            return frames != 0;
        }
    }

    /** An immutable map from the clock to render frames. */
    private record Map(long anchorNanos, double anchorFrame, double framesPerNano, double residual) {
        long frameAt(long nanoTime) {
            return Math.round(anchorFrame + framesPerNano * (nanoTime - anchorNanos) - residual);
        }

        /** The clock instant at which {@code frame} sounds: the inverse of {@link #frameAt}. */
        long timeOf(long frame) {
            return anchorNanos + Math.round((frame + residual - anchorFrame) / framesPerNano);
        }
    }

    private final double nominalPerNano;
    private final long thresholdFrames;
    /** {@value #LARGE_ERROR_THRESHOLDS} thresholds: an error beyond it is a stall a dry line confirms sooner. */
    private final double largeErrorFrames;
    /** Written frame from which each offset applies (ascending), and the offset (render − written). */
    private final long[] offsetFrom = new long[32];
    private final long[] offsets = new long[32];
    private int offsetCount;
    private final double[] errors = new double[WINDOW];
    private final double[] recentScratch = new double[CONFIRM];
    private final double[] windowScratch = new double[WINDOW];
    private int errorCount;
    /** The mean of the window's errors near their median: what a step is measured from. */
    private double centre;
    private int errorNext;
    /** The errors the line's rate is fitted on. */
    private final DriftHistory history = new DriftHistory();
    private long lastFitNanos = Long.MIN_VALUE;
    /** The written frame from which the last correction applies (before it, the line plays the old offset). */
    private long correctedFrom = Long.MIN_VALUE;
    private long corrections;
    private long droppedFrames;
    private long insertedFrames;
    private volatile Map map;

    /**
     * Starts keeping time once the line plays steadily: at {@code nanoTime} the line was playing
     * written frame {@code playedFrames}; render frame {@code nextRenderFrame} will be written next,
     * as written frame {@code writtenFrames}. The map starts where the line is.
     *
     * @param nominalRate     the line's nominal sample rate, frames per second
     * @param thresholdFrames an error larger than this (either way) is corrected by dropping or
     *                        inserting frames; smaller ones only move the residual
     */
    LineTimekeeper(long nanoTime, long playedFrames, long writtenFrames, long nextRenderFrame, int nominalRate,
                   long thresholdFrames) {
        if (thresholdFrames < 1) {
            throw new IllegalArgumentException("threshold must be at least one frame, got " + thresholdFrames);
        }
        this.nominalPerNano = nominalRate / 1e9;
        this.thresholdFrames = thresholdFrames;
        this.largeErrorFrames = (double) LARGE_ERROR_THRESHOLDS * thresholdFrames;
        this.offsetFrom[0] = 0;
        this.offsets[0] = nextRenderFrame - writtenFrames;
        this.offsetCount = 1;
        this.map = new Map(nanoTime, playedFrames + offsets[0], nominalPerNano, 0);
    }

    /** The render frame that sounds at {@code nanoTime}. Any thread. */
    long frameAt(long nanoTime) {
        return map.frameAt(nanoTime);
    }

    /**
     * The clock instant (ns) at which render frame {@code frame} sounds on the current map: the
     * inverse of {@link #frameAt}. A change planned for a frame is kept as this instant and mapped back
     * to a frame when it is rendered, so the map's later moves (the residual following the line, a new
     * rate) move it too. Any thread.
     */
    long timeOf(long frame) {
        return map.timeOf(frame);
    }

    /**
     * The line played written frame {@code playedFrames} at {@code nanoTime}; the next frame the audio
     * thread will write is render frame {@code nextRenderFrame} = written frame {@code writtenFrames}.
     * Audio thread only.
     *
     * @return the correction to make before the next write
     */
    Correction observe(long playedFrames, long writtenFrames, long nanoTime) {
        return observe(playedFrames, writtenFrames, nanoTime, false);
    }

    /**
     * As {@link #observe(long, long, long)}; {@code afterDry}: the line had run dry (it played all that
     * was written: the writer stopped with everything else) and this is its first position after it
     * moved again, so it is fresh. A large error then needs {@value #FAST_CONFIRM} agreeing errors, not
     * {@value #CONFIRM}. Audio thread only.
     */
    Correction observe(long playedFrames, long writtenFrames, long nanoTime, boolean afterDry) {
        Map m = map;
        double renderPlaying = playedFrames + offsetAt(playedFrames);
        double ideal = m.anchorFrame + m.framesPerNano * (nanoTime - m.anchorNanos);
        double error = ideal - renderPlaying; // > 0: what plays now is late
        if (playedFrames < correctedFrom) {
            // The line still plays what was written before the last correction: its error is the one
            // the correction has just taken away (kept, it pulled the residual towards it).
            return Correction.NONE;
        }
        errors[errorNext] = error;
        errorNext = (errorNext + 1) % WINDOW;
        errorCount = Math.min(errorCount + 1, WINDOW);
        double settled = confirmedError(afterDry);
        long n = Double.isNaN(settled) ? 0 : Math.round(settled);
        if (n != 0) {
            offsetChange(writtenFrames, offsetAt(Long.MAX_VALUE) + n);
            correctedFrom = writtenFrames;
            corrections++;
            if (n > 0) {
                droppedFrames += n;
            } else {
                insertedFrames += -n;
            }
            // The frames in the line were written before the change: forget the errors so far. What the
            // line will play from the change on is off the map by the rounding only: the residual is that
            // at once, not the mean of errors the correction has just taken away.
            double left = settled - n;
            errorCount = 0;
            errorNext = 0;
            // The drift history goes on in a new segment: a stall is a step, not a rate, and a drift
            // corrected is still a drift (the slope is fitted within segments).
            history.newSegment();
            centre = left;
            map = new Map(m.anchorNanos, m.anchorFrame, m.framesPerNano, left);
            return new Correction(n);
        }
        if (errorCount < MIN_ERRORS) {
            return Correction.NONE;
        }
        if (errorCount > CONFIRM && steppedBy(centre)) {
            // A step below the threshold: the window starts again from the newest errors (at index 0, as
            // after a correction), and the rate's history goes on in a new segment (a step is no rate).
            // Averaged in over a whole window instead, the map lagged a 2.5 ms step for a third of a
            // second, and a chord 60 ms after a stall of every line was heard 2 ms late on the one
            // player whose line had lost less than the threshold.
            double[] newest = recentScratch;
            for (int i = 0; i < CONFIRM; i++) {
                newest[CONFIRM - 1 - i] = newestError(i);
            }
            System.arraycopy(newest, 0, errors, 0, CONFIRM);
            errorCount = CONFIRM;
            errorNext = CONFIRM % WINDOW;
            history.newSegment();
        }
        // The residual is the mean of the errors within twice the threshold of their median: errors far
        // from where the line is are a stall (or a jump) being confirmed, not a small steady offset.
        // Averaged in, a 200 ms stall moved the map by up to 7/16 of it while it was confirmed. Centred
        // on zero instead of the median (the errors within the threshold of zero, the map kept still
        // while most were beyond it), the mean left out a line's own noise once the line sat near the
        // threshold, and the map lagged a line creeping through it by up to a millisecond.
        // Right after a correction the window fills again from MIN_ERRORS errors on: the map follows
        // what the correction left (a stall's size misjudged by a report) within a few blocks, not
        // after a whole window (80 ms, in which a chord was heard 0.8 ms off on one player).
        int count = errorCount; // after a correction the window fills from index 0
        double[] sorted = windowScratch; // the audio thread's: no allocation per block
        System.arraycopy(errors, 0, sorted, 0, count);
        java.util.Arrays.sort(sorted, 0, count);
        double median = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
        double sum = 0;
        int within = 0;
        int lowest = -1; // the first of the errors near the median, in ascending order
        for (int i = 0; i < count; i++) {
            if (Math.abs(sorted[i] - median) <= 2 * thresholdFrames) {
                lowest = lowest < 0 ? i : lowest;
                sum += sorted[i];
                within++;
            }
        }
        if (within < (count + 1) / 2) {
            return Correction.NONE; // scattered: keep the map as it is
        }
        double mean = sum / within;
        centre = mean;
        // The map follows the floor of those errors, not their mean: a reported position lags what
        // plays (it steps when the sound server asks for more, and its news comes late), never leads;
        // the mean moved with the phase at which the writer happened to read the steps.
        double floor = floorOf(sorted, lowest, within);
        if (errorCount == WINDOW) {
            history.offer(nanoTime, mean);
        }
        double rate = m.framesPerNano;
        double anchorFrame = m.anchorFrame;
        long anchorNanos = m.anchorNanos;
        if (history.spanNanos(nanoTime) >= MIN_FIT_MILLIS * 1_000_000L
                && (lastFitNanos == Long.MIN_VALUE || nanoTime - lastFitNanos >= REFIT_MILLIS * 1_000_000L)) {
            lastFitNanos = nanoTime;
            // error(t) grows by (rate − lineRate)·t: take the slope off, re-anchored here (continuous).
            double slope = history.slope();
            double limit = nominalPerNano * MAX_DRIFT_PPM / 1e6;
            double adjusted = Math.max(nominalPerNano - limit, Math.min(nominalPerNano + limit, rate - slope));
            if (adjusted != rate) {
                // The history's errors were measured against the old rate.
                history.rateChanged(adjusted - rate, nanoTime);
                anchorFrame = ideal;
                anchorNanos = nanoTime;
                rate = adjusted;
            }
        }
        map = new Map(anchorNanos, anchorFrame, rate, floor);
        return Correction.NONE;
    }

    /**
     * Whether the newest {@value #CONFIRM} errors are all more than {@value #STEP_FRACTION} of the
     * threshold off {@code residual} on one side and agree within the threshold: a step, not the
     * position's noise.
     */
    private boolean steppedBy(double residual) {
        double[] recent = newestSorted();
        double step = STEP_FRACTION * thresholdFrames;
        return recent[CONFIRM - 1] - recent[0] <= thresholdFrames
                && (recent[0] - residual > step || residual - recent[CONFIRM - 1] > step);
    }

    /**
     * The error to correct when the last {@value #CONFIRM} errors are all beyond the threshold on the
     * same side (a stall, not the position's jitter) and agree with each other: their floor, as for the
     * residual (frames, not rounded); else NaN. Reports lag what plays by up to a step (10 ms on the
     * bench's PulseAudio line at start-up): the median of the newest four carried half a step, and 64
     * of 123 traced corrections were over 1 ms off what the line lost (their floors: 6). A line
     * catching up after a stall reports more than it lost, then settles: its floor is the newest.
     * A large error read fresh after the line ran dry is confirmed sooner ({@link #largeError}).
     */
    private double confirmedError(boolean afterDry) {
        double large = afterDry ? largeError() : Double.NaN;
        if (!Double.isNaN(large) || errorCount < CONFIRM) {
            return large;
        }
        double[] recent = newestSorted();
        boolean steady = recent[CONFIRM - 1] - recent[0] <= 2.0 * thresholdFrames;
        if (steady && (recent[0] > thresholdFrames || recent[CONFIRM - 1] < -thresholdFrames)) {
            return floorOf(recent, 0, CONFIRM);
        }
        return Double.NaN;
    }

    /**
     * The error to correct (the newest error being a fresh position of a line that ran dry) when the
     * newest {@value #FAST_CONFIRM} errors are all beyond {@value #LARGE_ERROR_THRESHOLDS} thresholds on
     * the same side and agree within twice the threshold: their floor; else NaN.
     */
    private double largeError() {
        if (errorCount < FAST_CONFIRM) {
            return Double.NaN;
        }
        double lowest = Double.POSITIVE_INFINITY;
        double highest = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < FAST_CONFIRM; i++) {
            double e = newestError(i);
            lowest = Math.min(lowest, e);
            highest = Math.max(highest, e);
        }
        boolean agree = highest - lowest <= 2.0 * thresholdFrames;
        return agree && (lowest > largeErrorFrames || highest < -largeErrorFrames) ? lowest : Double.NaN;
    }

    /**
     * Whether the newest error is beyond {@value #LARGE_ERROR_THRESHOLDS} thresholds and waits for the
     * line's position to move to be confirmed: a line that ran dry reports the end of what it held until
     * the sound server plays on, and the shell may wait for that rather than refill the line with audio
     * that would sound late until the correction reached it. Audio thread.
     */
    boolean awaitsMovement() {
        return errorCount > 0 && Math.abs(newestError(0)) > largeErrorFrames;
    }

    /** The error {@code back} places before the newest (0: the newest), 0 ≤ back &lt; errorCount. */
    private double newestError(int back) {
        return errors[(errorNext - 1 - back + WINDOW) % WINDOW];
    }

    /** The newest {@value #CONFIRM} errors, ascending, in the audio thread's scratch (no allocation per block). */
    private double[] newestSorted() {
        double[] recent = recentScratch;
        for (int i = 0; i < CONFIRM; i++) {
            recent[i] = newestError(i);
        }
        java.util.Arrays.sort(recent);
        return recent;
    }

    /** The floor of {@code count} ascending errors from index {@code from}: their {@link #FLOOR_FRACTION} quantile. */
    private static double floorOf(double[] ascending, int from, int count) {
        return ascending[from + (int) (FLOOR_FRACTION * (count - 1))];
    }

    /** The offset (render − written) in force for written frame {@code written}. */
    private long offsetAt(long written) {
        for (int i = offsetCount - 1; i > 0; i--) {
            if (written >= offsetFrom[i]) {
                return offsets[i];
            }
        }
        return offsets[0];
    }

    private void offsetChange(long fromWritten, long offset) {
        if (offsetCount == offsetFrom.length) {
            // Keep the newest half: the line's buffer never reaches back further than a few changes.
            int keep = offsetFrom.length / 2;
            System.arraycopy(offsetFrom, offsetCount - keep, offsetFrom, 0, keep);
            System.arraycopy(offsets, offsetCount - keep, offsets, 0, keep);
            offsetCount = keep;
        }
        offsetFrom[offsetCount] = fromWritten;
        offsets[offsetCount] = offset;
        offsetCount++;
    }

    /** Corrections made so far. Audio thread (or after it ended). */
    long corrections() {
        return corrections;
    }

    long droppedFrames() {
        return droppedFrames;
    }

    long insertedFrames() {
        return insertedFrames;
    }

    /** The line's rate against the clock, ppm off nominal. Any thread. */
    double driftPpm() {
        return (map.framesPerNano / nominalPerNano - 1) * 1e6;
    }

    /** The small error the map carries (below the threshold), frames. Any thread. */
    double residualFrames() {
        return map.residual;
    }
}
