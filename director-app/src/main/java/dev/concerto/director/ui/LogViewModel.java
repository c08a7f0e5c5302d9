package dev.concerto.director.ui;

import ch.qos.logback.classic.Level;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The log pane's content: the latest {@link #LIMIT} lines and a minimum-level filter. FX thread only.
 */
public final class LogViewModel {

    /** Lines kept; older ones are dropped. */
    public static final int LIMIT = 1000;

    /** The levels the filter offers, most verbose first. */
    public static final List<Level> LEVELS = List.of(Level.DEBUG, Level.INFO, Level.WARN, Level.ERROR);

    private final ObservableList<LogBuffer.Line> lines = FXCollections.observableArrayList();
    private final FilteredList<LogBuffer.Line> shown = new FilteredList<>(lines);
    private final ObjectProperty<Level> minimumLevel = new SimpleObjectProperty<>(this, "minimumLevel", Level.INFO);

    public LogViewModel() {
        shown.predicateProperty().bind(javafx.beans.binding.Bindings.createObjectBinding(() -> {
            Level min = minimumLevel.get() == null ? Level.TRACE : minimumLevel.get();
            return line -> line.level().isGreaterOrEqual(min);
        }, minimumLevel));
    }

    /** Appends lines (oldest first), dropping the oldest beyond {@link #LIMIT}. */
    public void append(List<LogBuffer.Line> newLines) {
        lines.addAll(newLines);
        if (lines.size() > LIMIT) {
            lines.remove(0, lines.size() - LIMIT);
        }
    }

    public void clear() {
        lines.clear();
    }

    /** The lines at or above the minimum level. */
    public ObservableList<LogBuffer.Line> shownLines() {
        return shown;
    }

    public ObjectProperty<Level> minimumLevelProperty() {
        return minimumLevel;
    }
}
