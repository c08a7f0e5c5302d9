package dev.concerto.director.ui;

import dev.concerto.director.engine.Protocol;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.engine.Transport;
import dev.concerto.director.score.Timeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A backend of canned scores and fake transports (view-model unit tests only). */
final class FakeBackend implements DirectorBackend {

    final Map<Path, Timeline> scores = new HashMap<>();
    final Map<Path, String> scoreErrors = new HashMap<>();
    /** Import reports (warnings, unplaced notes) of scores in {@link #scores}. */
    final Map<Path, List<List<String>>> reports = new HashMap<>();
    final Map<Path, List<RosterEntry>> rosters = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    final List<FakeTransport> transports = new ArrayList<>();
    /** What startDiscovery / probe were handed, so a test can play the discovery and the probe. */
    volatile java.util.function.Consumer<List<dev.concerto.director.engine.DiscoveredPlayer>> discoveryListener;
    volatile java.util.function.Consumer<List<dev.concerto.director.engine.PlayerProbe>> probeListener;
    volatile List<RosterEntry> probedRoster;
    final List<String> discoveryCalls = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public AutoCloseable startDiscovery(DiscoverySettings settings,
            java.util.function.Consumer<List<dev.concerto.director.engine.DiscoveredPlayer>> players,
            java.util.function.Consumer<String> problems) {
        discoveryCalls.add("start");
        discoveryListener = players;
        return () -> discoveryCalls.add("stop");
    }

    @Override
    public AutoCloseable probe(List<RosterEntry> roster,
            java.util.function.Consumer<List<dev.concerto.director.engine.PlayerProbe>> status) {
        probedRoster = List.copyOf(roster);
        probeListener = status;
        return () -> { };
    }

    @Override
    public Timeline loadScore(Path file) throws Exception {
        calls.add("loadScore " + file.getFileName());
        if (scoreErrors.containsKey(file)) {
            throw new Exception(scoreErrors.get(file));
        }
        Timeline t = scores.get(file);
        if (t == null) {
            throw new java.io.FileNotFoundException(file + " (No such file or directory)");
        }
        return t;
    }

    @Override
    public LoadedScore loadScoreWithReport(Path file) throws Exception {
        Timeline t = loadScore(file);
        List<List<String>> r = reports.getOrDefault(file, List.of(List.of(), List.of()));
        return new LoadedScore(t, r.get(0), r.get(1));
    }

    @Override
    public List<RosterEntry> loadRoster(Path file) throws Exception {
        List<RosterEntry> r = rosters.get(file);
        if (r == null) {
            throw new Exception(file + ": no such roster");
        }
        return r;
    }

    @Override
    public void saveRoster(Path file, List<RosterEntry> roster) {
        rosters.put(file, List.copyOf(roster));
        calls.add("saveRoster " + file.getFileName() + " " + roster.size());
    }

    @Override
    public List<RosterEntry> startLocalPlayers(Timeline timeline) {
        List<String> voices = timeline.voices().stream().map(dev.concerto.director.score.VoiceTimeline::name).toList();
        calls.add("startLocalPlayers " + voices);
        List<RosterEntry> out = new ArrayList<>();
        for (int i = 0; i < voices.size(); i++) {
            out.add(new RosterEntry("local " + (i + 1), "127.0.0.1", 40000 + i, Protocol.LEGACY, voices.get(i)));
        }
        return out;
    }

    @Override
    public void stopLocalPlayers() {
        calls.add("stopLocalPlayers");
    }

    @Override
    public Transport openTransport(Timeline timeline, List<RosterEntry> roster) {
        calls.add("openTransport " + timeline.title() + " " + roster.size());
        FakeTransport t = new FakeTransport(timeline.measureCount(), timeline.bpm());
        transports.add(t);
        return t;
    }

    @Override
    public dev.concerto.director.calibrate.MicrophoneCalibrator.Outcome calibrate(List<RosterEntry> roster,
            java.util.function.Consumer<String> progress) throws Exception {
        calls.add("calibrate " + roster.size());
        if (calibration == null) {
            throw new Exception("no microphone: javax.sound finds no capture line");
        }
        return calibration.apply(roster);
    }

    /** What calibrate returns for a roster; null: it fails as without a microphone. */
    java.util.function.Function<List<RosterEntry>, dev.concerto.director.calibrate.MicrophoneCalibrator.Outcome> calibration;

    @Override
    public void testTone(RosterEntry player, int hz, int millis) {
        calls.add("testTone " + player.name() + " " + hz);
    }

    @Override
    public void close() {
        calls.add("close");
    }

    FakeTransport lastTransport() {
        return transports.get(transports.size() - 1);
    }
}
