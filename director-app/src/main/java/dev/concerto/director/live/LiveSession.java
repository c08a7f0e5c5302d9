package dev.concerto.director.live;

import com.illposed.osc.OSCPacket;
import dev.concerto.director.engine.PlayState;
import dev.concerto.director.engine.PlayerStream;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterException;
import dev.concerto.director.net.DirectorEngine;
import dev.concerto.director.net.EventLog;
import dev.concerto.director.net.ResolvedPlayer;
import dev.concerto.director.engine.Transport;
import dev.concerto.director.engine.TransportState;
import dev.concerto.director.score.Scores;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.VoiceTimeline;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.ClockPair;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live director: one roster, the engine that keeps its players in sync (clock sync, leases) and
 * plays a score when asked, live notes from keyboards and OSC through a {@link LiveConductor}, OSC
 * in and out, MIDI clock out and in. The composition root of the live package; it is also the
 * {@link Transport} that OSC and MIDI clock drive (it delegates to the current engine, which a
 * score loaded over OSC replaces).
 *
 * <p>Live notes go into the engine's scheduler through an {@link EngineNoteSink}: its one
 * scheduler thread writes them, as it writes the score's datagrams, and renews held notes' leases;
 * the live loop ({@link LiveLoop}) only decides what is due when and never touches a socket.
 */
public final class LiveSession implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(LiveSession.class);

    private final Roster roster;
    private final LiveOptions options;
    private final Clock clock;
    private final List<Consumer<TransportState>> stateListeners = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> attached = new CopyOnWriteArrayList<>();
    private final LiveConductor conductor;
    private final EngineNoteSink sink;
    private final LiveLoop loop;
    private final OscOut oscOut;
    private final OscServer oscServer;
    private final EventLog events;
    private final long epochOffsetMicros;
    private volatile DirectorEngine engine;
    private volatile Timeline timeline;
    private volatile TransportState lastPublished;

    private LiveSession(Roster roster, Timeline timeline, LiveOptions options, Clock clock, Path eventsFile)
            throws RosterException, IOException {
        this.roster = roster;
        this.options = options;
        this.clock = clock;
        this.timeline = timeline == null ? emptyTimeline(roster) : timeline;
        this.epochOffsetMicros = ClockPair.read(clock).epochMinusMonotonicMicros();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            List<String> names = roster.entries().stream().map(e -> e.name()).toList();
            this.events = eventsFile == null ? null : openEvents(eventsFile, names,
                    ResolvedPlayer.resolve(roster).stream().map(ResolvedPlayer::destination).toList(), clock);
            if (events != null) {
                opened.add(events);
            }
            boolean osc = options.oscListen() != null || !options.oscTargets().isEmpty();
            this.oscOut = osc ? new OscOut(this::periodicOsc, Math.round(1e9 / options.positionHz())) : null;
            if (oscOut != null) {
                opened.add(oscOut);
                for (InetSocketAddress a : options.oscTargets()) {
                    oscOut.subscribe(a.getAddress().getHostAddress(), a.getPort());
                }
            }
            this.engine = buildEngine(this.timeline);
            opened.add(engine);
            this.sink = new EngineNoteSink(engine, options.leadMillis() * 1_000_000L);
            VoiceAllocator allocator = new VoiceAllocator(options.voices(names), options.policy(), options.overflow(),
                    options.mapping());
            this.conductor = new LiveConductor(allocator, sink, this::command);
            if (events != null) {
                conductor.addListener(new LiveEventLines(events));
            }
            LiveWarmUp.run(sink, options, clock); // before the first key, not on it
            this.loop = new LiveLoop(conductor, clock).start();
            opened.add(loop);
            this.oscServer = options.oscListen() == null ? null : OscServer.open(options.oscListen(), clock, conductor::onOsc);
        } catch (IOException | RuntimeException | RosterException e) {
            for (AutoCloseable c : opened) {
                closeQuietly(c);
            }
            throw e;
        }
    }

    /**
     * Opens a live session: resolves the roster, opens a sender per player, waits for the timed
     * players' clock sync, starts OSC when asked.
     *
     * @param timeline a score to play on command (OSC, MIDI clock), or {@code null} for live notes only
     * @throws RosterException   when the roster is invalid or a host does not resolve
     * @throws IOException       when a socket cannot be opened or the OSC port is in use
     */
    public static LiveSession open(Roster roster, Timeline timeline, LiveOptions options, Clock clock)
            throws RosterException, IOException {
        return open(roster, timeline, options, clock, null);
    }

    /**
     * As {@link #open(Roster, Timeline, LiveOptions, Clock)}, writing the director's events file:
     * every datagram the engine sends (live notes and a score's alike, as {@code play --events}
     * writes them) and every live note and voice-allocation decision ({@link LiveEventLines}).
     *
     * @param eventsFile the file to create (truncate), or {@code null} for none
     * @throws IOException also when the events file cannot be created
     */
    public static LiveSession open(Roster roster, Timeline timeline, LiveOptions options, Clock clock, Path eventsFile)
            throws RosterException, IOException {
        return new LiveSession(Objects.requireNonNull(roster), timeline, Objects.requireNonNull(options), clock,
                eventsFile);
    }

    private static EventLog openEvents(Path file, List<String> names, List<String> destinations, Clock clock)
            throws IOException {
        try {
            return new EventLog(file, names, destinations, clock);
        } catch (IOException e) {
            throw new IOException("cannot write the events file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Timeline emptyTimeline(Roster roster) {
        LinkedHashSet<String> voices = new LinkedHashSet<>();
        roster.entries().forEach(e -> voices.add(e.voice()));
        return new Timeline("live", "", 120, voices.stream().map(v -> new VoiceTimeline(v, List.of(), true)).toList(), 0, 0,
                List.of(0.0), List.of(0.0));
    }

    private DirectorEngine buildEngine(Timeline t) throws RosterException, IOException {
        List<dev.concerto.director.engine.RosterEntry> players = roster.entries();
        // Written and read on the scheduler thread only (the observer's thread).
        double[] engineHz = new double[players.size()];
        DirectorEngine e = DirectorEngine.builder(t, roster).options(options.timed()).clock(clock)
                .observer((player, hz, deadline, sendAt, sent) -> {
                    if (events != null) {
                        events.onSend(player, hz, deadline, sendAt, sent);
                    }
                    // the engine repeats each silence: subscribers hear each change (score or live) once
                    if (oscOut != null && engineHz[player] != hz) {
                        engineHz[player] = hz;
                        if (!oscOut.hasSubscribers()) {
                            return; // no packet built on the scheduler thread for nobody
                        }
                        oscOut.publish(OscPublisher.sounding(players.get(player).name(), players.get(player).voice(),
                                hz, toEpochMicros(deadline)));
                    }
                }).build();
        e.addListener(this::onState);
        return e;
    }

    private void onState(TransportState s) {
        TransportState last = lastPublished;
        lastPublished = s;
        if (oscOut != null && (last == null || last.state() != s.state() || last.tempoBpm() != s.tempoBpm())) {
            OscPublisher.transport(s).forEach(oscOut::publish);
        }
        for (Consumer<TransportState> l : stateListeners) {
            l.accept(s);
        }
    }

    private List<OSCPacket> periodicOsc() {
        TransportState s = lastPublished;
        return s != null && s.state() == PlayState.PLAYING ? List.of(OscPublisher.position(s, timeline)) : List.of();
    }

    private long toEpochMicros(long nanos) {
        return epochOffsetMicros + Math.floorDiv(nanos, 1000);
    }

    /** Runs an OSC command that is not a note (on the live loop thread, at its due time). */
    void command(OscCommand c) {
        try {
            if (c instanceof OscCommand.Play) {
                if (state().state() == PlayState.PAUSED) {
                    resume();
                } else {
                    play();
                }
            } else if (c instanceof OscCommand.Pause) {
                pause();
            } else if (c instanceof OscCommand.Stop) {
                stop();
            } else if (c instanceof OscCommand.Seek s) {
                seekToMeasure(s.measure());
            } else if (c instanceof OscCommand.Tempo t) {
                setTempo(t.bpm());
            } else if (c instanceof OscCommand.Loop l) {
                if (l.fromMeasure() == 0) {
                    clearLoop();
                } else {
                    setLoop(l.fromMeasure(), l.toMeasure());
                }
            } else if (c instanceof OscCommand.Subscribe s) {
                requireOut().subscribe(s.host(), s.port());
            } else if (c instanceof OscCommand.Unsubscribe u) {
                requireOut().unsubscribe(u.host(), u.port());
            } else if (c instanceof OscCommand.Load l) {
                load(options.load().resolve(l.file()));
            }
        } catch (RuntimeException e) {
            LOG.warn("OSC {}: {}", c, e.getMessage());
        }
    }

    private OscOut requireOut() {
        if (oscOut == null) {
            throw new IllegalStateException("OSC is off");
        }
        return oscOut;
    }

    /** Loads a score and plays it to the same roster (the engine is re-opened). */
    public synchronized void load(Path file) {
        Timeline t;
        try {
            t = Scores.loadTimeline(file);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot load " + file + ": " + e.getMessage(), e);
        }
        DirectorEngine old = engine;
        old.close();
        try {
            engine = buildEngine(t);
            sink.replace(engine);
            timeline = t;
            LOG.info("loaded '{}' from {}", t.title(), file);
        } catch (RosterException | IOException e) {
            throw new IllegalStateException("cannot re-open the roster: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ inputs

    /** A handler for a keyboard: notes to the conductor; the input gone = all notes off. */
    public MidiInput.Handler keyboardHandler() {
        return new MidiInput.Handler() {
            @Override
            public void message(javax.sound.midi.MidiMessage message, long arrivalNanos) {
                conductor.onMidi(message, arrivalNanos);
            }

            @Override
            public void gone(String why) {
                LOG.warn("{}: all notes off", why);
                conductor.onAllNotesOff();
            }
        };
    }

    /** Closes this resource with the session (MIDI inputs, the clock sender). */
    public <T extends AutoCloseable> T attach(T resource) {
        attached.add(resource);
        return resource;
    }

    /** Sends MIDI clock to a receiver while the transport plays. */
    public MidiClockSender clockTo(javax.sound.midi.Receiver receiver) {
        MidiClockSender s = attach(new MidiClockSender(receiver, clock, timeline).start());
        addListener(s.listener());
        return s;
    }

    /** A handler that lets a DAW's MIDI clock drive the transport. */
    public MidiClockFollowing clockFollower() {
        return new MidiClockFollowing(this, timeline);
    }

    public LiveConductor conductor() {
        return conductor;
    }

    public Timeline timeline() {
        return timeline;
    }

    /** The current engine's per-player streams (protocol in use, counters), in roster order. */
    public List<PlayerStream> streams() {
        return engine.streams();
    }

    /** The engine that plays the score and the live notes (replaced when a score is loaded). */
    public DirectorEngine engine() {
        return engine;
    }

    /** Where OSC in listens, if it does. */
    public InetSocketAddress oscAddress() {
        return oscServer == null ? null : oscServer.localAddress();
    }

    public OscServer.Counts oscCounts() {
        return oscServer == null ? null : oscServer.counts();
    }

    public OscOut oscOut() {
        return oscOut;
    }

    /** The events file being written, if any (its counts of lines written and lost). */
    public java.util.Optional<EventLog> events() {
        return java.util.Optional.ofNullable(events);
    }

    // ------------------------------------------------------------------ Transport

    @Override
    public void play() {
        engine.play();
    }

    @Override
    public void pause() {
        engine.pause();
    }

    @Override
    public void resume() {
        engine.resume();
    }

    @Override
    public void stop() {
        engine.stop();
    }

    @Override
    public void seekToMeasure(int measure) {
        engine.seekToMeasure(Math.max(1, Math.min(Math.max(1, timeline.measureCount()), measure)));
    }

    @Override
    public void setLoop(int fromMeasure, int toMeasure) {
        engine.setLoop(fromMeasure, toMeasure);
    }

    @Override
    public void clearLoop() {
        engine.clearLoop();
    }

    @Override
    public void setTempo(double bpm) {
        engine.setTempo(bpm);
    }

    @Override
    public TransportState state() {
        return engine.state();
    }

    @Override
    public void addListener(Consumer<TransportState> listener) {
        stateListeners.add(listener);
    }

    @Override
    public void removeListener(Consumer<TransportState> listener) {
        stateListeners.remove(listener);
    }

    /** Silences everything and closes every input, output and socket. Idempotent. */
    @Override
    public void close() {
        if (oscServer != null) {
            oscServer.close();
        }
        for (AutoCloseable c : attached) {
            closeQuietly(c);
        }
        conductor.onAllNotesOff();
        loop.close();
        engine.close();
        if (oscOut != null) {
            oscOut.close();
        }
        if (events != null) {
            events.close(); // after the engine: its last silences are in the file
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("closing {}: {}", c, e.toString());
        }
    }
}
