package dev.concerto.director.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What view models need from dialogs and file choosers. The app shows real JavaFX dialogs
 * ({@link FxDialogService}); view-model tests record the calls. Called on the FX thread.
 */
public interface DialogService {

    /** Shows an error the user must acknowledge; {@code message} is shown verbatim. */
    void showError(String title, String message);

    /** Shows a long list of lines (e.g. every unplaced note) the user can read, select and copy. */
    void showList(String title, String header, List<String> lines);

    /** Asks a yes/no question; {@code message} is shown verbatim (monospaced: it may hold a table). */
    boolean confirm(String title, String message);

    /** Asks for a score to open (JSON score, MIDI or MusicXML file); empty when cancelled. */
    Optional<Path> chooseScoreToOpen(Path initialDirectory);

    /** Asks for a roster file to load; empty when cancelled. */
    Optional<Path> chooseRosterToOpen(Path initialDirectory);

    /** Asks where to save the roster; empty when cancelled. */
    Optional<Path> chooseRosterToSave(Path initialDirectory);
}
