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
}
