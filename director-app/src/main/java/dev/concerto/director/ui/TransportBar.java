package dev.concerto.director.ui;

import dev.concerto.director.score.TempoRange;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.util.StringConverter;

/**
 * Play, Pause, Stop and Loop (enabled by bindings on the transport's state), the tempo as a slider
 * and a BPM field, and the position as a slider in measures (release to seek).
 */
final class TransportBar extends HBox {

    TransportBar(TransportViewModel vm) {
        setSpacing(8);
        setPadding(new Insets(6, 8, 6, 8));
        setAlignment(Pos.CENTER_LEFT);
        setStyle("-fx-background-color: #eceff3; -fx-border-color: #cfd4dc; -fx-border-width: 1 0 1 0;");

        Button play = button("Play", "play", "Play, or resume (Space)");
        play.disableProperty().bind(vm.canPlayBinding().not());
        play.setOnAction(e -> vm.play());
        play.setDefaultButton(false);
        Button pause = button("Pause", "pause", "Pause (Space)");
        pause.disableProperty().bind(vm.canPauseBinding().not());
        pause.setOnAction(e -> vm.pause());
        Button stop = button("Stop", "stop", "Stop and silence every player (Esc)");
        stop.disableProperty().bind(vm.canStopBinding().not());
        stop.setOnAction(e -> vm.stop());
        ToggleButton loop = new ToggleButton("Loop");
        loop.setId("loop");
        loop.setTooltip(new Tooltip("Play the measures from..to over and over"));
        loop.selectedProperty().bindBidirectional(vm.loopProperty());
        loop.setFocusTraversable(false);
        Spinner<Integer> loopFrom = measureSpinner(vm, vm.loopFromProperty(), "loop-from", "First measure of the loop");
        Spinner<Integer> loopTo = measureSpinner(vm, vm.loopToProperty(), "loop-to", "Last measure of the loop");
        Label loopDash = new Label("–");

        Label stateLabel = new Label();
        stateLabel.setId("play-state");
        stateLabel.setMinWidth(70);
        stateLabel.textProperty().bind(Bindings.createStringBinding(() -> vm.openingProperty().get() ? "starting…"
                : vm.stateProperty().get().name().toLowerCase(Locale.ROOT), vm.stateProperty(), vm.openingProperty()));

        Label tempoLabel = new Label("Tempo");
        // The slider covers the whole TempoRange on a logarithmic scale (each pixel the same ratio), so
        // that any tempo a score or the BPM field sets has a place on it: a slider clamps its value,
        // and a narrower one would silently change the tempo (a 400 BPM score used to play at 300).
        Slider tempo = new Slider(Math.log(TempoRange.MIN_BPM), Math.log(TempoRange.MAX_BPM), Math.log(vm.tempoProperty().get()));
        tempo.setId("tempo-slider");
        tempo.setPrefWidth(140);
        tempo.setFocusTraversable(false);
        tempo.setTooltip(new Tooltip("Tempo in beats per minute, " + TempoRange.text() + " (Up/Down arrows: ±5)"));
        boolean[] syncing = {false};
        tempo.valueProperty().addListener((obs, old, v) -> {
            if (!syncing[0]) {
                syncing[0] = true;
                vm.tempoProperty().set(TempoRange.clamp(roundBpm(Math.exp(v.doubleValue()))));
                syncing[0] = false;
            }
        });
        vm.tempoProperty().addListener((obs, old, v) -> {
            if (!syncing[0]) {
                syncing[0] = true;
                tempo.setValue(Math.log(v.doubleValue()));
                syncing[0] = false;
            }
        });
        TextField bpm = new TextField();
        bpm.setId("bpm-field");
        bpm.setPrefColumnCount(4);
        TextFormatter<Number> bpmFormat = new TextFormatter<>(new StringConverter<>() {
            @Override
            public String toString(Number n) {
                return n == null ? "" : bpmText(n.doubleValue());
            }

            @Override
            public Number fromString(String s) {
                try {
                    return TempoRange.clamp(Double.parseDouble(s.strip()));
                } catch (NumberFormatException e) {
                    return vm.tempoProperty().get(); // not a number: keep the tempo
                }
            }
        }, vm.tempoProperty().get(), change -> change.getControlNewText().matches("[0-9]{0,4}(\\.[0-9]?)?") ? change : null);
        bpm.setTextFormatter(bpmFormat);
        bpmFormat.valueProperty().bindBidirectional(vm.tempoProperty());
        Label bpmUnit = new Label("BPM");

        Slider position = new Slider(1, 2, 1);
        position.setId("position-slider");
        position.setMajorTickUnit(4);
        position.setMinorTickCount(3);
        position.setSnapToTicks(true);
        position.setShowTickMarks(true);
        position.setShowTickLabels(true);
        position.setFocusTraversable(false);
        position.setTooltip(new Tooltip("Position in measures: drag to seek (Left/Right arrows: one measure)"));
        position.maxProperty().bind(Bindings.max(2, vm.measureCountProperty()));
        position.disableProperty().bind(vm.measureCountProperty().isEqualTo(0));
        position.setLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Double d) {
                return String.valueOf(Math.round(d));
            }

            @Override
            public Double fromString(String s) {
                return Double.valueOf(s);
            }
        });
        vm.measureProperty().addListener((obs, old, m) -> {
            if (!position.isValueChanging()) {
                position.setValue(m.intValue());
            }
        });
        // Seek once, when the mouse lets go (a click on the track or the end of a drag).
        position.setOnMouseReleased(e -> vm.seek((int) Math.round(position.getValue())));
        HBox.setHgrow(position, Priority.ALWAYS);
        position.setMaxWidth(Double.MAX_VALUE);

        Label measure = new Label();
        measure.setId("measure-label");
        measure.setMinWidth(110);
        measure.textProperty().bind(Bindings.createStringBinding(
                () -> "Measure " + vm.measureProperty().get() + " / " + vm.measureCountProperty().get(),
                vm.measureProperty(), vm.measureCountProperty()));

        getChildren().addAll(play, pause, stop, loop, loopFrom, loopDash, loopTo, stateLabel, tempoLabel, tempo, bpm, bpmUnit, measure, position);
    }

    private static Spinner<Integer> measureSpinner(TransportViewModel vm, javafx.beans.property.IntegerProperty value,
                                                   String id, String tip) {
        SpinnerValueFactory.IntegerSpinnerValueFactory factory = new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 1);
        factory.maxProperty().bind(Bindings.max(1, vm.measureCountProperty()));
        // Bidirectional bindings hold their ends weakly: keep the asObject() adapter reachable.
        javafx.beans.property.ObjectProperty<Integer> boxed = value.asObject();
        factory.valueProperty().bindBidirectional(boxed);
        Spinner<Integer> spinner = new Spinner<>(factory);
        spinner.getProperties().put("concerto.boundValue", boxed);
        spinner.setId(id);
        spinner.setPrefWidth(68);
        spinner.setFocusTraversable(false);
        spinner.setTooltip(new Tooltip(tip));
        return spinner;
    }

    private static Button button(String text, String id, String tip) {
        Button b = new Button(text);
        b.setId(id);
        b.setMinWidth(64);
        b.setTooltip(new Tooltip(tip));
        b.setFocusTraversable(false);
        return b;
    }

    /** A tempo from the slider: whole BPM, or tenths below 10 BPM. */
    static double roundBpm(double bpm) {
        return bpm < 10 ? Math.round(bpm * 10) / 10.0 : Math.round(bpm);
    }

    /** "66", "0.5": the BPM field's text. */
    static String bpmText(double bpm) {
        return bpm == Math.rint(bpm) ? String.format(Locale.ROOT, "%.0f", bpm) : String.format(Locale.ROOT, "%.1f", bpm);
    }
}
