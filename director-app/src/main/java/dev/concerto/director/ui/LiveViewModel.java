package dev.concerto.director.ui;

import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.live.AllocationPolicy;
import dev.concerto.director.live.LiveConductor;
import dev.concerto.director.live.OverflowPolicy;
import dev.concerto.director.score.NoteNames;
import dev.concerto.director.score.Temperament;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.BooleanExpression;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Live mode: pick a MIDI input and how keys are shared out, start and stop, and see who sounds
 * what (a row per player) and what was played (notes for a scrolling roll). FX thread only; the
 * view calls {@link #poll()} about 20 times a second while running.
 */
public final class LiveViewModel implements AutoCloseable {

    /** Notes kept for the roll. */
    public static final int ROLL_NOTES = 400;

    /** One player's row: what it sounds now. */
    public record PlayerRow(String player, String voice, String note, String hz) {
    }

    /**
     * A played note for the roll.
     *
     * @param endNanos {@link Long#MAX_VALUE} while it sounds
     */
    public record RollNote(int player, double hz, long startNanos, long endNanos) {
    }

    private final DirectorBackend backend;
    private final DialogService dialogs;
    private final BackgroundRunner runner;
    private final Supplier<List<RosterEntry>> roster;
    private final LongSupplier nanoClock;

    private final ObservableList<String> inputs = FXCollections.observableArrayList();
    private final ObjectProperty<String> selectedInput = new SimpleObjectProperty<>();
    private final ObjectProperty<AllocationPolicy> policy = new SimpleObjectProperty<>(AllocationPolicy.LOWEST_FREE);
    private final ObjectProperty<OverflowPolicy> overflow = new SimpleObjectProperty<>(OverflowPolicy.STEAL_OLDEST);
    private final IntegerProperty transpose = new SimpleIntegerProperty(0);
    private final StringProperty tuning = new SimpleStringProperty(Temperament.EQUAL.key());
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper starting = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("Live input is off");
    private final ObservableList<PlayerRow> players = FXCollections.observableArrayList();
    private final ObservableList<RollNote> roll = FXCollections.observableArrayList();
    private final BooleanBinding canStart;

    private LiveInput input;
    private double[] lastHz = new double[0];
    private int[] openNote = new int[0];

    /**
     * @param roster      the roster's players now (valid when {@code rosterValid} holds)
     * @param rosterValid whether the roster can be played to
     * @param nanoClock   monotonic time for the roll
     */
    public LiveViewModel(DirectorBackend backend, DialogService dialogs, BackgroundRunner runner,
                         Supplier<List<RosterEntry>> roster, BooleanExpression rosterValid, LongSupplier nanoClock) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.dialogs = Objects.requireNonNull(dialogs, "dialogs");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.roster = Objects.requireNonNull(roster, "roster");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.canStart = Bindings.createBooleanBinding(() -> selectedInput.get() != null && rosterValid.get()
                && !running.get() && !starting.get(), selectedInput, rosterValid, running, starting);
    }

    /** Lists the MIDI inputs again (keeps the selection when it is still there). */
    public void refreshInputs() {
        runner.run("list MIDI inputs", backend::midiInputs, found -> {
            String keep = selectedInput.get();
            inputs.setAll(found);
            selectedInput.set(keep != null && found.contains(keep) ? keep : found.isEmpty() ? null : found.get(0));
            if (found.isEmpty() && !running.get()) {
                status.set("No MIDI input found: plug in a keyboard (or make a virtual port), then Refresh");
            }
        }, e -> dialogs.showError("MIDI inputs", "Could not list the MIDI inputs: " + e.getMessage()));
    }

    /** Starts playing from the selected input, when {@link #canStartBinding()} holds. */
    public void start() {
        if (!canStart.get()) {
            return;
        }
        List<RosterEntry> players = List.copyOf(roster.get());
        LiveRequest request = new LiveRequest(selectedInput.get(), policy.get(), overflow.get(), transpose.get(), tuning.get());
        starting.set(true);
        status.set("Starting live input from " + request.midiInput() + "…");
        runner.run("start live input", () -> backend.openLive(players, request), in -> {
            starting.set(false);
            input = in;
            lastHz = new double[players.size()];
            openNote = new int[players.size()];
            java.util.Arrays.fill(openNote, -1);
            roll.clear();
            running.set(true);
            status.set("Playing from " + request.midiInput() + " · " + policy.get().key() + " · " + overflow.get().key()
                    + " when full");
            poll();
        }, e -> {
            starting.set(false);
            status.set("Live input is off");
            dialogs.showError("Live input", "Could not start live input from " + request.midiInput() + ": " + e.getMessage());
        });
    }

    /** Stops live input (every player silent). */
    public void stop() {
        if (input == null) {
            return;
        }
        LiveInput in = input;
        input = null;
        running.set(false);
        long now = nanoClock.getAsLong();
        for (int p = 0; p < openNote.length; p++) {
            closeNote(p, now);
        }
        LiveConductor.Stats s = in.stats();
        status.set("Stopped · " + summary(s));
        runner.run("stop live input", () -> {
            in.close();
            return null;
        }, ok -> { }, e -> dialogs.showError("Live input", "Could not stop cleanly: " + e.getMessage()));
    }

    /** Reads what sounds now: rows, the roll and the status line. */
    public void poll() {
        LiveInput in = input;
        if (in == null) {
            return;
        }
        long now = nanoClock.getAsLong();
        List<LiveConductor.PlayerState> states = in.players();
        List<PlayerRow> rows = new ArrayList<>(states.size());
        for (LiveConductor.PlayerState s : states) {
            rows.add(new PlayerRow(s.name(), s.voice(), s.hz() == 0 ? "—" : s.key() >= 0 ? NoteNames.nameOf(s.key()) : "OSC",
                    s.hz() == 0 ? "" : String.format(Locale.ROOT, "%.1f Hz", s.hz())));
            int p = s.player();
            if (p < lastHz.length && s.hz() != lastHz[p]) {
                closeNote(p, now);
                if (s.hz() != 0) {
                    roll.add(new RollNote(p, s.hz(), now, Long.MAX_VALUE));
                    openNote[p] = roll.size() - 1;
                    if (roll.size() > ROLL_NOTES) {
                        int drop = roll.size() - ROLL_NOTES;
                        roll.remove(0, drop);
                        for (int q = 0; q < openNote.length; q++) {
                            openNote[q] = openNote[q] < drop ? -1 : openNote[q] - drop;
                        }
                    }
                }
                lastHz[p] = s.hz();
            }
        }
        players.setAll(rows);
        status.set("Playing from " + selectedInput.get() + " · " + summary(in.stats()));
    }

    private void closeNote(int p, long now) {
        int i = openNote[p];
        if (i >= 0 && i < roll.size()) {
            RollNote n = roll.get(i);
            roll.set(i, new RollNote(n.player(), n.hz(), n.startNanos(), now));
        }
        openNote[p] = -1;
    }

    private static String summary(LiveConductor.Stats s) {
        return s.keyboard().notes() + " notes · " + s.keyboard().stolen() + " stolen · " + s.keyboard().dropped() + " dropped"
                + (s.keyboard().outOfRange() > 0 ? " · " + s.keyboard().outOfRange() + " out of range" : "");
    }

    public ObservableList<String> inputs() {
        return FXCollections.unmodifiableObservableList(inputs);
    }

    public ObjectProperty<String> selectedInputProperty() {
        return selectedInput;
    }

    public ObjectProperty<AllocationPolicy> policyProperty() {
        return policy;
    }

    public ObjectProperty<OverflowPolicy> overflowProperty() {
        return overflow;
    }

    public IntegerProperty transposeProperty() {
        return transpose;
    }

    public StringProperty tuningProperty() {
        return tuning;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty startingProperty() {
        return starting.getReadOnlyProperty();
    }

    public BooleanBinding canStartBinding() {
        return canStart;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** One row per roster player while running. */
    public ObservableList<PlayerRow> players() {
        return FXCollections.unmodifiableObservableList(players);
    }

    /** The notes played, oldest first, at most {@value #ROLL_NOTES}. */
    public ObservableList<RollNote> roll() {
        return FXCollections.unmodifiableObservableList(roll);
    }

    /** The tunings to choose from. */
    public static List<String> tunings() {
        return java.util.Arrays.stream(Temperament.values()).map(Temperament::key).toList();
    }

    @Override
    public void close() {
        stop();
    }
}
