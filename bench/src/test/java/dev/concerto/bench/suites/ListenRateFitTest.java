package dev.concerto.bench.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The recording's clock against the director's, from the notes of one run. */
class ListenRateFitTest {

    @Test
    void theSlopeOfOnsetMinusDeadlineIsTheRecordingsRateAndChordsHeardLateDoNotBendIt() {
        long first = 1_000_000_000L;
        List<double[]> pairs = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            long deadline = first + k * 250_000L;
            pairs.add(new double[] {deadline, -80_000 + 200e-6 * (deadline - first) + (k % 3 - 1) * 50});
        }
        pairs.add(new double[] {first + 5_000_000L, -80_000 + 50_000}); // a chord 50 ms late after a stall
        for (int p = 0; p < 4; p++) { // a chord every line stalled on together, 16 ms late, near the start
            pairs.add(new double[] {first + 250_000L, -80_000 + 16_000});
        }
        double[] fit = ListenAnalysis.rateFit(pairs, -80_000, first);
        assertThat(fit[0] * 1e6).isCloseTo(200, within(5.0));
        assertThat(fit[1]).isCloseTo(-80_000, within(100.0));
    }

    @Test
    void aRecorderThatBeganMoreThanASecondLateIsNotMatchedOnePeriodOff() {
        // The sync test: a chord every 0.5 s; parecord began 1.2 s after the bench started it, so every
        // onset is 1.2 s earlier in the recording's clock than its deadline would say (offset -1.2 s).
        long first = 1_000_000_000L;
        long[] deadlines = new long[20];
        double[] onsets = new double[20];
        for (int k = 0; k < 20; k++) {
            deadlines[k] = first + k * 500_000L;
            onsets[k] = deadlines[k] - 1_200_000 + (k % 2) * 300;
        }
        double offset = ListenAnalysis.recordingOffset(List.of("p500"), Map.of("p500", deadlines), new double[][] {onsets});
        assertThat(offset).isCloseTo(-1_200_000, within(1_000.0));
    }
}
