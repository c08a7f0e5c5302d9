package dev.concerto.director.ui;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** {@link DialogService} with JavaFX alerts and file choosers owned by the main window. FX thread only. */
public final class FxDialogService implements DialogService {

    private final Window owner;

    public FxDialogService(Window owner) {
        this.owner = owner;
    }

    @Override
    public boolean confirm(String title, String message) {
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION, "", javafx.scene.control.ButtonType.YES,
                javafx.scene.control.ButtonType.NO);
        alert.initOwner(owner);
        alert.setTitle(title);
        alert.setHeaderText(title);
        Label text = new Label(message);
        text.setStyle("-fx-font-family: monospace");
        text.setId("confirm-message");
        alert.getDialogPane().setContent(text);
        return alert.showAndWait().filter(b -> b == javafx.scene.control.ButtonType.YES).isPresent();
    }

    @Override
    public void showError(String title, String message) {
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.initOwner(owner);
        alert.setTitle(title);
        alert.setHeaderText(title);
        // A label that wraps keeps long file paths and parser messages readable.
        Label text = new Label(message);
        text.setWrapText(true);
        text.setId("error-message");
        text.setMaxWidth(560);
        alert.getDialogPane().setContent(text);
        alert.show();
    }

    @Override
    public void showList(String title, String header, List<String> lines) {
        Alert alert = new Alert(Alert.AlertType.INFORMATION);
        alert.initOwner(owner);
        alert.setTitle(title);
        alert.setHeaderText(header);
        TextArea text = new TextArea(String.join("\n", lines));
        text.setEditable(false);
        text.setId("list-text");
        text.setPrefColumnCount(90);
        text.setPrefRowCount(Math.min(20, Math.max(3, lines.size())));
        alert.getDialogPane().setContent(text);
        alert.setResizable(true);
        alert.show();
    }

    @Override
    public Optional<Path> chooseScoreToOpen(Path initialDirectory) {
        FileChooser chooser = chooser("Open score", initialDirectory);
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Scores (JSON, MIDI, MusicXML)", "*.json", "*.mid", "*.midi", "*.musicxml", "*.xml", "*.mxl"),
                new FileChooser.ExtensionFilter("All files", "*"));
        return Optional.ofNullable(chooser.showOpenDialog(owner)).map(File::toPath);
    }

    @Override
    public Optional<Path> chooseRosterToOpen(Path initialDirectory) {
        FileChooser chooser = rosterChooser("Load roster", initialDirectory);
        return Optional.ofNullable(chooser.showOpenDialog(owner)).map(File::toPath);
    }

    @Override
    public Optional<Path> chooseRosterToSave(Path initialDirectory) {
        FileChooser chooser = rosterChooser("Save roster", initialDirectory);
        chooser.setInitialFileName("roster.json");
        return Optional.ofNullable(chooser.showSaveDialog(owner)).map(File::toPath);
    }

    private static FileChooser rosterChooser(String title, Path initialDirectory) {
        FileChooser chooser = chooser(title, initialDirectory);
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Rosters (JSON)", "*.json"),
                new FileChooser.ExtensionFilter("All files", "*"));
        return chooser;
    }

    private static FileChooser chooser(String title, Path initialDirectory) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        if (initialDirectory != null && Files.isDirectory(initialDirectory)) {
            chooser.setInitialDirectory(initialDirectory.toFile());
        }
        return chooser;
    }
}
