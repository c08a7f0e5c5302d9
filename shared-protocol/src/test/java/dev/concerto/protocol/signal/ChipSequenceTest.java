package dev.concerto.protocol.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ChipSequenceTest {

    static final int RATE = 48_000;
    static final double HZ = 1000;

    /** Keys a tone with the pattern from {@code start} s, with a 2 ms linear ramp at each change. */
    static void key(float[] x, ChipSequence seq, double start, double amp) {
        double ramp = 0.002;
        for (int i = 0; i < x.length; i++) {
            double t = i / (double) RATE - start;
            if (t < 0 || t >= seq.seconds() + ramp) {
                continue;
            }
            int chip = (int) Math.floor(t / seq.chipSeconds());
            double into = t - chip * seq.chipSeconds();
            boolean now = chip < seq.length() && seq.on(chip);
            boolean before = chip > 0 && chip - 1 < seq.length() && seq.on(chip - 1);
            double g = now ? 1 : 0;
            if (into < ramp && now != before) {
                g = (before ? 1 : 0) + ((now ? 1 : 0) - (before ? 1 : 0)) * into / ramp;
            }
            x[i] += (float) (amp * g * Math.sin(2 * Math.PI * HZ * i / RATE));
        }
    }

    @Test
    void maximumLengthSequenceHasTheRightLengthAndBalance() {
        ChipSequence s = ChipSequence.maximumLength(5, 0.008);
        assertThat(s.length()).isEqualTo(31);
        int ones = 0;
        for (int i = 0; i < s.length(); i++) {
            ones += s.on(i) ? 1 : 0;
        }
        assertThat(ones).isEqualTo(16); // an m-sequence has one more 1 than 0s
    }

    @Test
    void findsTheArrivalToATenthOfAMillisecondInNoise() {
        ChipSequence s = ChipSequence.maximumLength(5, 0.008);
        float[] x = new float[RATE * 2];
        Random noise = new Random(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.05 * noise.nextGaussian()); // noise as loud as a quarter of the probe
        }
        key(x, s, 0.73125, 0.2);
        ChipSequence.Match m = s.find(BandEnvelope.of(x, RATE, HZ, 0.004), RATE, 0, 1.5);
        // Each change ramps over 2 ms: the match lines up the ramps' middles, 1 ms after the start.
        assertThat(m.startSeconds()).isCloseTo(0.73125 + 0.001, within(0.0001));
        assertThat(m.peakToSideLobe()).isGreaterThan(2);
        assertThat(m.level()).isCloseTo(0.2, within(0.03));
    }

    @Test
    void silenceGivesNoClearPeak() {
        ChipSequence s = ChipSequence.maximumLength(5, 0.008);
        float[] x = new float[RATE * 2];
        Random noise = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.01 * noise.nextGaussian());
        }
        ChipSequence.Match m = s.find(BandEnvelope.of(x, RATE, HZ, 0.004), RATE, 0, 1.5);
        assertThat(m.peakToSideLobe()).isLessThan(2);
    }

    @Test
    void twoOverlappingArrivalsAreNotClear() {
        ChipSequence s = ChipSequence.maximumLength(5, 0.008);
        float[] x = new float[RATE * 2];
        key(x, s, 0.4, 0.2);
        key(x, s, 0.55, 0.2); // a second player answering 150 ms later, as loud
        ChipSequence.Match m = s.find(BandEnvelope.of(x, RATE, HZ, 0.004), RATE, 0, 1.5);
        assertThat(m.peakToSideLobe()).isLessThan(2);
    }

    static float[] noise(double seconds, double level, long seed) {
        float[] x = new float[(int) (seconds * RATE)];
        Random r = new Random(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (level * r.nextGaussian());
        }
        return x;
    }

    @Test
    void arrivalsBetweenSamplesAreInterpolated() {
        ChipSequence s = ChipSequence.maximumLength(5, 0.008);
        double first = Double.NaN;
        for (double fraction : new double[] {0, 0.25, 0.5, 0.75, 1}) {
            double start = (24_000 + fraction) / RATE;
            float[] x = noise(1.5, 0.01, 21);
            key(x, s, start, 0.2);
            ChipSequence.Match m = s.find(BandEnvelope.of(x, RATE, HZ, 0.004), RATE, 0.3, 0.7);
            double samples = (m.startSeconds() - 0.001 - start) * RATE;
            assertThat(samples).as("fraction %s", fraction).isCloseTo(0, within(1.0)); // 21 µs
            if (Double.isNaN(first)) {
                first = samples;
            }
            // What is resolved between samples: a shift of a quarter sample moves the match by a quarter sample.
            assertThat(samples - first).as("fraction %s", fraction).isCloseTo(0, within(0.1));
        }
    }

    @Test
    void noiseAsLoudAsTheProbeStillFindsItToATenthOfAMillisecond() {
        ChipSequence s = ChipSequence.maximumLength(5, 0.008);
        for (long seed = 1; seed <= 5; seed++) {
            float[] x = noise(1.5, 0.14, seed); // RMS of the noise = RMS of the probe's sine (0.2 / √2)
            key(x, s, 0.61, 0.2);
            ChipSequence.Match m = s.find(BandEnvelope.of(x, RATE, HZ, 0.004), RATE, 0.4, 0.9);
            assertThat(m.startSeconds()).as("seed %d", seed).isCloseTo(0.611, within(0.0001));
            assertThat(m.peakToSideLobe()).isGreaterThan(2);
        }
    }

    @Test
    void anotherToneOverlappingTheProbeInAnotherBandDoesNotMoveIt() {
        ChipSequence s = ChipSequence.maximumLength(5, 0.008);
        float[] x = noise(1.5, 0.01, 9);
        key(x, s, 0.5, 0.1);
        for (int i = (int) (0.55 * RATE); i < (int) (0.9 * RATE); i++) {
            x[i] += (float) (0.3 * Math.sin(2 * Math.PI * 1500 * i / RATE)); // a louder note elsewhere in the spectrum
        }
        ChipSequence.Match m = s.find(BandEnvelope.of(x, RATE, HZ, 0.004), RATE, 0.3, 0.8);
        assertThat(m.startSeconds()).isCloseTo(0.501, within(0.0001));
    }

    @Test
    void aQuieterEchoOverlappingTheProbeLeavesTheDirectArrival() {
        ChipSequence s = ChipSequence.maximumLength(5, 0.008);
        float[] x = noise(1.5, 0.005, 10);
        key(x, s, 0.5, 0.2);
        key(x, s, 0.5 + 0.037, 0.05); // a reflection 37 ms later, 12 dB down, overlapping most of the probe
        ChipSequence.Match m = s.find(BandEnvelope.of(x, RATE, HZ, 0.004), RATE, 0.3, 0.8);
        assertThat(m.startSeconds()).isCloseTo(0.501, within(0.0002));
        assertThat(m.peakToSideLobe()).isGreaterThan(2);
    }

    @Test
    void aPatternThatJumpsMidwayIsFoundWhereMostOfItIs() {
        ChipSequence s = ChipSequence.maximumLength(5, 0.008);
        float[] x = noise(1.5, 0.005, 12);
        // The first quarter of the chips on time, the rest 12 ms late (a line that skipped back mid-probe).
        boolean[] head = new boolean[s.length()];
        boolean[] tail = new boolean[s.length()];
        for (int i = 0; i < s.length(); i++) {
            head[i] = i < 8 && s.on(i);
            tail[i] = i >= 8 && s.on(i);
        }
        key(x, new ChipSequence(head, s.chipSeconds()), 0.5, 0.2);
        key(x, new ChipSequence(tail, s.chipSeconds()), 0.512, 0.2);
        ChipSequence.Match m = s.find(BandEnvelope.of(x, RATE, HZ, 0.004), RATE, 0.3, 0.8);
        assertThat(m.startSeconds()).isCloseTo(0.513, within(0.0005));
    }
}
