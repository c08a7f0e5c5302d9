package dev.concerto.director.ui;

import java.util.List;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;

/**
 * The roster editor: a table whose cells are always-live text fields and combo boxes bound to the
 * rows' properties (so validation follows every keystroke; a bad field gets a red border and says
 * why in its tooltip), each player's voice picked from the score's voices in the lane colours, a
 * status and "now playing" column, a test-tone button per player, and the roster's buttons.
 */
final class RosterTable extends VBox {

    private final TableView<RosterRowViewModel> table = new TableView<>();

    RosterTable(RosterViewModel vm, ObservableList<String> voices, List<String> protocols, Runnable useLocalPlayers) {
        setSpacing(4);
        setPadding(new Insets(4, 6, 4, 6));
        table.setId("roster-table");
        table.setItems(vm.rows());
        table.setEditable(false); // the cells edit themselves
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No players yet: add one, load a roster, or use local players."));
        table.setFixedCellSize(30);

        table.getColumns().add(column("Name", 130, () -> new FieldCell(RosterRowViewModel::nameProperty,
                RosterRowViewModel::nameErrorBinding, "name")));
        table.getColumns().add(column("Host", 120, () -> new FieldCell(RosterRowViewModel::hostProperty,
                RosterRowViewModel::hostErrorBinding, "host")));
        table.getColumns().add(column("Port", 70, () -> new FieldCell(RosterRowViewModel::portProperty,
                RosterRowViewModel::portErrorBinding, "port")));
        table.getColumns().add(column("Protocol", 95, () -> new ChoiceCell(RosterRowViewModel::protocolProperty,
                RosterRowViewModel::protocolErrorBinding, protocols, null, "protocol")));
        table.getColumns().add(column("Plays voice", 130, () -> new ChoiceCell(RosterRowViewModel::voiceProperty,
                RosterRowViewModel::voiceErrorBinding, voices, voices, "voice")));
        table.getColumns().add(column("Now playing", 110, () -> new LabelCell(RosterRowViewModel::nowPlayingProperty)));
        table.getColumns().add(column("Status", 300, () -> new LabelCell(RosterRowViewModel::statusProperty)));
        table.getColumns().add(column("", 160, () -> new ButtonsCell(vm)));
        VBox.setVgrow(table, Priority.ALWAYS);

        Label label = new Label();
        label.setId("roster-label");
        label.textProperty().bind(vm.labelBinding());
        label.setStyle("-fx-font-weight: bold;");
        Button add = new Button("Add player");
        add.setId("add-player");
        add.setOnAction(e -> {
            RosterRowViewModel row = vm.addPlayer();
            table.scrollTo(row);
        });
        Button load = new Button("Load roster…");
        load.setOnAction(e -> vm.loadWithChooser());
        Button save = new Button("Save roster…");
        save.setOnAction(e -> vm.saveWithChooser());
        save.disableProperty().bind(vm.validBinding().not());
        Button local = new Button("Use local players");
        local.setOnAction(e -> useLocalPlayers.run());
        local.disableProperty().bind(vm.localProperty());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox bar = new HBox(6, label, grow, add, load, save, local);
        bar.setAlignment(Pos.CENTER_LEFT);

        Label problem = new Label();
        problem.setId("roster-problem");
        problem.setStyle("-fx-text-fill: #c62828;");
        problem.textProperty().bind(vm.problemBinding());
        problem.managedProperty().bind(problem.textProperty().isNotEmpty());
        problem.visibleProperty().bind(problem.managedProperty());

        getChildren().addAll(bar, table, problem);
    }

    TableView<RosterRowViewModel> table() {
        return table;
    }

    private static TableColumn<RosterRowViewModel, RosterRowViewModel> column(
            String title, double width, java.util.function.Supplier<TableCell<RosterRowViewModel, RosterRowViewModel>> cells) {
        TableColumn<RosterRowViewModel, RosterRowViewModel> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setSortable(false);
        c.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(f.getValue()));
        c.setCellFactory(col -> cells.get());
        return c;
    }

    private static final String INVALID = "-fx-border-color: #d32f2f; -fx-border-width: 2; -fx-border-radius: 3;";

    /** A text field bound both ways to one string property of the row. */
    private static final class FieldCell extends TableCell<RosterRowViewModel, RosterRowViewModel> {
        private final TextField field = new TextField();
        private final Function<RosterRowViewModel, StringProperty> property;
        private final Function<RosterRowViewModel, StringBinding> error;
        private StringProperty bound;

        FieldCell(Function<RosterRowViewModel, StringProperty> property,
                  Function<RosterRowViewModel, StringBinding> error, String styleClass) {
            this.property = property;
            this.error = error;
            field.getStyleClass().add("roster-" + styleClass);
            setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
        }

        @Override
        protected void updateItem(RosterRowViewModel row, boolean empty) {
            super.updateItem(row, empty);
            if (bound != null) {
                field.textProperty().unbindBidirectional(bound);
                bound = null;
            }
            field.styleProperty().unbind();
            if (empty || row == null) {
                setGraphic(null);
                return;
            }
            bound = property.apply(row);
            field.textProperty().bindBidirectional(bound);
            StringBinding err = error.apply(row);
            field.styleProperty().bind(Bindings.when(err.isEmpty()).then("").otherwise(INVALID));
            Tooltip tip = new Tooltip();
            tip.textProperty().bind(Bindings.when(err.isEmpty()).then("OK").otherwise(err));
            field.setTooltip(tip);
            setGraphic(field);
        }
    }

    /** A combo box bound both ways to one string property; voices show their lane colour. */
    private static final class ChoiceCell extends TableCell<RosterRowViewModel, RosterRowViewModel> {
        private final ComboBox<String> combo = new ComboBox<>();
        private final Function<RosterRowViewModel, StringProperty> property;
        private final Function<RosterRowViewModel, StringBinding> error;
        private StringProperty bound;

        ChoiceCell(Function<RosterRowViewModel, StringProperty> property,
                   Function<RosterRowViewModel, StringBinding> error, List<String> choices,
                   ObservableList<String> colouredBy, String styleClass) {
            this.property = property;
            this.error = error;
            if (choices instanceof ObservableList<String> live) {
                combo.setItems(live);
            } else {
                combo.getItems().setAll(choices);
            }
            combo.getStyleClass().add("roster-" + styleClass);
            combo.setMaxWidth(Double.MAX_VALUE);
            if (colouredBy != null) {
                combo.setCellFactory(l -> new SwatchCell(colouredBy));
                combo.setButtonCell(new SwatchCell(colouredBy));
            }
            setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
        }

        @Override
        protected void updateItem(RosterRowViewModel row, boolean empty) {
            super.updateItem(row, empty);
            if (bound != null) {
                combo.valueProperty().unbindBidirectional(bound);
                bound = null;
            }
            combo.styleProperty().unbind();
            if (empty || row == null) {
                setGraphic(null);
                return;
            }
            bound = property.apply(row);
            combo.valueProperty().bindBidirectional(bound);
            StringBinding err = error.apply(row);
            combo.styleProperty().bind(Bindings.when(err.isEmpty()).then("").otherwise(INVALID));
            Tooltip tip = new Tooltip();
            tip.textProperty().bind(Bindings.when(err.isEmpty()).then("OK").otherwise(err));
            combo.setTooltip(tip);
            setGraphic(combo);
        }
    }

    /** A voice name with a square of its lane colour. */
    private static final class SwatchCell extends ListCell<String> {
        private final ObservableList<String> voices;

        SwatchCell(ObservableList<String> voices) {
            this.voices = voices;
        }

        @Override
        protected void updateItem(String voice, boolean empty) {
            super.updateItem(voice, empty);
            if (empty || voice == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            Rectangle swatch = new Rectangle(12, 12, VoicePalette.of(voices.indexOf(voice)));
            swatch.setArcWidth(3);
            swatch.setArcHeight(3);
            setText(voice);
            setGraphic(swatch);
        }
    }

    /** Text that follows a read-only property of the row. */
    private static final class LabelCell extends TableCell<RosterRowViewModel, RosterRowViewModel> {
        private final Function<RosterRowViewModel, javafx.beans.value.ObservableValue<String>> property;

        LabelCell(Function<RosterRowViewModel, javafx.beans.value.ObservableValue<String>> property) {
            this.property = property;
            setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(RosterRowViewModel row, boolean empty) {
            super.updateItem(row, empty);
            textProperty().unbind();
            if (empty || row == null) {
                setText(null);
                return;
            }
            textProperty().bind(property.apply(row));
        }
    }

    /** "Test tone" and "Remove" for one player. */
    private static final class ButtonsCell extends TableCell<RosterRowViewModel, RosterRowViewModel> {
        private final Button tone = new Button("Test tone");
        private final Button remove = new Button("Remove");
        private final HBox box = new HBox(4, tone, remove);

        ButtonsCell(RosterViewModel vm) {
            tone.getStyleClass().add("test-tone");
            remove.getStyleClass().add("remove-player");
            tone.setTooltip(new Tooltip("Sound a short A (440 Hz) on this player"));
            remove.setTooltip(new Tooltip("Remove this player from the roster"));
            tone.setOnAction(e -> vm.testTone(getItem()));
            remove.setOnAction(e -> vm.remove(getItem()));
            setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
        }

        @Override
        protected void updateItem(RosterRowViewModel row, boolean empty) {
            super.updateItem(row, empty);
            tone.disableProperty().unbind();
            if (empty || row == null) {
                setGraphic(null);
                return;
            }
            tone.disableProperty().bind(row.validBinding().not());
            setGraphic(box);
        }
    }
}
