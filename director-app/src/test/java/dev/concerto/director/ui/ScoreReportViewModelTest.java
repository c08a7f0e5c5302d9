package dev.concerto.director.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The import report of a loaded MIDI or MusicXML file: a count in the header, the whole list on request. */
class ScoreReportViewModelTest {

    private final FakeBackend backend = new FakeBackend();
    private final RecordingDialogs dialogs = new RecordingDialogs();
    private final ScoreViewModel vm = new ScoreViewModel(backend, dialogs, BackgroundRunner.direct());

    @Test
    void theCountAndEveryLineOfTheReportAreShownAndClearedByTheNextScore() {
        Path band = Path.of("/scores/band.mid");
        Path clean = Path.of("/scores/clean.musicxml");
        backend.scores.put(band, TestTimelines.scale("Band", 4, 120));
        backend.scores.put(clean, TestTimelines.scale("Clean", 4, 120));
        backend.reports.put(band, List.of(List.of("track 2: 1 note is never released"),
                List.of("unplaced C2 (track 1, channel 10) at beat 0 (0.000 s): percussion",
                        "unplaced G3 (track 1, channel 1) at beat 1 (0.500 s): all 2 players are busy")));

        vm.open(band);
        assertThat(vm.reportSummaryBinding().get()).isEqualTo("2 notes not played · 1 warning");
        assertThat(vm.unplaced()).hasSize(2);
        vm.showReport();
        assertThat(dialogs.lists).containsExactly("Import report: 2 notes not played · 1 warning\n"
                + "warning: track 2: 1 note is never released\n"
                + "unplaced C2 (track 1, channel 10) at beat 0 (0.000 s): percussion\n"
                + "unplaced G3 (track 1, channel 1) at beat 1 (0.500 s): all 2 players are busy");

        vm.open(clean);
        assertThat(vm.reportSummaryBinding().get()).isEmpty();
        vm.showReport();
        assertThat(dialogs.lists).hasSize(1);
    }
}
