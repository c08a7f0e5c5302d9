package dev.concerto.bench.audio;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Finds, in recorded audio, the frame where an expected tone change happened — score-informed:
 * the caller says roughly when and between which frequencies, the detector says exactly when.
 *
 * <ul>
 *   <li>silence → tone: the first frame whose magnitude exceeds the threshold;</li>
 *   <li>tone → silence: one past the last frame above the threshold;</li>
 *   <li>tone → other tone: zero crossings (interpolated between frames) give half-periods; each is
 *       classed as the old or the new frequency, the boundary between the runs is found, and the
 *       change time is solved from phase continuity (the synthesis keeps phase across a change):
 *       with crossings {@code c_k} (last old) and {@code c_k+1} (first new), old and new half-periods
 *       {@code h0, h1} and {@code r = h1/h0}: {@code t = (c_k+1 − r·(c_k + h0)) / (1 − r)}.</li>
 * </ul>
 *
 * <p>The players' synthesis ramps every change over a few frames ({@code SynthVoice}: 2 ms) so it
 * never clicks. Given that ramp length, the detector reports the frame where a change <em>began</em>
 * (the frame the player's {@code tone} event names): a linear glide of the frequency puts the
 * intersection of the two phase lines at the ramp's middle, so half the ramp is subtracted; a fade
 * to silence ends exactly one ramp after it began, so the ramp is subtracted from the first silent
 * frame; a fade-in starts at once, so the first audible frame is the start (use a threshold near
 * digital silence for that).
 *
 * <p>Results are fractional frames. Stateless apart from its settings; thread-safe.
 */
public final class OnsetDetector {

    /** Half-periods needed on each side of a frequency change to believe it. */
    private static final int MIN_RUN = 3;
    /** Crossings fitted on each side of a frequency change. */
    private static final int FIT = 24;

    private final int sampleRate;
    private final float threshold;
    private final int rampFrames;

    /**
     * @param sampleRate frames per second of the audio to analyse
     * @param threshold  magnitude (0..1) that counts as sound, e.g. 0.01
     * @param rampFrames length in frames of the synthesis' ramp on every change (0 = instant switches)
     */
    public OnsetDetector(int sampleRate, float threshold, int rampFrames) {
        if (rampFrames < 0) {
            throw new IllegalArgumentException("rampFrames must be >= 0, got " + rampFrames);
        }
        this.sampleRate = sampleRate;
        this.threshold = threshold;
        this.rampFrames = rampFrames;
    }

    /** A detector for instant switches (no ramp). */
    public OnsetDetector(int sampleRate, float threshold) {
        this(sampleRate, threshold, 0);
    }

    /**
     * The frame at which the change from {@code fromHz} to {@code toHz} happened, searching
     * {@code [fromFrame, toFrame)}. A frequency of 0 means silence.
     *
     * @return the change as a fractional frame index, or empty when it is not in the window
     */
    public OptionalDouble find(float[] audio, double fromHz, double toHz, int fromFrame, int toFrame) {
        int lo = Math.max(1, fromFrame);
        int hi = Math.min(audio.length, toFrame);
        if (lo >= hi) {
            return OptionalDouble.empty();
        }
        if (fromHz == 0 && toHz == 0) {
            return OptionalDouble.empty();
        }
        if (fromHz == 0) {
            for (int i = lo; i < hi; i++) {
                if (Math.abs(audio[i]) > threshold) {
                    return OptionalDouble.of(i);
                }
            }
            return OptionalDouble.empty();
        }
        if (toHz == 0) {
            for (int i = hi - 1; i >= lo; i--) {
                if (Math.abs(audio[i]) > threshold) {
                    return i + 1 < hi ? OptionalDouble.of(i + 1 - rampFrames) : OptionalDouble.empty();
                }
            }
            return OptionalDouble.empty();
        }
        return frequencyChange(audio, fromHz, toHz, lo, hi);
    }

    private OptionalDouble frequencyChange(float[] audio, double fromHz, double toHz, int lo, int hi) {
        List<Double> crossings = zeroCrossings(audio, lo, hi);
        if (crossings.size() < 4) {
            return OptionalDouble.empty();
        }
        double h0 = sampleRate / (2 * fromHz);
        double h1 = sampleRate / (2 * toHz);
        double logMid = (Math.log(h0) + Math.log(h1)) / 2;
        boolean newIsLonger = h1 > h0;
        int n = crossings.size() - 1; // half-periods
        // Boundary b: intervals [0, b) old, [b, n) new; choose b with the fewest misclassified.
        int[] newBefore = new int[n + 1];
        for (int i = 0; i < n; i++) {
            double h = crossings.get(i + 1) - crossings.get(i);
            boolean isNew = (Math.log(h) > logMid) == newIsLonger;
            newBefore[i + 1] = newBefore[i] + (isNew ? 1 : 0);
        }
        int best = -1;
        int bestErrors = Integer.MAX_VALUE;
        for (int b = MIN_RUN; b <= n - MIN_RUN; b++) {
            int newAfter = newBefore[n] - newBefore[b];
            int errors = newBefore[b] + ((n - b) - newAfter);
            boolean bothRuns = (b - newBefore[b]) >= MIN_RUN && newAfter >= MIN_RUN;
            if (bothRuns && errors < bestErrors) {
                bestErrors = errors;
                best = b;
            }
        }
        if (best < 0 || bestErrors > n / 4) {
            return OptionalDouble.empty();
        }
        // The half-period that spans the change is partly old, partly new, so it may have been
        // classed either way: it is interval best-1 or interval best. It is the one whose length is
        // furthest from both pure half-periods (a pure one fits the formula trivially at its end).
        int m = mixedness(crossings, best - 1, h0, h1) >= mixedness(crossings, best, h0, h1) ? best - 1 : best;
        // Crossing i lies on the old phase line for i <= m and on the new one for i > m. Fit each
        // line (crossing time against crossing index) over up to FIT crossings, which averages out
        // the frame quantisation of square-wave edges, and intersect them: by phase continuity the
        // index is the same on both lines at the moment of the change.
        double[] oldLine = fitLine(crossings, Math.max(0, m - FIT + 1), m);
        double[] newLine = fitLine(crossings, m + 1, Math.min(crossings.size() - 1, m + FIT));
        double t = intersection(oldLine, newLine);
        if (rampFrames > 0 && !Double.isNaN(t)) {
            // With a ramp, the crossings inside the glide are on neither line: fit again with only
            // the crossings before the change began and after its ramp ended.
            double began = t - rampFrames / 2.0;
            int lastOld = m;
            while (lastOld > 0 && crossings.get(lastOld) >= began) {
                lastOld--;
            }
            int firstNew = m + 1;
            while (firstNew < crossings.size() - 1 && crossings.get(firstNew) <= began + rampFrames) {
                firstNew++;
            }
            if (lastOld >= 1 && crossings.size() - firstNew >= 2) {
                t = intersection(fitLine(crossings, Math.max(0, lastOld - FIT + 1), lastOld),
                        fitLine(crossings, firstNew, Math.min(crossings.size() - 1, firstNew + FIT - 1)));
            }
        }
        if (Double.isNaN(t)) {
            return OptionalDouble.empty();
        }
        double bestT = Math.max(crossings.get(m) - rampFrames, Math.min(crossings.get(m + 1) + rampFrames, t));
        return OptionalDouble.of(bestT - rampFrames / 2.0);
    }

    /**
     * Where two phase lines (crossing time = a + h * index) have equal indices: by phase continuity,
     * the moment of the change (for a ramp, its middle).
     */
    private static double intersection(double[] oldLine, double[] newLine) {
        double d = 1 / oldLine[1] - 1 / newLine[1];
        return d == 0 ? Double.NaN : (oldLine[0] / oldLine[1] - newLine[0] / newLine[1]) / d;
    }

    /** Least-squares {a, h} of crossing time = a + h * index over indices from..to inclusive. */
    private static double[] fitLine(List<Double> crossings, int from, int to) {
        int n = to - from + 1;
        if (n < 2) {
            return new double[] {crossings.get(from), 1};
        }
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = from; i <= to; i++) {
            double x = i - from;
            double y = crossings.get(i);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double h = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        double a = (sy - h * sx) / n - h * from;
        return new double[] {a, h};
    }

    private static double mixedness(List<Double> crossings, int interval, double h0, double h1) {
        double len = crossings.get(interval + 1) - crossings.get(interval);
        return Math.min(Math.abs(len - h0), Math.abs(len - h1));
    }

    /** Sign changes in {@code [lo, hi)}, interpolated linearly between frames; exact zeros are skipped. */
    static List<Double> zeroCrossings(float[] audio, int lo, int hi) {
        List<Double> out = new ArrayList<>();
        int prev = -1;
        for (int i = lo; i < hi; i++) {
            if (audio[i] == 0) {
                continue;
            }
            if (prev >= 0 && (audio[prev] > 0) != (audio[i] > 0)) {
                double a = audio[prev];
                double b = audio[i];
                out.add(prev + (i - prev) * (a / (a - b)));
            }
            prev = i;
        }
        return out;
    }

    /** Frames per second this detector was made for. */
    public int sampleRate() {
        return sampleRate;
    }
}
