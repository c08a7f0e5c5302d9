package dev.concerto.director.ui;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The discovered players next to the roster: a switch, what discovery is doing, and a table (name,
 * address, version, generator, RTT) whose rows add themselves to the roster with one click on
 * <em>Add</em>, or go to a roster row (and its voice) when dragged onto it.
 */
final class DiscoveredPlayersView extends VBox {

    private static final String DRAG_PREFIX = "concerto-discovered-player:";

    private final DiscoveredPlayersViewModel vm;
    private final TableView<DiscoveredPlayersViewModel.Row> table = new TableView<>();
    private DiscoveredPlayersViewModel.Row dragged;

    DiscoveredPlayersView(DiscoveredPlayersViewModel vm) {
        this.vm = vm;
        setId("discovered-players");
        setSpacing(4);
        setPadding(new Insets(4, 6, 4, 6));
        Label title = new Label("Discovered players");
        title.setStyle("-fx-font-weight: bold;");
        CheckBox on = new CheckBox("Look for players");
        on.setId("discovery-enabled");
        on.selectedProperty().bindBidirectional(vm.enabledProperty());
        HBox bar = new HBox(8, title, on);
        bar.setAlignment(Pos.CENTER_LEFT);
        Label status = new Label();
        status.setId("discovery-status");
        status.setWrapText(true);
        status.textProperty().bind(vm.statusProperty());

        table.setId("discovered-table");
        table.setItems(vm.rows());
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No players found yet. Start one with --join DIRECTOR, or on a network"
                + " with multicast it appears by mDNS."));
        table.setFixedCellSize(30);
        table.getColumns().add(text("Name", 90, r -> r.player().name()));
        table.getColumns().add(text("Address", 130, r -> r.player().address()));
        table.getColumns().add(text("Version", 90, r -> r.player().version().isEmpty() ? "?" : r.player().version()));
        table.getColumns().add(text("Generator", 80, r -> r.player().generator().isEmpty() ? "?" : r.player().generator()));
        TableColumn<DiscoveredPlayersViewModel.Row, String> rtt = new TableColumn<>("RTT");
        rtt.setPrefWidth(70);
        rtt.setCellValueFactory(c -> c.getValue().rttProperty());
        table.getColumns().add(rtt);
        TableColumn<DiscoveredPlayersViewModel.Row, DiscoveredPlayersViewModel.Row> add = new TableColumn<>("");
        add.setPrefWidth(60);
        add.setCellValueFactory(c -> Bindings.createObjectBinding(c::getValue));
        add.setCellFactory(c -> new AddCell());
        table.getColumns().add(add);
        table.setRowFactory(t -> {
            TableRow<DiscoveredPlayersViewModel.Row> row = new TableRow<>() {
                @Override
                protected void updateItem(DiscoveredPlayersViewModel.Row item, boolean empty) {
                    super.updateItem(item, empty);
                    setTooltip(empty || item == null || item.warnings().isEmpty() ? null
                            : new Tooltip(String.join("\n", item.warnings())));
                    setStyle(empty || item == null || item.warnings().isEmpty() ? "" : "-fx-background-color: #fff3e0;");
                }
            };
            row.setOnDragDetected(e -> {
                if (row.getItem() == null) {
                    return;
                }
                dragged = row.getItem();
                Dragboard db = row.startDragAndDrop(TransferMode.LINK);
                ClipboardContent content = new ClipboardContent();
                content.putString(DRAG_PREFIX + dragged.player().address());
                db.setContent(content);
                e.consume();
            });
            row.setOnDragDone(e -> dragged = null);
            return row;
        });
        VBox.setVgrow(table, Priority.ALWAYS);
        getChildren().addAll(bar, status, table);
    }

    /** Lets a discovered player be dropped on a roster row: that row then plays on it. */
    void acceptDropsOn(TableView<RosterRowViewModel> roster) {
        roster.setRowFactory(t -> {
            TableRow<RosterRowViewModel> row = new TableRow<>();
            row.setOnDragOver(e -> {
                if (row.getItem() != null && isOurs(e.getDragboard())) {
                    e.acceptTransferModes(TransferMode.LINK);
                    e.consume();
                }
            });
            row.setOnDragDropped(e -> {
                boolean done = false;
                if (row.getItem() != null && isOurs(e.getDragboard()) && dragged != null) {
                    vm.assignTo(dragged, row.getItem());
                    done = true;
                }
                e.setDropCompleted(done);
                e.consume();
            });
            return row;
        });
    }

    private static boolean isOurs(Dragboard db) {
        return db.hasString() && db.getString().startsWith(DRAG_PREFIX);
    }

    TableView<DiscoveredPlayersViewModel.Row> table() {
        return table;
    }

    private static TableColumn<DiscoveredPlayersViewModel.Row, String> text(
            String title, double width, java.util.function.Function<DiscoveredPlayersViewModel.Row, String> value) {
        TableColumn<DiscoveredPlayersViewModel.Row, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new javafx.beans.property.ReadOnlyStringWrapper(value.apply(cell.getValue())));
        return c;
    }

    private final class AddCell extends TableCell<DiscoveredPlayersViewModel.Row, DiscoveredPlayersViewModel.Row> {
        private final Button button = new Button("Add");

        AddCell() {
            button.getStyleClass().add("add-discovered");
            button.setOnAction(e -> {
                if (getItem() != null) {
                    vm.addToRoster(getItem());
                }
            });
        }

        @Override
        protected void updateItem(DiscoveredPlayersViewModel.Row item, boolean empty) {
            super.updateItem(item, empty);
            setGraphic(empty || item == null ? null : button);
            if (item != null) {
                button.setTooltip(new Tooltip("Add " + item.player().name() + " to the roster"
                        + (item.player().voice().isEmpty() ? "" : " (it asks for " + item.player().voice() + ")")
                        + "; or drag the row onto a roster row"));
            }
        }
    }
}
