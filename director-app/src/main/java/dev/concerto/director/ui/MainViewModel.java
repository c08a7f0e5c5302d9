package dev.concerto.director.ui;

import ch.qos.logback.classic.Level;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.engine.Transport;
import dev.concerto.director.score.Timeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window's view model: the score, the roster, the transport and the log, and how they hang
 * together. The embedded "local players" follow the score's voices; any change of score or roster
 * makes the next Play use a fresh transport. FX thread only.
 */
public final class MainViewModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MainViewModel.class);

    private final DirectorBackend backend;
    private final DialogService dialogs;
    private final BackgroundRunner runner;
    private final SettingsStore settingsStore;
    private final ScoreViewModel score;
    private final RosterViewModel roster;
    private final TransportViewModel transport;
    private final LiveViewModel live;
    private final LogViewModel log = new LogViewModel();
    private final DiscoveredPlayersViewModel discovered;
    private final FxDispatcher fx;
    private final BooleanBinding ready;
    // The probe before Play of the roster as it is now (restarted when the valid roster changes).
    private AutoCloseable rosterProbe;
    private List<RosterEntry> probedEntries = List.of();
    private int probeGeneration;

    private Settings settings = Settings.defaults();
    private boolean localPlayersRunning;
    private boolean started;
    private double windowWidth;
    private double windowHeight;

    public MainViewModel(DirectorBackend backend, DialogService dialogs, BackgroundRunner runner, FxDispatcher fx,
                         LongSupplier nanoClock, SettingsStore settingsStore) {
        this.backend = backend;
        this.dialogs = dialogs;
        this.runner = runner;
        this.settingsStore = settingsStore;
        score = new ScoreViewModel(backend, dialogs, runner);
        roster = new RosterViewModel(backend, dialogs, runner, score.voices());
        this.fx = fx;
        discovered = new DiscoveredPlayersViewModel(backend, fx, roster, score.voices());
        ready = Bindings.createBooleanBinding(() -> score.timeline() != null && roster.validBinding().get(),
                score.timelineProperty(), roster.validBinding());
        transport = new TransportViewModel(runner, dialogs, fx, nanoClock, score.timelineProperty(), ready,
                this::prepareTransport);
        transport.playersProperty().addListener((obs, old, players) -> roster.applyActivity(players, nanoClock.getAsLong()));
        live = new LiveViewModel(backend, dialogs, runner, roster::entries, roster.validBinding(), nanoClock);
        roster.rows().addListener((ListChangeListener<RosterRowViewModel>) change -> transport.invalidate());
        // Status before Play: probe the players as soon as the roster is complete, again when it changes.
        roster.rows().addListener((ListChangeListener<RosterRowViewModel>) change -> reprobeRoster());
        score.timelineProperty().addListener((obs, old, t) -> scoreChanged(t));
        // Kept as they change, not only on a clean exit (a killed window keeps its recent files).
        javafx.beans.InvalidationListener keep = o -> saveSettingsInBackground();
        score.fileProperty().addListener(keep);
        roster.fileProperty().addListener(keep);
        roster.localProperty().addListener(keep);
        log.minimumLevelProperty().addListener(keep);
    }

    private void saveSettingsInBackground() {
        if (!started) {
            return; // restoring, not changing
        }
        Settings snapshot = settingsToSave(windowWidth, windowHeight);
        runner.run("saving settings", () -> {
            settingsStore.save(snapshot);
            return snapshot;
        }, saved -> { }, error -> LOG.warn("Could not save settings: {}", error.getMessage()));
    }

    /** The window's size, for the settings. */
    public void setWindowSize(double width, double height) {
        windowWidth = width;
        windowHeight = height;
    }

    private Callable<Transport> prepareTransport() {
        Timeline t = score.timeline();
        List<RosterEntry> entries = roster.entries();
        return () -> backend.openTransport(t, entries);
    }

    /**
     * Restores the settings and loads the first score and roster. An explicit score or roster (from
     * the command line) wins over the remembered ones; with neither, BWV 846 and local players.
     *
     * @param requestedScore  a score named on the command line, or null
     * @param requestedRoster a roster file named on the command line, or null
     * @param defaultScore    BWV 846 if it was found, or null
     */
    public void start(Path requestedScore, Path requestedRoster, Path defaultScore) {
        settings = settingsStore.load();
        windowWidth = settings.windowWidth();
        windowHeight = settings.windowHeight();
        List<Path> recent = new ArrayList<>();
        for (String s : settings.recentScores()) {
            recent.add(Path.of(s));
        }
        score.setRecentFiles(recent);
        log.minimumLevelProperty().set(Level.toLevel(settings.logLevel(), Level.INFO));

        if (requestedRoster != null) {
            roster.load(requestedRoster);
        } else if (settings.roster() != null && !settings.roster().isEmpty()) {
            roster.setEntries(settings.roster(), false,
                    settings.rosterFile() == null ? null : Path.of(settings.rosterFile()));
        } else {
            roster.setEntries(List.of(), true, null);
        }

        Path first = requestedScore;
        if (first == null && settings.lastScore() != null && Files.isRegularFile(Path.of(settings.lastScore()))) {
            first = Path.of(settings.lastScore());
        }
        if (first == null) {
            first = defaultScore;
        }
        started = true;
        if (first != null) {
            score.open(first);
        } else {
            LOG.warn("BWV 846 (scores/bwv846.json) was not found from {}; open a score with File > Open",
                    Path.of("").toAbsolutePath());
        }
    }

    private void scoreChanged(Timeline t) {
        if (t != null && roster.localProperty().get()) {
            startLocalPlayers(t);
        }
    }

    private void reprobeRoster() {
        List<RosterEntry> entries = roster.validBinding().get() ? roster.entries() : List.of();
        if (entries.equals(probedEntries)) {
            return;
        }
        stopRosterProbe();
        probedEntries = entries;
        if (entries.isEmpty()) {
            return;
        }
        int gen = probeGeneration;
        try {
            rosterProbe = backend.probe(entries, status -> fx.dispatch(() -> {
                if (gen == probeGeneration) {
                    roster.applyProbes(status, discovered.players());
                }
            }));
        } catch (Exception e) {
            LOG.warn("Could not probe the roster's players: {}", e.getMessage());
        }
    }

    private void stopRosterProbe() {
        probeGeneration++;
        if (rosterProbe != null) {
            try {
                rosterProbe.close();
            } catch (Exception e) {
                LOG.debug("closing the roster probe: {}", e.toString());
            }
            rosterProbe = null;
        }
    }

    /** Starts looking for players when {@code settings} say so (the window's command-line options). */
    public void startDiscovery(DiscoverySettings settings) {
        discovered.start(settings);
    }

    /** Replaces the roster with embedded local players, one per voice of the score. */
    public void useLocalPlayers() {
        roster.setEntries(List.of(), true, null);
        if (score.timeline() != null) {
            startLocalPlayers(score.timeline());
        }
    }

    private void startLocalPlayers(Timeline t) {
        List<String> voices = new ArrayList<>(score.voices());
        runner.run("starting local players", () -> backend.startLocalPlayers(t), entries -> {
            if (score.timeline() == t && roster.localProperty().get()) {
                localPlayersRunning = true;
                roster.setEntries(entries, true, null);
                LOG.info("{} local players on 127.0.0.1 for the voices {}", entries.size(), voices);
            }
        }, error -> dialogs.showError("Could not start the local players", String.valueOf(error.getMessage())));
    }

    /** The settings to keep, with the window's size. */
    public Settings settingsToSave(double width, double height) {
        Path file = score.fileProperty().get();
        List<String> recent = new ArrayList<>();
        for (Path p : score.recentFiles()) {
            recent.add(p.toString());
        }
        List<RosterEntry> keptRoster = null;
        if (!roster.localProperty().get() && roster.validBinding().get()) {
            keptRoster = roster.entries();
        } else if (!roster.localProperty().get()) {
            keptRoster = settings.roster(); // an invalid edit is not saved over the last good roster
        }
        Path rosterFile = roster.fileProperty().get();
        Level level = log.minimumLevelProperty().get();
        return new Settings(file == null ? null : file.toString(), recent, keptRoster,
                rosterFile == null ? null : rosterFile.toString(), width, height,
                level == null ? "INFO" : level.toString());
    }

    /** The settings read at {@link #start}. */
    public Settings settings() {
        return settings;
    }

    /** Saves now, on the calling thread (the window is closing). */
    public void saveSettings(double width, double height) {
        setWindowSize(width, height);
        settingsStore.save(settingsToSave(width, height));
    }

    /** Closes the transport and the local players. */
    @Override
    public void close() {
        live.close();
        stopRosterProbe();
        discovered.close();
        transport.close();
        if (localPlayersRunning) {
            runner.run("stopping local players", () -> {
                backend.stopLocalPlayers();
                return true;
            }, ok -> { }, error -> LOG.warn("Stopping the local players failed: {}", error.getMessage()));
        }
    }

    /** The voices with the colour index of each: lane colours follow voice order. */
    public ObservableList<String> voices() {
        return score.voices();
    }

    public ScoreViewModel score() {
        return score;
    }

    public RosterViewModel roster() {
        return roster;
    }

    public TransportViewModel transport() {
        return transport;
    }

    /** The Live mode: a MIDI input plays the roster. */
    public LiveViewModel live() {
        return live;
    }

    public LogViewModel log() {
        return log;
    }

    /** The players found by discovery, next to the roster. */
    public DiscoveredPlayersViewModel discovered() {
        return discovered;
    }

    /** A score is loaded and the roster is valid. */
    public BooleanBinding readyBinding() {
        return ready;
    }

    DialogService dialogs() {
        return dialogs;
    }
}
