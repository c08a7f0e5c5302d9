package dev.concerto.director.ui;

import dev.concerto.director.live.AllocationPolicy;
import dev.concerto.director.live.OverflowPolicy;
import java.util.function.LongSupplier;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import javafx.util.StringConverter;

/**
 * The Live mode's view: the MIDI input and how keys are shared out, Start/Stop, the status line,
 * a scrolling roll of what is played and a table of who sounds what. Bound to a
 * {@link LiveViewModel}; polls it 20 times a second while live input runs. FX thread only.
 */
final class LivePane extends BorderPane {

    private final LiveViewModel vm;
    private final LiveRoll roll;
    private final Timeline poller;

    LivePane(LiveViewModel vm, LongSupplier nanoClock) {
        this.vm = vm;
        setId("live-pane");
        ComboBox<String> input = new ComboBox<>(vm.inputs());
        input.setId("live-input");
        input.setPromptText("MIDI input");
        input.valueProperty().bindBidirectional(vm.selectedInputProperty());
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> vm.refreshInputs());

        ComboBox<AllocationPolicy> policy = new ComboBox<>();
        policy.setId("live-policy");
        policy.getItems().setAll(AllocationPolicy.LOWEST_FREE, AllocationPolicy.ROUND_ROBIN, AllocationPolicy.BY_CHANNEL);
        policy.setConverter(named(AllocationPolicy::key));
        policy.valueProperty().bindBidirectional(vm.policyProperty());
        ComboBox<OverflowPolicy> overflow = new ComboBox<>();
        overflow.setId("live-overflow");
        overflow.getItems().setAll(OverflowPolicy.values());
        overflow.setConverter(named(o -> o == OverflowPolicy.STEAL_OLDEST ? "steal the oldest" : "drop the new note"));
        overflow.valueProperty().bindBidirectional(vm.overflowProperty());
        Spinner<Integer> transpose = new Spinner<>(-48, 48, 0, 1);
        transpose.setId("live-transpose");
        transpose.setEditable(true);
        transpose.setPrefWidth(80);
        transpose.getValueFactory().valueProperty().addListener((o, a, b) -> vm.transposeProperty().set(b));
        ComboBox<String> tuning = new ComboBox<>();
        tuning.setId("live-tuning");
        tuning.getItems().setAll(LiveViewModel.tunings());
        tuning.valueProperty().bindBidirectional(vm.tuningProperty());

        Button start = new Button("Start");
        start.setId("live-start");
        start.setDefaultButton(false);
        start.disableProperty().bind(vm.canStartBinding().not());
        start.setOnAction(e -> vm.start());
        Button stop = new Button("Stop");
        stop.setId("live-stop");
        stop.disableProperty().bind(vm.runningProperty().not());
        stop.setOnAction(e -> vm.stop());
        for (javafx.scene.Node n : new javafx.scene.Node[] {input, refresh, policy, overflow, transpose, tuning}) {
            n.disableProperty().bind(vm.runningProperty().or(vm.startingProperty()));
        }

        FlowPane controls = new FlowPane(8, 6, new Label("Input"), input, refresh, new Label("Players by"), policy,
                new Label("When full"), overflow, new Label("Transpose"), transpose, new Label("Tuning"), tuning, start, stop);
        controls.setAlignment(Pos.CENTER_LEFT);
        Label status = new Label();
        status.setId("live-status");
        status.textProperty().bind(vm.statusProperty());
        VBox top = new VBox(6, controls, status);
        top.setPadding(new Insets(6, 10, 6, 10));
        setTop(top);

        roll = new LiveRoll(vm.roll(), nanoClock);
        setCenter(roll);
        TableView<LiveViewModel.PlayerRow> table = new TableView<>(vm.players());
        table.setId("live-players");
        table.setPrefWidth(330);
        table.getColumns().add(column("Player", LiveViewModel.PlayerRow::player, 90));
        table.getColumns().add(column("Voice", LiveViewModel.PlayerRow::voice, 70));
        table.getColumns().add(column("Note", LiveViewModel.PlayerRow::note, 60));
        table.getColumns().add(column("Now", LiveViewModel.PlayerRow::hz, 90));
        table.setPlaceholder(new Label("Start live input to see who sounds what"));
        setRight(table);

        poller = new Timeline(new KeyFrame(Duration.millis(50), e -> {
            vm.poll();
            roll.redraw();
        }));
        poller.setCycleCount(Timeline.INDEFINITE);
        vm.runningProperty().addListener((o, was, now) -> {
            if (now) {
                poller.play();
            } else {
                poller.stop();
                roll.redraw();
            }
        });
        vm.refreshInputs();
    }

    private static <T> TableColumn<LiveViewModel.PlayerRow, String> column(String title,
            java.util.function.Function<LiveViewModel.PlayerRow, String> value, double width) {
        TableColumn<LiveViewModel.PlayerRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())).getReadOnlyProperty());
        c.setPrefWidth(width);
        c.setSortable(false);
        return c;
    }

    private static <T> StringConverter<T> named(java.util.function.Function<T, String> name) {
        return new StringConverter<>() {
            @Override
            public String toString(T t) {
                return t == null ? "" : name.apply(t);
            }

            @Override
            public T fromString(String s) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
