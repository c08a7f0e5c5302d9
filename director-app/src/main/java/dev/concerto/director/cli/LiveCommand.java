package dev.concerto.director.cli;

import static dev.concerto.director.cli.ExitCodes.BAD_INPUT;
import static dev.concerto.director.cli.ExitCodes.ENVIRONMENT;
import static dev.concerto.director.cli.ExitCodes.OK;

import dev.concerto.director.engine.PlayerSyncException;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterException;
import dev.concerto.director.live.LiveOptions;
import dev.concerto.director.live.LiveSession;
import dev.concerto.director.live.MidiDevices;
import dev.concerto.director.live.MidiFilePlayer;
import dev.concerto.director.live.MidiInput;
import dev.concerto.director.net.LocalPlayers;
import dev.concerto.director.score.ScoreException;
import dev.concerto.director.score.Scores;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.VoiceTimeline;
import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MidiDevice;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code concerto live}: a MIDI keyboard (or DAW) plays the roster's players, OSC drives and hears
 * the director, MIDI clock goes out to a DAW or comes in from one. Runs until Ctrl-C (or
 * {@code --duration}); prints what sounds once a second. This class holds what plays and to whom,
 * and the run; how it plays is {@link LivePlayOptions}, what it prints {@link LiveConsole}.
 */
@Command(name = "live",
        mixinStandardHelpOptions = true,
        description = {"Play the roster's players live: from a MIDI input (a keyboard, a virtual port, a DAW), "
                + "from OSC (SuperCollider, Pure Data, TouchOSC, oscsend), or both; optionally with a SCORE that OSC "
                + "or a DAW's MIDI clock starts, stops and moves. See docs/live.md and docs/osc.md.",
                "Exit codes: 0 done (Ctrl-C or --duration), 1 bad score, roster or MIDI file, 2 usage or environment "
                        + "(no such MIDI port, OSC port in use, a timed player that does not answer)."})
public final class LiveCommand implements Callable<Integer> {

    /** After a --midi-file ends, wait this long before stopping, so its last notes sound, ns. */
    private static final long FILE_END_GRACE_NANOS = 1_000_000_000L;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SCORE", arity = "0..1",
            description = "a score that OSC (/concerto/play ...) or MIDI clock in can play (optional)")
    Path score;

    @Option(names = "--list", description = "list the MIDI inputs and outputs and exit")
    boolean list;

    @Option(names = "--midi-in", paramLabel = "NAME", description = "the MIDI input to play from (a name from --list, "
            + "or a unique part of it)")
    String midiIn;

    @Option(names = "--midi-file", paramLabel = "FILE",
            description = "play a MIDI file into the live input, as a keyboard would (through the JDK's sequencer); "
                    + "without --duration, stop when it ends")
    Path midiFile;

    @Option(names = "--events", paramLabel = "FILE",
            description = "write the director's events, one JSON line each (wall-clock µs): every datagram sent "
                    + "(t_us, player, dst, hz, deadline_us, as play --events), every live note "
                    + "(event live-note: player, index, hz, key, at_us when it sounds, in_us when its key or OSC "
                    + "message came in, source) and every stolen or dropped note (docs/live.md)")
    Path events;

    @Option(names = "--roster", paramLabel = "FILE", description = "the players (JSON roster; docs/director.md)")
    Path rosterFile;

    @Option(names = "--local", paramLabel = "N", arity = "0..1", fallbackValue = "4",
            description = "play to N local players started in this process (default 4; with a SCORE, one per "
                    + "voice of the score) instead of a roster")
    Integer local;

    @Option(names = "--clock-out", paramLabel = "NAME", description = "send MIDI clock to this MIDI output while playing")
    String clockOut;

    @Option(names = "--clock-in", paramLabel = "NAME", description = "follow the MIDI clock of this MIDI input (a DAW)")
    String clockIn;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "stop after this long (default: until Ctrl-C)")
    Double duration;

    @Mixin
    LivePlayOptions play = new LivePlayOptions();

    /** A failure that ends the command with an exit code and a message. */
    private static final class Exit extends Exception {
        final int code;

        Exit(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (list) {
            LiveConsole.printPorts(out);
            return OK;
        }
        // closed in reverse on failure, at the end, or by the Ctrl-C hook (another thread)
        List<AutoCloseable> opened = new CopyOnWriteArrayList<>();
        try {
            LiveSession session = open(err, opened);
            return run(out, session, opened);
        } catch (Exit e) {
            err.println("concerto live: " + e.getMessage());
            closeAll(opened);
            return e.code;
        }
    }

    /** Checks the options, starts the players (or reads the roster), opens the session and its inputs. */
    private LiveSession open(PrintWriter err, List<AutoCloseable> opened) throws Exit, InterruptedException {
        LiveOptions options;
        try {
            options = play.toLiveOptions();
        } catch (IllegalArgumentException | IOException e) {
            throw new Exit(ENVIRONMENT, e.getMessage());
        }
        if (rosterFile == null && local == null) {
            throw new Exit(ENVIRONMENT, "say who plays: --roster FILE, or --local [N] for players in this process");
        }
        if (midiIn == null && midiFile == null && !play.oscIn() && clockIn == null) {
            throw new Exit(ENVIRONMENT, "nothing to play from: give --midi-in NAME (see --list), --midi-file FILE, --osc, "
                    + "or --clock-in NAME");
        }
        Timeline timeline = null;
        MidiDevices.Port keyboard;
        MidiDevices.Port clockInPort;
        MidiDevices.Port clockOutPort;
        try {
            timeline = score == null ? null : Scores.loadTimeline(score);
            keyboard = midiIn == null ? null : MidiDevices.find(MidiDevices.inputs(), midiIn, "input");
            clockInPort = clockIn == null ? null : MidiDevices.find(MidiDevices.inputs(), clockIn, "input");
            clockOutPort = clockOut == null ? null : MidiDevices.find(MidiDevices.outputs(), clockOut, "output");
        } catch (ScoreException e) {
            throw new Exit(BAD_INPUT, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new Exit(ENVIRONMENT, e.getMessage());
        }
        Roster roster = roster(timeline, options, err, opened);
        LiveSession session;
        try {
            session = LiveSession.open(roster, timeline, options, Clock.SYSTEM, events);
        } catch (RosterException e) {
            throw new Exit(BAD_INPUT, e.getMessage());
        } catch (IOException | PlayerSyncException | UncheckedIOException e) {
            throw new Exit(ENVIRONMENT, e.getMessage());
        }
        opened.add(session);
        openInputs(session, keyboard, clockInPort, clockOutPort, options, err);
        return session;
    }

    private Roster roster(Timeline timeline, LiveOptions options, PrintWriter err, List<AutoCloseable> opened) throws Exit {
        try {
            if (rosterFile != null) {
                return Roster.load(rosterFile);
            }
            LocalPlayers players = LocalPlayers.start(timeline != null ? timeline : localTimeline(local),
                    options.timed().authenticator());
            opened.add(players);
            err.println("local players: " + players.roster().entries().size() + " on 127.0.0.1, sounding through "
                    + players.outputDescription());
            return players.roster();
        } catch (RosterException e) {
            throw new Exit(BAD_INPUT, e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new Exit(ENVIRONMENT, "cannot start local players: " + e.getMessage());
        }
    }

    private void openInputs(LiveSession session, MidiDevices.Port keyboard, MidiDevices.Port clockInPort,
                            MidiDevices.Port clockOutPort, LiveOptions options, PrintWriter err) throws Exit {
        try {
            if (keyboard != null) {
                session.attach(MidiInput.open(keyboard, Clock.SYSTEM, session.keyboardHandler()));
                err.println("playing from MIDI input '" + keyboard.name() + "' (" + options.policy().key() + ", "
                        + options.overflow().key() + " when full, " + options.mapping().tuning().description() + ")");
            }
            if (clockInPort != null) {
                session.attach(MidiInput.open(clockInPort, Clock.SYSTEM, session.clockFollower()));
                err.println("following the MIDI clock of '" + clockInPort.name() + "'");
            }
            if (clockOutPort != null) {
                MidiDevice d = MidiSystem.getMidiDevice(clockOutPort.info());
                d.open();
                session.attach(d::close);
                session.clockTo(d.getReceiver());
                err.println("sending MIDI clock to '" + clockOutPort.name() + "' while playing");
            }
        } catch (MidiUnavailableException e) {
            throw new Exit(ENVIRONMENT, "the MIDI port is busy or gone: " + e.getMessage());
        }
    }

    /** Plays the file (if any), prints the status once a second until the end, closes, prints the summary. */
    private int run(PrintWriter out, LiveSession session, List<AutoCloseable> opened) throws Exit, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        MidiFilePlayer file = null;
        if (midiFile != null) {
            try {
                file = session.attach(MidiFilePlayer.start(midiFile, Clock.SYSTEM, session.keyboardHandler()));
            } catch (InvalidMidiDataException e) {
                throw new Exit(BAD_INPUT, midiFile + ": not a MIDI file: " + e.getMessage());
            } catch (IOException | MidiUnavailableException e) {
                throw new Exit(ENVIRONMENT, midiFile + ": " + e.getMessage());
            }
            err.printf(Locale.ROOT, "playing %s (%.1f s) into the live input%n", midiFile, file.seconds());
        }
        LiveConsole.printSetUp(err, session);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            closeAll(opened);
            done.countDown();
        }, "concerto-live-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + Math.round(duration * 1e9);
        boolean untilFileEnds = duration == null && file != null && session.oscAddress() == null && midiIn == null;
        long fileEndedAt = Long.MAX_VALUE;
        while (System.nanoTime() < end) {
            if (done.await(Math.min(1_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS)) {
                return OK; // Ctrl-C: the hook closed everything
            }
            LiveConsole.printStatus(out, session);
            if (untilFileEnds && !file.isRunning()) {
                fileEndedAt = Math.min(fileEndedAt, System.nanoTime());
                if (System.nanoTime() - fileEndedAt >= FILE_END_GRACE_NANOS) {
                    break; // its last notes have sounded
                }
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            return OK; // the JVM is shutting down: the hook closes
        }
        closeAll(opened);
        LiveConsole.printSummary(out, session);
        return OK;
    }

    static Timeline localTimeline(int n) {
        if (n < 1 || n > 64) {
            throw new IllegalArgumentException("--local " + n + " is outside 1..64");
        }
        List<VoiceTimeline> voices = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            voices.add(new VoiceTimeline("live" + i, List.of(), true));
        }
        return new Timeline("live", "", 120, voices, 0, 0, List.of(0.0), List.of(0.0));
    }

    /** Closes in reverse order of opening (the session before the local players it plays to). */
    private static void closeAll(List<AutoCloseable> opened) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception ignored) {
                // closing at exit
            }
        }
        opened.clear();
    }
}
