package dev.concerto.director.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs without a JavaFX toolkit: properties and bindings only. */
class ScoreViewModelTest {

    private final FakeBackend backend = new FakeBackend();
    private final RecordingDialogs dialogs = new RecordingDialogs();
    private final ScoreViewModel vm = new ScoreViewModel(backend, dialogs, BackgroundRunner.direct());
    private final Path bach = Path.of("/scores/bwv846.json");
    private final Path broken = Path.of("/scores/broken.json");

    @Test
    void aLoadedScoreShowsTitleComposerTempoVoicesAndDuration() {
        backend.scores.put(bach, TestTimelines.scale("Prelude in C", 4, 60));
        assertThat(vm.titleBinding().get()).isEqualTo("No score loaded");

        vm.open(bach);

        assertThat(vm.titleBinding().get()).isEqualTo("Prelude in C");
        assertThat(vm.composerBinding().get()).isEqualTo("Test Composer");
        assertThat(vm.detailsBinding().get()).isEqualTo("60 BPM · 2 voices · 4 measures · 0:16");
        assertThat(vm.voices()).containsExactly("bass", "melody");
        assertThat(vm.fileProperty().get()).isEqualTo(bach);
        assertThat(vm.recentFiles()).containsExactly(bach);
        assertThat(vm.loadingProperty().get()).isFalse();
        assertThat(dialogs.errors).isEmpty();
    }

    @Test
    void aLoadErrorShowsThePreciseMessageAndKeepsThePreviousScore() {
        backend.scores.put(bach, TestTimelines.scale("Prelude in C", 4, 60));
        String precise = "/scores/broken.json:12:7: field voices[1].notes[3].pitch: 'H9' is not a note name";
        backend.scoreErrors.put(broken, precise);
        vm.open(bach);

        vm.open(broken);

        assertThat(dialogs.errors).containsExactly("Could not open the score: " + precise);
        assertThat(vm.titleBinding().get()).isEqualTo("Prelude in C");
        assertThat(vm.fileProperty().get()).isEqualTo(bach);
        assertThat(vm.recentFiles()).containsExactly(bach);
    }

    @Test
    void anErrorWithoutTheFileNameGetsItPrefixed() {
        Path missing = Path.of("/nowhere/gone.mid");
        vm.open(missing);
        assertThat(dialogs.errors).singleElement().asString().contains("/nowhere/gone.mid");
    }

    @Test
    void recentFilesPutTheLatestFirstWithoutDuplicatesAndKeepEight() {
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Path p = Path.of("/s/score" + i + ".json");
            backend.scores.put(p, TestTimelines.scale("s" + i, 1, 60));
            paths.add(p);
        }
        for (Path p : paths) {
            vm.open(p);
        }
        vm.open(paths.get(5));

        assertThat(vm.recentFiles()).hasSize(ScoreViewModel.RECENT_LIMIT);
        assertThat(vm.recentFiles().get(0)).isEqualTo(paths.get(5));
        assertThat(vm.recentFiles().get(1)).isEqualTo(paths.get(9));
        assertThat(vm.recentFiles()).doesNotHaveDuplicates();
    }

    @Test
    void theChooserOpensWhatWasChosenAndNothingWhenCancelled() {
        backend.scores.put(bach, TestTimelines.scale("Prelude in C", 4, 60));
        vm.openWithChooser();
        assertThat(vm.timeline()).isNull();
        dialogs.answers.add(bach);
        vm.openWithChooser();
        assertThat(vm.timeline()).isNotNull();
    }

    @Test
    void durationsAndTemposReadNaturally() {
        assertThat(ScoreViewModel.formatDuration(127.4)).isEqualTo("2:07");
        assertThat(ScoreViewModel.formatDuration(0)).isEqualTo("0:00");
        assertThat(ScoreViewModel.formatBpm(66)).isEqualTo("66");
        assertThat(ScoreViewModel.formatBpm(72.5)).isEqualTo("72.5");
    }
}
