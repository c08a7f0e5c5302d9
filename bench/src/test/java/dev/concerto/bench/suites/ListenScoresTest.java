package dev.concerto.bench.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.concerto.director.score.Scores;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.TimedNote;
import dev.concerto.director.score.VoiceTimeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listen suite's scores are valid for the director and say what they claim; its log and output parsing. */
class ListenScoresTest {

    @Test
    void bwv846RhythmHasTheFiguresOnsetsOneBandPerVoiceEachNoteFromSilence(@TempDir Path dir) throws Exception {
        Timeline t = Scores.loadTimeline(ListenScores.bwv846Rhythm(dir.resolve("b.json"), 2));
        double sixteenth = 60.0 / 66 / 4;
        assertThat(t.totalSeconds()).isCloseTo(2 * 16 * sixteenth, within(1e-9));
        assertThat(t.voices()).hasSize(3);
        int[] perHalfMeasure = {1, 1, 6};
        int[] firstStep = {0, 1, 2};
        for (int v = 0; v < 3; v++) {
            List<TimedNote> sounding = t.voices().get(v).notes().stream().filter(n -> n.hz() > 0).toList();
            assertThat(sounding).hasSize(4 * perHalfMeasure[v]);
            assertThat(sounding.get(0).startSeconds()).isCloseTo(firstStep[v] * sixteenth, within(1e-9));
            for (TimedNote n : sounding) {
                assertThat(n.durationSeconds()).isCloseTo(sixteenth / 4, within(1e-9));
            }
        }
        for (int v = 0; v < 3; v++) {
            VoiceTimeline voice = t.voices().get(v);
            double band = ListenScores.BANDS[v];
            assertThat(voice.notes().stream().filter(n -> n.hz() > 0)).allSatisfy(n -> assertThat(n.hz()).isEqualTo(band));
        }
    }

    @Test
    void syncTestHasEveryVoiceStartTogetherFromSilence(@TempDir Path dir) throws Exception {
        Timeline t = Scores.loadTimeline(ListenScores.syncTest(dir.resolve("s.json"), 6, 4));
        assertThat(t.voices()).hasSize(4);
        for (VoiceTimeline v : t.voices()) {
            List<TimedNote> sounding = v.notes().stream().filter(n -> n.hz() > 0).toList();
            assertThat(sounding).hasSize(6);
            for (int i = 0; i < sounding.size(); i++) {
                assertThat(sounding.get(i).startSeconds()).isCloseTo(i * 0.5, within(1e-9));
            }
        }
    }

    @Test
    void theStallIsTakenFromThePlayersTestLogLine(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("p500.log");
        Files.writeString(log, "player 'p500' listening on udp 127.0.0.1:1 (...)\n"
                + "18:24:16.497 WARN  [audio-javasound] d.c.p.synth.SynthOutput - TEST: blocking the audio thread for"
                + " 200 ms (--test-stall-ms)\n");
        ZoneId zone = ZoneId.systemDefault();
        LocalDate day = LocalDate.of(2026, 12, 1);
        long near = day.atTime(18, 24, 18).atZone(zone).toEpochSecond() * 1_000_000;
        long expected = day.atTime(LocalTime.of(18, 24, 16, 497_000_000)).atZone(zone).toEpochSecond() * 1_000_000 + 497_000;
        assertThat(ListenSuite.stallInstant(log, near)).isEqualTo(expected);
        Files.writeString(log, "no stall here\n");
        assertThat(ListenSuite.stallInstant(log, near)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void calibrationFindsTheDelayedPlayerAgainstTheMedianOfTheOthers() {
        StringBuilder out = new StringBuilder("calibrating 8 timed players ...\n");
        for (int i = 1; i <= ListenCalibration.PLAYERS; i++) {
            double arrival = i == ListenCalibration.DELAYED + 1 ? 27.1 : 20.0 + (i % 3) * 0.1;
            out.append(String.format(java.util.Locale.ROOT, "  c%d               heard  %+.2f ms (level 0.2, clarity 3.0)%n",
                    i, arrival));
        }
        ListenCalibration.Result r = ListenCalibration.found(out.toString(), 5, 0, 0);
        assertThat(r.allHeard()).isTrue();
        assertThat(r.foundMs()).isCloseTo(7.0, within(0.11));

        ListenCalibration.Result missing = ListenCalibration.found(out.toString().replace("  c3               heard",
                "  c3               NOT HEARD"), 5, 0, 0);
        assertThat(missing.allHeard()).isFalse();
    }
}
