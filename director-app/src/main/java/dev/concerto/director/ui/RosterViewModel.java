package dev.concerto.director.ui;

import dev.concerto.director.engine.DiscoveredPlayer;
import dev.concerto.director.calibrate.Calibration;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.PlayerActivity;
import dev.concerto.director.engine.PlayerProbe;
import dev.concerto.director.engine.Protocol;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.engine.RosterRules;
import dev.concerto.protocol.Wire;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
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
 * The roster being edited: its rows, whether it is the embedded "local players", its file, the
 * first problem that keeps it from playing, and per-player test tones. FX thread only.
 */
public final class RosterViewModel {

    /** Frequency and length of a test tone: concert A for 0.6 s. */
    public static final int TEST_TONE_HZ = 440;
    public static final int TEST_TONE_MILLIS = 600;

    private static final Logger LOG = LoggerFactory.getLogger(RosterViewModel.class);

    private final DirectorBackend backend;
    private final DialogService dialogs;
    private final BackgroundRunner runner;
    private final ObservableList<String> voices;

    // The extractor makes every edit of a field a change of the list, which the bindings follow.
    private final ObservableList<RosterRowViewModel> rows = FXCollections.observableArrayList(row -> new Observable[] {
            row.nameProperty(), row.hostProperty(), row.portProperty(), row.protocolProperty(),
            row.voiceProperty(), row.problemBinding()});
    private final ReadOnlyBooleanWrapper local = new ReadOnlyBooleanWrapper(this, "local");
    private final ReadOnlyBooleanWrapper calibrating = new ReadOnlyBooleanWrapper(this, "calibrating");
    private final ReadOnlyObjectWrapper<Path> file = new ReadOnlyObjectWrapper<>(this, "file");
    private final StringBinding label;
    private final StringBinding problem;
    private final BooleanBinding valid;

    public RosterViewModel(DirectorBackend backend, DialogService dialogs, BackgroundRunner runner,
                           ObservableList<String> voices) {
        this.backend = backend;
        this.dialogs = dialogs;
        this.runner = runner;
        this.voices = voices;
        label = Bindings.createStringBinding(() -> {
            if (local.get()) {
                return "local players (simulated in this app on 127.0.0.1)";
            }
            return file.get() == null ? "roster (not saved)" : "roster " + file.get().getFileName();
        }, local, file);
        problem = Bindings.createStringBinding(this::firstProblem, rows, voices);
        valid = Bindings.createBooleanBinding(() -> problem.get().isEmpty(), problem);
    }

    private String firstProblem() {
        if (rows.isEmpty()) {
            return "The roster is empty: add a player.";
        }
        Set<String> names = new HashSet<>();
        Map<String, Integer> endpoints = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            RosterRowViewModel row = rows.get(i);
            String p = row.problemBinding().get();
            if (!p.isEmpty()) {
                return "Player " + (i + 1) + " (" + row.nameProperty().get() + "): " + p;
            }
            if (!names.add(row.nameProperty().get().strip())) {
                return "Player " + (i + 1) + ": the name '" + row.nameProperty().get() + "' is used twice";
            }
            String endpoint = RosterRules.endpoint(row.hostProperty().get(), Integer.parseInt(row.portProperty().get().strip()));
            Integer same = endpoints.putIfAbsent(endpoint, i);
            if (same != null) {
                return "Player " + (i + 1) + " (" + row.nameProperty().get() + ") and player " + (same + 1) + " ("
                        + rows.get(same).nameProperty().get() + ") both play to " + endpoint
                        + ": two players on one address would interleave two voices on one device";
            }
        }
        return "";
    }

    /** Replaces the rows with {@code entries}; {@code localPlayers} labels them as the embedded ensemble. */
    public void setEntries(List<RosterEntry> entries, boolean localPlayers, Path from) {
        List<RosterRowViewModel> newRows = new ArrayList<>();
        for (RosterEntry e : entries) {
            RosterRowViewModel row = new RosterRowViewModel(e, voices);
            if (localPlayers) {
                // Pointing a local player elsewhere makes it a roster of one's own.
                row.hostProperty().addListener((obs, old, h) -> local.set(false));
                row.portProperty().addListener((obs, old, p) -> local.set(false));
            }
            newRows.add(row);
        }
        rows.setAll(newRows);
        local.set(localPlayers);
        file.set(from);
    }

    /** Adds a player for the first voice nobody plays yet (or the first voice); its host is to be typed. */
    public RosterRowViewModel addPlayer() {
        Set<String> played = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (RosterRowViewModel r : rows) {
            played.add(r.voiceProperty().get());
            names.add(r.nameProperty().get());
        }
        String voice = voices.stream().filter(v -> !played.contains(v)).findFirst()
                .orElse(voices.isEmpty() ? "" : voices.get(0));
        int n = rows.size() + 1;
        while (names.contains("player " + n)) {
            n++;
        }
        RosterRowViewModel row = new RosterRowViewModel(
                new RosterEntry("player " + n, "", Wire.DEFAULT_PORT, Protocol.LEGACY, voice), voices);
        rows.add(row);
        local.set(false);
        return row;
    }

    public void remove(RosterRowViewModel row) {
        if (rows.remove(row)) {
            local.set(false);
        }
    }

    /** The roster as entries. @throws IllegalStateException when it is not {@linkplain #validBinding() valid} */
    public List<RosterEntry> entries() {
        if (!valid.get()) {
            throw new IllegalStateException(problem.get());
        }
        List<RosterEntry> out = new ArrayList<>();
        for (RosterRowViewModel r : rows) {
            out.add(r.toEntry());
        }
        return out;
    }

    public void loadWithChooser() {
        dialogs.chooseRosterToOpen(directory()).ifPresent(this::load);
    }

    public void load(Path path) {
        runner.run("loading roster " + path, () -> backend.loadRoster(path), entries -> {
            setEntries(entries, false, path);
            LOG.info("Loaded roster {} ({} players)", path, entries.size());
        }, error -> dialogs.showError("Could not load the roster", ScoreViewModel.messageOf(error, path)));
    }

    public void saveWithChooser() {
        if (!valid.get()) {
            dialogs.showError("The roster cannot be saved yet", problem.get());
            return;
        }
        dialogs.chooseRosterToSave(directory()).ifPresent(this::save);
    }

    public void save(Path path) {
        List<RosterEntry> entries = entries();
        runner.run("saving roster " + path, () -> {
            backend.saveRoster(path, entries);
            return path;
        }, saved -> {
            file.set(saved);
            local.set(false);
            LOG.info("Saved roster {} ({} players)", saved, entries.size());
        }, error -> dialogs.showError("Could not save the roster", ScoreViewModel.messageOf(error, path)));
    }

    /** Sounds a short concert A on one player (in the background). */
    public void testTone(RosterRowViewModel row) {
        if (!row.validBinding().get()) {
            dialogs.showError("No test tone", row.nameProperty().get() + ": " + row.problemBinding().get());
            return;
        }
        RosterEntry entry = row.toEntry();
        LOG.info("Test tone {} Hz to {} ({}:{})", TEST_TONE_HZ, entry.name(), entry.host(), entry.port());
        runner.run("test tone to " + entry.name(), () -> {
            backend.testTone(entry, TEST_TONE_HZ, TEST_TONE_MILLIS);
            return entry;
        }, done -> { }, error -> dialogs.showError("Test tone failed",
                entry.name() + " (" + entry.host() + ":" + entry.port() + "): " + error.getMessage()));
    }

    /**
     * Adds a discovered player to the roster, playing {@code voice}: its name (made unique), address
     * and protocol (timed when it speaks it). The user's action; nothing joins a roster by itself.
     */
    public RosterRowViewModel addDiscovered(DiscoveredPlayer player, String voice) {
        Set<String> names = new HashSet<>();
        for (RosterRowViewModel r : rows) {
            names.add(r.nameProperty().get().strip());
        }
        String name = player.name();
        for (int n = 2; names.contains(name); n++) {
            name = player.name() + " " + n;
        }
        RosterRowViewModel row = new RosterRowViewModel(player.toRosterEntry(name, voice), voices);
        rows.add(row);
        local.set(false);
        LOG.info("Added discovered player {} ({}) for the voice {}", name, player.address(), voice);
        return row;
    }

    /** Points an existing row at a discovered player (its voice stays): what a drop on a row does. */
    public void pointAt(RosterRowViewModel row, DiscoveredPlayer player) {
        row.hostProperty().set(player.host());
        row.portProperty().set(String.valueOf(player.port()));
        row.protocolProperty().set(player.rosterProtocol().key());
        local.set(false);
        LOG.info("{} now plays on discovered player {} ({})", row.nameProperty().get(), player.name(), player.address());
    }

    /** The first voice nobody plays yet, or the first voice, or "" without a score. */
    public String firstUnplayedVoice() {
        Set<String> played = new HashSet<>();
        for (RosterRowViewModel r : rows) {
            played.add(r.voiceProperty().get());
        }
        return voices.stream().filter(v -> !played.contains(v)).findFirst().orElse(voices.isEmpty() ? "" : voices.get(0));
    }

    /**
     * Shows what the probe before Play says, by player name, with the software version of the
     * discovered player at each row's address (when one is there).
     */
    void applyProbes(List<PlayerProbe> probes, List<DiscoveredPlayer> discovered) {
        Map<String, PlayerProbe> byName = new HashMap<>();
        for (PlayerProbe p : probes) {
            byName.put(p.name(), p);
        }
        Map<String, String> versionByAddress = new HashMap<>();
        for (DiscoveredPlayer d : discovered) {
            versionByAddress.put(d.host() + ":" + d.port(), d.version());
        }
        for (RosterRowViewModel row : rows) {
            String address = row.hostProperty().get().strip() + ":" + row.portProperty().get().strip();
            row.applyProbe(byName.get(row.nameProperty().get().strip()), versionByAddress.get(address));
        }
    }

    /**
     * Players ▸ Calibrate…: measures each timed player's output latency by microphone (in the
     * background), shows what it found, and on the user's yes sets the rows' latency offsets. The
     * roster must be valid and not the local players (they are not audible).
     */
    public void calibrate() {
        if (!valid.get()) {
            dialogs.showError("Cannot calibrate", problem.get());
            return;
        }
        if (local.get()) {
            dialogs.showError("Cannot calibrate", "the local players are simulated and make no sound: load or"
                    + " build a roster of real players first");
            return;
        }
        List<RosterEntry> current = entries();
        LOG.info("Calibrating {} players by microphone", current.size());
        calibrating.set(true);
        runner.run("calibration", () -> backend.calibrate(current, LOG::info), outcome -> {
            calibrating.set(false);
            StringBuilder text = new StringBuilder("Microphone: " + outcome.microphone() + "\n\n");
            outcome.results().forEach(r -> text.append(r.describe()).append('\n'));
            boolean heard = outcome.results().stream().anyMatch(r -> r.outcome() == Calibration.Outcome.HEARD);
            if (!heard) {
                dialogs.showError("Calibration heard no player", text + "\n" + (outcome.advice() != null
                        ? outcome.advice() : "Is the microphone near the speakers?"));
                return;
            }
            if (dialogs.confirm("Apply the calibrated latency offsets?", text.toString())) {
                Roster updated = Calibration.apply(new Roster("window", current), outcome.results());
                setEntries(updated.entries(), false, file.get());
                LOG.info("Latency offsets set from calibration");
            }
        }, error -> {
            calibrating.set(false);
            dialogs.showError("Calibration failed", error.getMessage());
        });
    }

    /** True while a calibration runs (the menu item is disabled meanwhile). */
    public ReadOnlyBooleanProperty calibratingProperty() {
        return calibrating.getReadOnlyProperty();
    }

    /** Shows the engine's per-player activity; players it does not mention show the probe's word. */
    void applyActivity(List<PlayerActivity> players, long nowNanos) {
        Map<String, PlayerActivity> byName = new HashMap<>();
        for (PlayerActivity a : players) {
            byName.put(a.playerName(), a);
        }
        for (RosterRowViewModel row : rows) {
            row.applyActivity(byName.get(row.nameProperty().get().strip()), nowNanos);
        }
    }

    /** Which rows play {@code voice}, by name, for the piano roll's lane labels. */
    public List<String> playersOf(String voice) {
        List<String> out = new ArrayList<>();
        for (RosterRowViewModel r : rows) {
            if (r.voiceProperty().get().equals(voice)) {
                out.add(r.nameProperty().get());
            }
        }
        return out;
    }

    private Path directory() {
        return file.get() == null ? null : file.get().toAbsolutePath().getParent();
    }

    /** Live rows; edit through the rows' properties, add and remove through this view model. */
    public ObservableList<RosterRowViewModel> rows() {
        return rows;
    }

    public ReadOnlyBooleanProperty localProperty() {
        return local.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Path> fileProperty() {
        return file.getReadOnlyProperty();
    }

    /** "local players (simulated ...)" or "roster band.json". */
    public StringBinding labelBinding() {
        return label;
    }

    /** The first problem of the roster, or "" when it can play. */
    public StringBinding problemBinding() {
        return problem;
    }

    public BooleanBinding validBinding() {
        return valid;
    }
}
