package dev.concerto.director.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.director.ui.DefaultScore;
import dev.concerto.director.ui.DirectorBackend.LoadedScore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The real backend opens MusicXML and hands the GUI the import report. */
class EngineBackendImportTest {

    @Test
    void musicXmlLoadsWithItsReport() throws Exception {
        Path round = DefaultScore.locate(Path.of(""), null).orElseThrow().resolveSibling("row-row-row-your-boat.musicxml");
        try (EngineBackend backend = new EngineBackend()) {
            LoadedScore loaded = backend.loadScoreWithReport(round);
            assertThat(loaded.timeline().voices()).extracting(v -> v.name()).containsExactly("Voice 1", "Voice 2", "Voice 3");
            assertThat(loaded.unplaced()).isEmpty();
            assertThat(loaded.warnings()).isEmpty();
        }
    }

    @Test
    void midiUnplacedNotesReachTheGui() throws Exception {
        Path midi = DefaultScore.locate(Path.of(""), null).orElseThrow().resolveSibling("frere-jacques.mid");
        try (EngineBackend backend = new EngineBackend()) {
            // four players are plenty for the two-voice round: nothing to report
            assertThat(backend.loadScoreWithReport(midi).unplaced()).isEmpty();
        }
    }
}
