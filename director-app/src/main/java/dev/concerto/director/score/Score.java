package dev.concerto.director.score;

import java.util.List;
import java.util.Objects;

/**
 * A loaded score: the document as written, where it came from, and warnings found while loading
 * (for MIDI and MusicXML, what the import reported). Immutable; thread-safe.
 *
 * @param document the score as written
 * @param source   its origin, used to place errors found by the compiler
 * @param warnings messages for people; empty when all is well (for an imported file: its file
 *                 warnings and one line counting the unplaced notes, which {@code report} lists)
 * @param report   for imported files, the unplaced notes and file warnings by kind
 *                 ({@link ImportReport#NONE} otherwise)
 */
public record Score(ScoreDocument document, ScoreSource source, List<String> warnings, ImportReport report) {

    public Score {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(report, "report");
        warnings = List.copyOf(warnings);
    }

    /** A score without an import report. */
    public Score(ScoreDocument document, ScoreSource source, List<String> warnings) {
        this(document, source, warnings, ImportReport.NONE);
    }

    /** A score built in code, without warnings. */
    public static Score of(ScoreDocument document) {
        return new Score(document, ScoreSource.MEMORY, List.of());
    }

    public String title() {
        return document.title() == null ? "" : document.title();
    }

    public String composer() {
        return document.composer() == null ? "" : document.composer();
    }

    public String description() {
        return document.description() == null ? "" : document.description();
    }

    /** The voice names in score order. */
    public List<String> voiceNames() {
        return document.voices() == null ? List.of()
                : document.voices().stream().map(ScoreDocument.VoiceSpec::name).toList();
    }
}
