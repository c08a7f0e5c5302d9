package dev.concerto.director.session;

import dev.concerto.director.live.KeyMapping;
import dev.concerto.director.live.LiveConductor;
import dev.concerto.director.live.LiveOptions;
import dev.concerto.director.live.LiveSession;
import dev.concerto.director.live.MidiDevices;
import dev.concerto.director.live.MidiInput;
import dev.concerto.director.score.Temperament;
import dev.concerto.director.ui.LiveInput;
import dev.concerto.director.ui.LiveRequest;
import dev.concerto.director.engine.DiscoveredPlayer;
import dev.concerto.director.engine.PlayerProbe;
import dev.concerto.director.calibrate.MicrophoneCalibrator;
import dev.concerto.director.engine.TimedOptions;
import dev.concerto.director.engine.LegacyStream;
import dev.concerto.director.engine.Protocol;
import dev.concerto.director.engine.Silence;
import dev.concerto.director.net.DirectorEngine;
import dev.concerto.director.net.LocalPlayers;
import dev.concerto.director.net.ResolvedPlayer;
import dev.concerto.director.net.UdpLink;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.engine.Transport;
import dev.concerto.director.score.ImportReport;
import dev.concerto.director.score.Score;
import dev.concerto.director.score.ScoreCompiler;
import dev.concerto.director.score.ScoreLoader;
import dev.concerto.director.score.Scores;
import dev.concerto.director.score.Unplaced;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.net.Discovery;
import dev.concerto.director.net.RosterProber;
import dev.concerto.director.ui.DirectorBackend;
import dev.concerto.director.ui.DiscoverySettings;
import dev.concerto.protocol.Clock;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GUI's backend on the real parts: {@link Scores} loads scores (JSON and MIDI), {@link Roster}
 * reads and writes roster files, {@link DirectorEngine} is the transport, and the engine's
 * {@link LocalPlayers} (an embedded ensemble on loopback) are the "local players". Found by the GUI through
 * {@link java.util.ServiceLoader} ({@code META-INF/services}), so the ui package never depends on
 * the classes that open sockets. Thread-safe (the local players are guarded by this object's lock).
 */
public final class EngineBackend implements DirectorBackend {

    private static final Logger LOG = LoggerFactory.getLogger(EngineBackend.class);

    private LocalPlayers localPlayers;
    /**
     * What the engine plays timed players with (the shared key, when the window was given one); the
     * probe before Play, calibration and live input use the same, so a keyed player is probed with
     * requests signed exactly as while playing.
     */
    private volatile TimedOptions timedOptions = TimedOptions.defaults();

    @Override
    public void useKey(dev.concerto.protocol.Authenticator key) {
        timedOptions = TimedOptions.defaults().withAuthenticator(key);
    }

    @Override
    public Timeline loadScore(Path file) throws Exception {
        return Scores.loadTimeline(file);
    }

    @Override
    public LoadedScore loadScoreWithReport(Path file) throws Exception {
        Score score = ScoreLoader.load(file);
        ImportReport report = score.report();
        List<String> unplaced = report.unplaced().stream().map(Unplaced::toString).toList();
        List<String> warnings = report == ImportReport.NONE ? score.warnings() : report.fileWarnings();
        return new LoadedScore(ScoreCompiler.compile(score), warnings, unplaced);
    }

    @Override
    public List<RosterEntry> loadRoster(Path file) throws Exception {
        Roster roster = Roster.load(file);
        return roster.entries();
    }

    @Override
    public void saveRoster(Path file, List<RosterEntry> roster) throws Exception {
        Roster r = new Roster(file.toString(), roster);
        r.validate();
        r.save(file);
    }

    @Override
    public synchronized List<RosterEntry> startLocalPlayers(Timeline timeline) throws Exception {
        stopLocalPlayers();
        if (timeline.voices().isEmpty()) {
            return List.of();
        }
        localPlayers = LocalPlayers.start(timeline, timedOptions.authenticator());
        LOG.info("Local players: {} on 127.0.0.1, sound: {}", timeline.voices().size(),
                localPlayers.outputDescription());
        return localPlayers.roster().entries();
    }

    @Override
    public synchronized void stopLocalPlayers() {
        if (localPlayers != null) {
            localPlayers.close();
            localPlayers = null;
        }
    }

    @Override
    public Transport openTransport(Timeline timeline, List<RosterEntry> roster) throws Exception {
        Roster players = new Roster("the roster", roster);
        players.validateFor(timeline);
        return DirectorEngine.open(timeline, players, timedOptions);
    }

    @Override
    public MicrophoneCalibrator.Outcome calibrate(List<RosterEntry> roster, java.util.function.Consumer<String> progress)
            throws Exception {
        return new MicrophoneCalibrator(new EngineProbeRunner(timedOptions), null)
                .run(new Roster("the window's roster", roster), progress);
    }

    @Override
    public void testTone(RosterEntry player, int hz, int millis) throws Exception {
        // A test tone is "now": the plain integer, which timed players speak too.
        RosterEntry plain = new RosterEntry(player.name(), player.host(), player.port(), Protocol.LEGACY, player.voice());
        ResolvedPlayer resolved = ResolvedPlayer.resolve(new Roster("test tone", List.of(plain))).get(0);
        try (UdpLink link = UdpLink.open(resolved, Clock.SYSTEM)) {
            LegacyStream stream = new LegacyStream(link);
            try {
                stream.change(hz, 0, 0);
                Thread.sleep(millis);
            } finally {
                for (int i = 0; i < Silence.REPEATS; i++) {
                    stream.silenceNow();
                    Thread.sleep(Silence.SPACING_NANOS / 1_000_000);
                }
            }
        }
    }

    @Override
    public List<String> midiInputs() {
        return MidiDevices.inputs().stream().map(MidiDevices.Port::name).toList();
    }

    @Override
    public LiveInput openLive(List<RosterEntry> roster, LiveRequest request) throws Exception {
        MidiDevices.Port port = MidiDevices.find(MidiDevices.inputs(), request.midiInput(), "input");
        Temperament t = Temperament.byKey(request.tuning()).orElseThrow(() -> new IllegalArgumentException(
                "unknown tuning " + request.tuning()));
        LiveOptions options = LiveOptions.defaults().withPolicy(request.policy(), request.overflow())
                .withMapping(KeyMapping.of(t, 440, 0, request.transpose())).withTimed(timedOptions);
        LiveSession session = LiveSession.open(new Roster("the roster", roster), null, options, Clock.SYSTEM);
        try {
            session.attach(MidiInput.open(port, Clock.SYSTEM, session.keyboardHandler()));
        } catch (Exception | Error e) {
            session.close();
            throw e;
        }
        LOG.info("Live input from '{}' to {} players", port.name(), roster.size());
        return new LiveInput() {
            @Override
            public List<LiveConductor.PlayerState> players() {
                return session.conductor().players();
            }

            @Override
            public LiveConductor.Stats stats() {
                return session.conductor().stats();
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }

    @Override
    public AutoCloseable startDiscovery(DiscoverySettings settings, Consumer<List<DiscoveredPlayer>> players,
                                        Consumer<String> problems) {
        Discovery.Options options = Discovery.Options.of(settings.joinBind(), settings.joinPort(), settings.mdns(),
                settings.mdnsAddress(), settings.keyFile());
        Discovery discovery = Discovery.start(options, Clock.SYSTEM);
        discovery.problems().forEach(problems);
        discovery.addListener(players);
        return discovery;
    }

    @Override
    public AutoCloseable probe(List<RosterEntry> roster, Consumer<List<PlayerProbe>> status) throws Exception {
        return RosterProber.start(roster, timedOptions, Clock.SYSTEM, status);
    }

    @Override
    public void close() {
        stopLocalPlayers();
    }
}
