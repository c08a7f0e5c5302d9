package dev.concerto.protocol.signal;

import java.util.Arrays;

/**
 * The amplitude envelope of one frequency band of a recording: the analytic signal (the samples
 * plus i × their Hilbert transform, from a centred windowed FIR), complex demodulation (multiply by
 * {@code e^(−iωt)}) and a centred Hann low-pass. Without the analytic step, the negative-frequency
 * image of each tone (at −2f after demodulation) leaks through the low-pass while a tone starts and
 * moves its onset by up to a few tenths of a millisecond, depending on the phase. Several players sounding sines at distinct
 * frequencies into one recording each get their own envelope, so each one's onsets can be found in
 * the mix (the {@code listen} benchmark, microphone calibration).
 *
 * <p>The filter is symmetric and centred, so it adds no delay: a tone that starts at time t gives an
 * envelope whose rise is centred on t, and the {@linkplain #onsets 50 % crossing} of that rise is t.
 * Its pass band is about {@code 2 / windowSeconds} wide (8 ms: ±125 Hz), so bands should be further
 * apart than that.
 *
 * <p>Stateless; thread-safe. Times are in seconds from the first sample; amplitudes in sample units.
 */
public final class BandEnvelope {

    private BandEnvelope() {
    }

    /**
     * The envelope of {@code samples} around {@code hz}: for a sine of amplitude A at {@code hz},
     * A once the window has filled.
     *
     * @param samples       mono samples (any scale)
     * @param sampleRate    samples per second, > 0
     * @param hz            the band's centre, 0 < hz < sampleRate / 2
     * @param windowSeconds length of the Hann low-pass, e.g. 0.008; at least 3 samples
     * @return one amplitude per sample
     */
    public static float[] of(float[] samples, int sampleRate, double hz, double windowSeconds) {
        if (sampleRate <= 0 || !(hz > 0 && hz < sampleRate / 2.0)) {
            throw new IllegalArgumentException("band " + hz + " Hz outside (0, " + sampleRate / 2 + ") Hz");
        }
        int taps = Math.max(3, (int) Math.round(windowSeconds * sampleRate)) | 1; // odd: centred
        double sum = 0; // of the Hann window's weights, which are divided by it (unit gain)
        for (int k = 0; k < taps; k++) {
            sum += 0.5 - 0.5 * Math.cos(2 * Math.PI * (k + 1) / (taps + 1));
        }
        int n = samples.length;
        double[] quadrature = hilbert(samples);
        double[] re = new double[n];
        double[] im = new double[n];
        double step = 2 * Math.PI * hz / sampleRate;
        // Rotate by the recurrence of a unit phasor, renormalised now and then (cheaper than cos/sin per sample).
        double c = 1;
        double s = 0;
        double cs = Math.cos(step);
        double ss = Math.sin(step);
        for (int i = 0; i < n; i++) {
            // (x + i·h) · (c − i·s)
            re[i] = samples[i] * c + quadrature[i] * s;
            im[i] = quadrature[i] * c - samples[i] * s;
            double nc = c * cs - s * ss;
            s = s * cs + c * ss;
            c = nc;
            if ((i & 1023) == 1023) {
                double norm = Math.hypot(c, s);
                c /= norm;
                s /= norm;
            }
        }
        return hannMagnitude(re, im, taps, sum);
    }

    /**
     * |Hann low-pass of (re, im)|, the window of {@code taps} (odd) samples centred and divided by
     * {@code sum}, zero beyond the ends; by running sums instead of a convolution per sample. The
     * Hann weight of the m-th sample of a span of taps + 2 (the window's two zeros included) is
     * 0.5 − 0.5·cos(φm) with φ = 2π / (taps + 1): the plain sum of the span and the real part of
     * its sum rotated by e^(iφm) give the weighted sum, and both slide by one sample in a few
     * operations. The rotated sum is recomputed directly every {@value #RESUM} samples, so rounding
     * cannot accumulate.
     */
    static float[] hannMagnitude(double[] re, double[] im, int taps, double sum) {
        int n = re.length;
        int span = taps + 2;
        int half = taps / 2;
        double phi = 2 * Math.PI / (taps + 1);
        double[] cos = new double[span];
        double[] sin = new double[span];
        for (int m = 0; m < span; m++) {
            cos[m] = Math.cos(phi * m);
            sin[m] = Math.sin(phi * m);
        }
        double back = Math.cos(phi);
        double backSin = -Math.sin(phi); // e^(−iφ)
        float[] env = new float[n];
        double plainRe = 0;
        double plainIm = 0;
        double rotReC = 0; // Σ re·cos(φm), Σ re·sin(φm): the sum of re rotated
        double rotReS = 0;
        double rotImC = 0;
        double rotImS = 0;
        for (int i = 0; i < n; i++) {
            int base = i - half - 1; // the span's first sample
            if (i % RESUM == 0) {
                plainRe = 0;
                plainIm = 0;
                rotReC = 0;
                rotReS = 0;
                rotImC = 0;
                rotImS = 0;
                for (int m = 0; m < span; m++) {
                    int j = base + m;
                    if (j >= 0 && j < n) {
                        plainRe += re[j];
                        plainIm += im[j];
                        rotReC += re[j] * cos[m];
                        rotReS += re[j] * sin[m];
                        rotImC += im[j] * cos[m];
                        rotImS += im[j] * sin[m];
                    }
                }
            } else {
                // Slide by one: drop the sample at m = 0 of the previous span, rotate by e^(−iφ), and
                // add the new last sample at m = span − 1, whose rotation e^(iφ(taps + 1)) is 1.
                int dropped = base - 1;
                int added = base + span - 1;
                double oldRe = dropped >= 0 ? re[dropped] : 0;
                double oldIm = dropped >= 0 ? im[dropped] : 0;
                double newRe = added < n ? re[added] : 0;
                double newIm = added < n ? im[added] : 0;
                plainRe += newRe - oldRe;
                plainIm += newIm - oldIm;
                double c = rotReC - oldRe;
                double sn = rotReS;
                rotReC = c * back - sn * backSin + newRe;
                rotReS = c * backSin + sn * back;
                c = rotImC - oldIm;
                sn = rotImS;
                rotImC = c * back - sn * backSin + newIm;
                rotImS = c * backSin + sn * back;
            }
            double a = (0.5 * plainRe - 0.5 * rotReC) / sum;
            double b = (0.5 * plainIm - 0.5 * rotImC) / sum;
            env[i] = (float) Math.sqrt(a * a + b * b);
        }
        return env;
    }

    /** How often the low-pass's running sums are recomputed from scratch, samples. */
    private static final int RESUM = 4096;

    /** Half-length of the Hilbert FIR, samples: flat to within 0.1 % from about 200 Hz at 44.1 kHz. */
    private static final int HILBERT_HALF = 511;

    /** The Hilbert transform by a centred, Blackman-windowed FIR (odd taps only, so it costs half). */
    private static double[] hilbert(float[] x) {
        double[] h = new double[HILBERT_HALF + 1];
        for (int k = 1; k <= HILBERT_HALF; k += 2) {
            double w = 0.42 + 0.5 * Math.cos(Math.PI * k / (HILBERT_HALF + 1))
                    + 0.08 * Math.cos(2 * Math.PI * k / (HILBERT_HALF + 1));
            h[k] = 2 / (Math.PI * k) * w;
        }
        int n = x.length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double acc = 0;
            if (i >= HILBERT_HALF && i + HILBERT_HALF < n) {
                // Inside, no sample is beyond the ends: no test per tap (about twice as fast).
                for (int k = 1; k <= HILBERT_HALF; k += 2) {
                    acc += h[k] * (x[i - k] - x[i + k]);
                }
            } else {
                for (int k = 1; k <= HILBERT_HALF; k += 2) {
                    double before = i - k >= 0 ? x[i - k] : 0;
                    double after = i + k < n ? x[i + k] : 0;
                    acc += h[k] * (before - after);
                }
            }
            out[i] = acc;
        }
        return out;
    }

    /**
     * Rising crossings of {@code fraction} × the envelope's reference level (the median of the values
     * above half its 99th percentile: the level of a sounding tone, not of its ripple),
     * interpolated between samples. After a crossing, the envelope must fall below half that level
     * before the next one counts (hysteresis), and crossings closer than {@code minGapSeconds} to the
     * previous are ignored.
     *
     * @return onset times in seconds from the first sample, ascending; empty when the band is silent
     *         (reference level below {@code floor})
     */
    public static double[] onsets(float[] envelope, int sampleRate, double fraction, double minGapSeconds, double floor) {
        double p99 = percentile(envelope, 99);
        if (!(p99 > floor)) {
            return new double[0];
        }
        double ref = plateau(envelope, p99 / 2);
        double up = fraction * ref;
        double down = up / 2;
        double[] found = new double[16];
        int count = 0;
        boolean armed = true;
        double last = Double.NEGATIVE_INFINITY;
        for (int i = 1; i < envelope.length; i++) {
            if (armed && envelope[i - 1] < up && envelope[i] >= up) {
                double t = (i - 1 + (up - envelope[i - 1]) / (envelope[i] - envelope[i - 1])) / sampleRate;
                if (t - last >= minGapSeconds) {
                    if (count == found.length) {
                        found = Arrays.copyOf(found, count * 2);
                    }
                    found[count++] = t;
                    last = t;
                }
                armed = false;
            } else if (!armed && envelope[i] < down) {
                armed = true;
            }
        }
        return Arrays.copyOf(found, count);
    }

    /** The median of the values above {@code above}. */
    private static double plateau(float[] envelope, double above) {
        int n = 0;
        for (float v : envelope) {
            n += v > above ? 1 : 0;
        }
        float[] high = new float[n];
        int i = 0;
        for (float v : envelope) {
            if (v > above) {
                high[i++] = v;
            }
        }
        return percentile(high, 50);
    }

    /** The {@code p}-th percentile (0..100) of the values (nearest rank on a sorted copy). */
    public static double percentile(float[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }
}
