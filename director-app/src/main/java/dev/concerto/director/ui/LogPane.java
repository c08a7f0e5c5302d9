package dev.concerto.director.ui;

import ch.qos.logback.classic.Level;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The log: the latest events at or above the chosen level, newest at the bottom. */
final class LogPane extends VBox {

    LogPane(LogViewModel vm) {
        setSpacing(2);
        setPadding(new Insets(2, 6, 4, 6));
        ComboBox<Level> level = new ComboBox<>();
        level.setId("log-level");
        level.getItems().setAll(LogViewModel.LEVELS);
        level.valueProperty().bindBidirectional(vm.minimumLevelProperty());
        Button clear = new Button("Clear");
        clear.setOnAction(e -> vm.clear());
        Label title = new Label("Log");
        title.setStyle("-fx-font-weight: bold;");
        HBox bar = new HBox(6, title, new Label("show"), level, new Label("and above"), clear);
        bar.setAlignment(Pos.CENTER_LEFT);

        ListView<LogBuffer.Line> list = new ListView<>(vm.shownLines());
        list.setId("log-list");
        list.setFixedCellSize(22);
        list.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(LogBuffer.Line line, boolean empty) {
                super.updateItem(line, empty);
                if (empty || line == null) {
                    setText(null);
                    setStyle("");
                    return;
                }
                setText(line.toString());
                setStyle(switch (line.level().toInt()) {
                    case Level.ERROR_INT -> "-fx-text-fill: #c62828; -fx-font-family: monospace;";
                    case Level.WARN_INT -> "-fx-text-fill: #b26a00; -fx-font-family: monospace;";
                    case Level.DEBUG_INT, Level.TRACE_INT -> "-fx-text-fill: #707070; -fx-font-family: monospace;";
                    default -> "-fx-font-family: monospace;";
                });
            }
        });
        vm.shownLines().addListener((ListChangeListener<LogBuffer.Line>) c -> {
            if (!vm.shownLines().isEmpty()) {
                list.scrollTo(vm.shownLines().size() - 1);
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        getChildren().addAll(bar, list);
    }
}
