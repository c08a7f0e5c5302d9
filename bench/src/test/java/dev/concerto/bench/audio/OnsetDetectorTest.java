package dev.concerto.bench.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OnsetDetectorTest {

    private static final int RATE = 48_000;

    /** A phase-continuous oscillator that switches frequency at an exact frame, as the players' core does. */
    private static float[] render(double f0, double f1, int changeFrame, int frames, boolean square) {
        float[] out = new float[frames];
        double phase = 0.1; // not starting on a crossing
        for (int i = 0; i < frames; i++) {
            double f = i < changeFrame ? f0 : f1;
            double s = f == 0 ? 0 : Math.sin(2 * Math.PI * phase);
            out[i] = (float) (square ? (f == 0 ? 0 : Math.signum(s) * 0.5) : 0.5 * s);
            phase += f / RATE;
            phase -= Math.floor(phase);
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({
        "262, 330, 24000, false", "330, 262, 24017, false", "65, 988, 30001, false", "988, 880, 12345, false",
        "262, 330, 24000, true", "392, 440, 24011, true", "131, 123, 20000, true", "659, 698, 22222, true"})
    void findsAFrequencyChangeWithinAFrame(double f0, double f1, int change, boolean square) {
        float[] audio = render(f0, f1, change, 48_000, square);
        var detector = new OnsetDetector(RATE, 0.01f);
        double found = detector.find(audio, f0, f1, change - 4_800, change + 4_800).orElseThrow();
        // A square wave's edges are quantised to whole frames, so allow two frames there.
        assertThat(found).isCloseTo(change, within(square ? 2.0 : 1.0));
    }

    @ParameterizedTest
    @CsvSource({"0, 440, 10000", "440, 0, 10000", "0, 65, 33333", "988, 0, 4321"})
    void findsStartsAndStopsToTheFrame(double f0, double f1, int change) {
        float[] audio = render(f0, f1, change, 48_000, false);
        var detector = new OnsetDetector(RATE, 0.01f);
        double found = detector.find(audio, f0, f1, change - 2_000, change + 2_000).orElseThrow();
        // The first (last) sample above 1 % of full scale lies within a few frames of the switch.
        assertThat(found).isCloseTo(change, within(3.0));
    }

    @ParameterizedTest
    @CsvSource({"262, 330", "0, 440"})
    void reportsNothingWhenTheChangeIsNotInTheWindow(double f0, double f1) {
        float[] audio = render(f0, f1, 40_000, 48_000, false);
        var detector = new OnsetDetector(RATE, 0.01f);
        assertThat(detector.find(audio, f0, f1, 1_000, 20_000)).isEmpty();
    }
}
