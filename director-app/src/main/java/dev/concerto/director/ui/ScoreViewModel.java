package dev.concerto.director.ui;

import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.VoiceTimeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loaded score: which file, what it is (title, composer, tempo, voices, duration), and the
 * recently opened files. A failed load shows the loader's message in a dialog and keeps the
 * previous score. FX thread only.
 */
public final class ScoreViewModel {

    /** How many recently opened scores the menu keeps. */
    public static final int RECENT_LIMIT = 8;

    private static final Logger LOG = LoggerFactory.getLogger(ScoreViewModel.class);

    private final DirectorBackend backend;
    private final DialogService dialogs;
    private final BackgroundRunner runner;

    private final ReadOnlyObjectWrapper<Timeline> timeline = new ReadOnlyObjectWrapper<>(this, "timeline");
    private final ReadOnlyObjectWrapper<Path> file = new ReadOnlyObjectWrapper<>(this, "file");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ObservableList<Path> recentFiles = FXCollections.observableArrayList();
    private final ObservableList<Path> recentFilesView = FXCollections.unmodifiableObservableList(recentFiles);
    private final ObservableList<String> voices = FXCollections.observableArrayList();
    private final ObservableList<String> voicesView = FXCollections.unmodifiableObservableList(voices);

    private final ObservableList<String> importWarnings = FXCollections.observableArrayList();
    private final ObservableList<String> importWarningsView = FXCollections.unmodifiableObservableList(importWarnings);
    private final ObservableList<String> unplaced = FXCollections.observableArrayList();
    private final ObservableList<String> unplacedView = FXCollections.unmodifiableObservableList(unplaced);
    private final StringBinding reportSummary;

    private final StringBinding title;
    private final StringBinding composer;
    private final StringBinding details;

    public ScoreViewModel(DirectorBackend backend, DialogService dialogs, BackgroundRunner runner) {
        this.backend = backend;
        this.dialogs = dialogs;
        this.runner = runner;
        title = Bindings.createStringBinding(() -> timeline.get() == null ? "No score loaded" : timeline.get().title(), timeline);
        composer = Bindings.createStringBinding(() -> timeline.get() == null ? "" : timeline.get().composer(), timeline);
        details = Bindings.createStringBinding(() -> describe(timeline.get()), timeline);
        reportSummary = Bindings.createStringBinding(() -> summary(unplaced.size(), importWarnings.size()),
                unplaced, importWarnings);
    }

    /** "68 notes not played · 1 warning", or empty when the import reported nothing. */
    static String summary(int unplacedNotes, int warnings) {
        List<String> parts = new ArrayList<>();
        if (unplacedNotes > 0) {
            parts.add(unplacedNotes + (unplacedNotes == 1 ? " note" : " notes") + " not played");
        }
        if (warnings > 0) {
            parts.add(warnings + (warnings == 1 ? " warning" : " warnings"));
        }
        return String.join(" · ", parts);
    }

    /** Shows the whole import report (every warning and every unplaced note). */
    public void showReport() {
        List<String> lines = new ArrayList<>();
        importWarnings.forEach(w -> lines.add("warning: " + w));
        lines.addAll(unplaced);
        if (!lines.isEmpty()) {
            dialogs.showList("Import report", summary(unplaced.size(), importWarnings.size()), lines);
        }
    }

    /** The loaded file's warnings (a note never released, an unsupported element). */
    public ObservableList<String> importWarnings() {
        return importWarningsView;
    }

    /** One line per note of the loaded file that no player plays, with its cause. */
    public ObservableList<String> unplaced() {
        return unplacedView;
    }

    /** {@link #summary} of the loaded file; empty when there is nothing to report. */
    public StringBinding reportSummaryBinding() {
        return reportSummary;
    }

    /** Loads {@code path} in the background; on success it becomes the score and heads the recent list. */
    public void open(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        loading.set(true);
        runner.run("loading " + absolute, () -> backend.loadScoreWithReport(absolute), result -> {
            loading.set(false);
            Timeline loaded = result.timeline();
            LOG.info("Loaded {}: {} ({} voices, {} measures)", absolute, loaded.title(),
                    loaded.voices().size(), loaded.measureCount());
            if (!result.unplaced().isEmpty() || !result.warnings().isEmpty()) {
                LOG.warn("{}: {} notes not played, {} warnings (Score ▸ Import report)", absolute,
                        result.unplaced().size(), result.warnings().size());
            }
            remember(absolute);
            file.set(absolute);
            importWarnings.setAll(result.warnings());
            unplaced.setAll(result.unplaced());
            setTimeline(loaded);
        }, error -> {
            loading.set(false);
            LOG.warn("Could not open {}: {}", absolute, error.getMessage());
            dialogs.showError("Could not open the score", messageOf(error, absolute));
        });
    }

    /** Asks for a file with the dialog service, then {@link #open}s it. */
    public void openWithChooser() {
        Path dir = file.get() == null ? null : file.get().getParent();
        dialogs.chooseScoreToOpen(dir).ifPresent(this::open);
    }

    /** Replaces the recent-files list (from settings), most recent first. */
    public void setRecentFiles(List<Path> paths) {
        List<Path> copy = new ArrayList<>();
        for (Path p : paths) {
            if (!copy.contains(p) && copy.size() < RECENT_LIMIT) {
                copy.add(p);
            }
        }
        recentFiles.setAll(copy);
    }

    private void remember(Path path) {
        List<Path> copy = new ArrayList<>(recentFiles);
        copy.remove(path);
        copy.add(0, path);
        setRecentFiles(copy);
    }

    private void setTimeline(Timeline loaded) {
        List<String> names = new ArrayList<>();
        for (VoiceTimeline v : loaded.voices()) {
            names.add(v.name());
        }
        voices.setAll(names);
        timeline.set(loaded);
    }

    static String messageOf(Exception error, Path file) {
        String message = error.getMessage();
        if (message == null || message.isBlank()) {
            message = error.getClass().getSimpleName();
        }
        // Loader messages name the file already; other failures (an I/O error) may not.
        return message.contains(file.getFileName().toString()) ? message : file + ": " + message;
    }

    static String describe(Timeline t) {
        if (t == null) {
            return "";
        }
        return String.format(Locale.ROOT, "%s BPM · %d voices · %d measures · %s",
                formatBpm(t.bpm()), t.voices().size(), t.measureCount(), formatDuration(t.totalSeconds()));
    }

    static String formatBpm(double bpm) {
        return bpm == Math.rint(bpm) ? String.valueOf((long) bpm) : String.format(Locale.ROOT, "%.1f", bpm);
    }

    /** {@code m:ss}, rounded to whole seconds. */
    static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    public ReadOnlyObjectProperty<Timeline> timelineProperty() {
        return timeline.getReadOnlyProperty();
    }

    public Timeline timeline() {
        return timeline.get();
    }

    public ReadOnlyObjectProperty<Path> fileProperty() {
        return file.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** Most recent first, at most {@link #RECENT_LIMIT}. */
    public ObservableList<Path> recentFiles() {
        return recentFilesView;
    }

    /** The loaded score's voice names, in score order. */
    public ObservableList<String> voices() {
        return voicesView;
    }

    public StringBinding titleBinding() {
        return title;
    }

    public StringBinding composerBinding() {
        return composer;
    }

    /** "66 BPM · 3 voices · 35 measures · 2:07". */
    public StringBinding detailsBinding() {
        return details;
    }
}
