package dev.concerto.protocol.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BandEnvelopeTest {

    static final int RATE = 44_100;

    /**
     * Adds a sine burst of {@code amp} at {@code hz} from {@code on} to {@code off} seconds, faded in
     * over {@code rampSeconds} as a player does.
     */
    static void burst(float[] x, double hz, double on, double off, double amp, double rampSeconds) {
        int start = (int) Math.ceil(on * RATE);
        for (int i = start; i < Math.min(x.length, off * RATE); i++) {
            double gain = rampSeconds == 0 ? 1 : Math.min(1, (i - start) / (rampSeconds * RATE));
            x[i] += (float) (gain * amp * Math.sin(2 * Math.PI * hz * i / RATE + hz));
        }
    }

    @Test
    void theRunningSumLowPassIsTheConvolution() {
        Random random = new Random(7);
        int n = 20_000; // several recomputations of the running sums
        double[] re = new double[n];
        double[] im = new double[n];
        for (int i = 0; i < n; i++) {
            re[i] = random.nextGaussian();
            im[i] = random.nextGaussian() + 3 * Math.sin(i / 50.0);
        }
        for (int taps : new int[] {3, 193, 353}) {
            double[] w = new double[taps];
            double sum = 0;
            for (int k = 0; k < taps; k++) {
                w[k] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (k + 1) / (taps + 1));
                sum += w[k];
            }
            float[] fast = BandEnvelope.hannMagnitude(re, im, taps, sum);
            int half = taps / 2;
            for (int i = 0; i < n; i++) {
                double a = 0;
                double b = 0;
                for (int j = Math.max(0, i - half); j <= Math.min(n - 1, i + half); j++) {
                    a += w[j - i + half] / sum * re[j];
                    b += w[j - i + half] / sum * im[j];
                }
                assertThat((double) fast[i]).as("taps %d, sample %d", taps, i).isCloseTo(Math.hypot(a, b), within(1e-5));
            }
        }
    }

    @Test
    void envelopeOfASineIsItsAmplitude() {
        float[] x = new float[RATE];
        burst(x, 1000, 0, 1, 0.3, 0);
        float[] env = BandEnvelope.of(x, RATE, 1000, 0.008);
        assertThat((double) env[RATE / 2]).isCloseTo(0.3, within(0.003));
    }

    @Test
    void findsEachPlayersOnsetsInAMixOfFourBands() {
        double[] bands = {500, 900, 1300, 1700};
        float[] mix = new float[3 * RATE];
        Random noise = new Random(1);
        for (int i = 0; i < mix.length; i++) {
            mix[i] = (float) (0.01 * noise.nextGaussian());
        }
        // Each band starts 0.4 ms later than the one before, three times, with the players' 2 ms fade-in.
        for (int p = 0; p < bands.length; p++) {
            for (int k = 0; k < 3; k++) {
                double on = 0.25 + k * 0.8 + p * 0.0004;
                burst(mix, bands[p], on, on + 0.3, 0.2, 0.002);
            }
        }
        for (int p = 0; p < bands.length; p++) {
            double[] onsets = BandEnvelope.onsets(BandEnvelope.of(mix, RATE, bands[p], 0.008), RATE, 0.5, 0.1, 0.02);
            assertThat(onsets).hasSize(3);
            for (int k = 0; k < 3; k++) {
                // The 50 % crossing is the middle of the fade-in; neighbouring bands starting within
                // a few milliseconds move it by up to about 0.15 ms (the instrument's error in the listen suite).
                assertThat(onsets[k]).as("band %s onset %d", bands[p], k)
                        .isCloseTo(0.25 + k * 0.8 + p * 0.0004 + 0.001, within(0.0002));
            }
        }
    }

    @Test
    void aSilentBandHasNoOnsets() {
        float[] x = new float[RATE];
        burst(x, 500, 0.2, 0.5, 0.2, 0.002);
        assertThat(BandEnvelope.onsets(BandEnvelope.of(x, RATE, 1700, 0.008), RATE, 0.5, 0.1, 0.02)).isEmpty();
    }
}
