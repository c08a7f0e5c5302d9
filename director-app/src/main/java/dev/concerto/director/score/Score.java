package dev.concerto.director.score;

import java.util.List;
import java.util.Objects;

/**
 * A loaded score: the document as written, where it came from, and warnings found while loading
 * (for MIDI and MusicXML, what the import reported). Immutable; thread-safe.
 *
 * <p>The first successful {@link ScoreCompiler#compile} of a score is kept with it: a loader
 * compiles once to validate, and {@code check}, {@code play} or the GUI then ask again; compiling
 * a 65,000-note import twice would double the work. The document is immutable, so the kept
 * timeline stays the document's timeline.
 */
public final class Score {

    private final ScoreDocument document;
    private final ScoreSource source;
    private final List<String> warnings;
    private final ImportReport report;
    /** The compiled timeline once known; written at most once with an equal value (a benign race). */
    private volatile Timeline compiled;

    /**
     * @param document the score as written
     * @param source   its origin, used to place errors found by the compiler
     * @param warnings messages for people; empty when all is well (for an imported file: its file
     *                 warnings and one line counting the unplaced notes, which {@code report} lists)
     * @param report   for imported files, the unplaced notes and file warnings by kind
     *                 ({@link ImportReport#NONE} otherwise)
     */
    public Score(ScoreDocument document, ScoreSource source, List<String> warnings, ImportReport report) {
        this.document = Objects.requireNonNull(document, "document");
        this.source = Objects.requireNonNull(source, "source");
        this.report = Objects.requireNonNull(report, "report");
        this.warnings = List.copyOf(warnings);
    }

    /** A score without an import report. */
    public Score(ScoreDocument document, ScoreSource source, List<String> warnings) {
        this(document, source, warnings, ImportReport.NONE);
    }

    /** A score built in code, without warnings. */
    public static Score of(ScoreDocument document) {
        return new Score(document, ScoreSource.MEMORY, List.of());
    }

    /** The score as written. */
    public ScoreDocument document() {
        return document;
    }

    /** Its origin, used to place errors found by the compiler. */
    public ScoreSource source() {
        return source;
    }

    /** Messages for people; empty when all is well. */
    public List<String> warnings() {
        return warnings;
    }

    /** For imported files, the unplaced notes and file warnings by kind ({@link ImportReport#NONE} otherwise). */
    public ImportReport report() {
        return report;
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

    /** The timeline a compilation of this score gave, or {@code null} before the first. */
    Timeline compiled() {
        return compiled;
    }

    /** Keeps the timeline the compiler made of this score. */
    void keep(Timeline timeline) {
        compiled = timeline;
    }

    @Override
    public String toString() {
        return "Score[" + title() + " from " + source.name() + "]";
    }
}
