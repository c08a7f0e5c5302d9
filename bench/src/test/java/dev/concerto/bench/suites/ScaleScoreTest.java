package dev.concerto.bench.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.concerto.director.score.Scores;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.TimedNote;
import dev.concerto.director.score.VoiceTimeline;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale suite's generated score is valid for the director and really is 16 notes per second per
 * voice; the onset histograms the ensembles print are read back whole.
 */
class ScaleScoreTest {

    @Test
    void fourVoicesOfSixteenNotesPerSecondEachAChange(@TempDir Path dir) throws Exception {
        Timeline t = Scores.loadTimeline(ScaleSuite.writeScore(dir.resolve("s.json"), 3));
        assertThat(t.voices()).hasSize(4);
        assertThat(t.totalSeconds()).isCloseTo(3.0, within(1e-9));
        for (VoiceTimeline v : t.voices()) {
            assertThat(v.notes()).hasSize(48);
            for (int i = 0; i < v.notes().size(); i++) {
                TimedNote n = v.notes().get(i);
                assertThat(n.startSeconds()).isCloseTo(i / 16.0, within(1e-9));
                assertThat(n.durationSeconds()).isCloseTo(1 / 16.0, within(1e-9));
                if (i > 0) {
                    assertThat(n.hz()).isNotEqualTo(v.notes().get(i - 1).hz());
                }
            }
        }
    }

    @Test
    void readsTheOnsetHistogramAnEnsemblePrints() {
        dev.concerto.player.OnsetMeter m = new dev.concerto.player.OnsetMeter();
        dev.concerto.player.core.ToneChange c = new dev.concerto.player.core.ToneChange(1,
                dev.concerto.player.core.ToneChange.Cause.START, 440, 0, 0, 1, false);
        m.record(c, 96, 0, 48_000); // 2 ms after its frame
        m.record(c, 0, 0, 48_000);
        String line = "ensemble " + m.summary();
        java.util.regex.Matcher match = java.util.regex.Pattern.compile("histogram=(\\S+)").matcher(line);
        assertThat(match.find()).isTrue();
        org.HdrHistogram.Histogram h = ScaleSuite.decode(match.group(1));
        assertThat(h.getTotalCount()).isEqualTo(2);
        assertThat(ScaleSuite.onsetSummaryMs(h)).isEqualTo("0.00 / 2.00 / 2.00");
    }
}
