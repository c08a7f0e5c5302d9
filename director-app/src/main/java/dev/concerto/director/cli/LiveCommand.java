package dev.concerto.director.cli;

import static dev.concerto.director.cli.ExitCodes.BAD_INPUT;
import static dev.concerto.director.cli.ExitCodes.ENVIRONMENT;
import static dev.concerto.director.cli.ExitCodes.OK;

import dev.concerto.director.net.LocalPlayers;
import dev.concerto.director.engine.PlayerSyncException;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterException;
import dev.concerto.director.engine.TimedOptions;
import dev.concerto.director.live.AllocationPolicy;
import dev.concerto.director.live.KeyMapping;
import dev.concerto.director.live.LiveConductor;
import dev.concerto.director.live.LiveOptions;
import dev.concerto.director.live.LiveSession;
import dev.concerto.director.live.MidiDevices;
import dev.concerto.director.live.MidiInput;
import dev.concerto.director.live.OscLoadPolicy;
import dev.concerto.director.live.OscServer;
import dev.concerto.director.live.OverflowPolicy;
import dev.concerto.director.score.NoteNames;
import dev.concerto.director.score.ScoreException;
import dev.concerto.director.score.Scores;
import dev.concerto.director.score.Temperament;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.VoiceTimeline;
import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sound.midi.MidiDevice;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code concerto live}: a MIDI keyboard (or DAW) plays the roster's players, OSC drives and hears
 * the director, MIDI clock goes out to a DAW or comes in from one. Runs until Ctrl-C (or
 * {@code --duration}); prints what sounds once a second.
 */
@Command(name = "live",
        mixinStandardHelpOptions = true,
        description = {"Play the roster's players live: from a MIDI input (a keyboard, a virtual port, a DAW), "
                + "from OSC (SuperCollider, Pure Data, TouchOSC, oscsend), or both; optionally with a SCORE that OSC "
                + "or a DAW's MIDI clock starts, stops and moves. See docs/live.md and docs/osc.md.",
                "Exit codes: 0 done (Ctrl-C or --duration), 1 bad score or roster, 2 usage or environment "
                        + "(no such MIDI port, OSC port in use, a timed player that does not answer)."})
public final class LiveCommand implements Callable<Integer> {

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
            description = "write one JSON line per change handed to a player: in_us (the key's or OSC message's "
                    + "arrival, or the bundle's tag), due_us (when it sounds), player, index, hz (wall-clock µs)")
    Path events;

    @Option(names = "--roster", paramLabel = "FILE", description = "the players (JSON roster; docs/director.md)")
    Path rosterFile;

    @Option(names = "--local", paramLabel = "N", arity = "0..1", fallbackValue = "4",
            description = "play to N local players started in this process (default 4; with a SCORE, one per "
                    + "voice of the score) instead of a roster")
    Integer local;

    @Option(names = "--policy", paramLabel = "POLICY", defaultValue = "lowest",
            description = "which player takes a new key: lowest (first free), round-robin, range (--range), "
                    + "channel (--channel); default ${DEFAULT-VALUE}")
    String policy;

    @Option(names = "--overflow", paramLabel = "WHAT", defaultValue = "steal",
            description = "more keys held than players: steal (the oldest note) or drop (the new one); default ${DEFAULT-VALUE}")
    String overflow;

    @Option(names = "--range", paramLabel = "PLAYER=LOW..HIGH",
            description = "with --policy range: the keys a player takes, e.g. bass=C1..B2 (repeatable)")
    List<String> ranges = new ArrayList<>();

    @Option(names = "--channel", paramLabel = "PLAYER=N",
            description = "with --policy channel: the MIDI channel 1..16 a player listens to (repeatable; "
                    + "default: player i on channel i)")
    List<String> channels = new ArrayList<>();

    @Option(names = "--transpose", paramLabel = "SEMITONES", defaultValue = "0", description = "transpose every key")
    int transpose;

    @Option(names = "--octave", paramLabel = "N", defaultValue = "0", description = "move every key N octaves")
    int octave;

    @Option(names = "--tuning", paramLabel = "NAME", defaultValue = "equal",
            description = "a score tuning: ${COMPLETION-CANDIDATES}", completionCandidates = TuningNames.class)
    String tuning;

    @Option(names = "--tuning-key", paramLabel = "NOTE", defaultValue = "C",
            description = "the tonic of a keyed tuning (just intonation), default ${DEFAULT-VALUE}")
    String tuningKey;

    @Option(names = "--a4", paramLabel = "HZ", defaultValue = "440", description = "reference pitch, default ${DEFAULT-VALUE}")
    double a4;

    @Option(names = "--bend-range", paramLabel = "SEMITONES", defaultValue = "2", description = "pitch-bend range")
    double bendRange;

    @Option(names = "--lead-ms", paramLabel = "MS", defaultValue = "" + LiveOptions.DEFAULT_LEAD_MILLIS,
            description = "timed players get each live note stamped this far ahead so a chord sounds together "
                    + "(default ${DEFAULT-VALUE} ms; plain-integer players get it at once)")
    int leadMs;

    @Option(names = "--osc", description = "listen for OSC on 127.0.0.1:" + OscServer.DEFAULT_PORT + " (see --osc-port)")
    boolean osc;

    @Option(names = "--osc-port", paramLabel = "PORT", description = "listen for OSC on this UDP port (implies --osc)")
    Integer oscPort;

    @Option(names = "--osc-bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "the address OSC listens on (default ${DEFAULT-VALUE}; 0.0.0.0 opens it to the network)")
    String oscBind;

    @Option(names = "--osc-to", paramLabel = "HOST:PORT",
            description = "send state, position and notes to this OSC receiver (repeatable; an IP address)")
    List<String> oscTo = new ArrayList<>();

    @Option(names = "--position-rate", paramLabel = "HZ", defaultValue = "" + LiveOptions.DEFAULT_POSITION_HZ,
            description = "position messages per second while playing (default ${DEFAULT-VALUE})")
    double positionRate;

    @Option(names = "--osc-load-dir", paramLabel = "DIR",
            description = "allow /concerto/load to load scores from this folder (off without it)")
    Path oscLoadDir;

    @Option(names = "--clock-out", paramLabel = "NAME", description = "send MIDI clock to this MIDI output while playing")
    String clockOut;

    @Option(names = "--clock-in", paramLabel = "NAME", description = "follow the MIDI clock of this MIDI input (a DAW)")
    String clockIn;

    @Option(names = "--key-file", paramLabel = "FILE", description = "timed players: the shared HMAC key")
    Path keyFile;

    @Option(names = "--sync-timeout-ms", paramLabel = "MS", defaultValue = "1500",
            description = "how long to wait for timed players' clock sync (default ${DEFAULT-VALUE} ms)")
    int syncTimeoutMs;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "stop after this long (default: until Ctrl-C)")
    Double duration;

    /** The tuning names for the help text. */
    static final class TuningNames extends ArrayList<String> {
        TuningNames() {
            for (Temperament t : Temperament.values()) {
                add(t.key());
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (list) {
            printPorts(out);
            return OK;
        }
        LiveOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException | IOException e) {
            err.println("concerto live: " + e.getMessage());
            return ENVIRONMENT;
        }
        if (rosterFile == null && local == null) {
            err.println("concerto live: say who plays: --roster FILE, or --local [N] for players in this process");
            return ENVIRONMENT;
        }
        if (midiIn == null && midiFile == null && !osc && oscPort == null && clockIn == null) {
            err.println("concerto live: nothing to play from: give --midi-in NAME (see --list), --midi-file FILE, --osc, "
                    + "or --clock-in NAME");
            return ENVIRONMENT;
        }
        Timeline timeline = null;
        if (score != null) {
            try {
                timeline = Scores.loadTimeline(score);
            } catch (ScoreException e) {
                err.println("concerto live: " + e.getMessage());
                return BAD_INPUT;
            }
        }
        MidiDevices.Port keyboard;
        MidiDevices.Port clockInPort;
        MidiDevices.Port clockOutPort;
        try {
            keyboard = midiIn == null ? null : MidiDevices.find(MidiDevices.inputs(), midiIn, "input");
            clockInPort = clockIn == null ? null : MidiDevices.find(MidiDevices.inputs(), clockIn, "input");
            clockOutPort = clockOut == null ? null : MidiDevices.find(MidiDevices.outputs(), clockOut, "output");
        } catch (IllegalArgumentException e) {
            err.println("concerto live: " + e.getMessage());
            return ENVIRONMENT;
        }

        LocalPlayers players = null;
        Roster roster;
        try {
            if (rosterFile != null) {
                roster = Roster.load(rosterFile);
            } else {
                players = LocalPlayers.start(timeline != null ? timeline : localTimeline(local), options.timed().authenticator());
                roster = players.roster();
                err.println("local players: " + roster.entries().size() + " on 127.0.0.1, sounding through "
                        + players.outputDescription());
            }
        } catch (RosterException e) {
            err.println("concerto live: " + e.getMessage());
            return BAD_INPUT;
        } catch (IOException | RuntimeException e) {
            err.println("concerto live: cannot start local players: " + e.getMessage());
            return ENVIRONMENT;
        }

        LiveSession session;
        try {
            session = LiveSession.open(roster, timeline, options, Clock.SYSTEM);
        } catch (RosterException e) {
            err.println("concerto live: " + e.getMessage());
            close(players);
            return BAD_INPUT;
        } catch (IOException | PlayerSyncException | java.io.UncheckedIOException e) {
            err.println("concerto live: " + e.getMessage());
            close(players);
            return ENVIRONMENT;
        }
        CountDownLatch done = new CountDownLatch(1);
        LocalPlayers localPlayers = players;
        Thread hook = new Thread(() -> {
            session.close();
            close(localPlayers);
            done.countDown();
        }, "concerto-live-exit");
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
            err.println("concerto live: the MIDI port is busy or gone: " + e.getMessage());
            session.close();
            close(players);
            return ENVIRONMENT;
        }
        EventsFile eventsFile = null;
        javax.sound.midi.Sequencer sequencer = null;
        try {
            if (events != null) {
                eventsFile = new EventsFile(events, session);
            }
            if (midiFile != null) {
                javax.sound.midi.Sequence sequence = MidiSystem.getSequence(midiFile.toFile());
                MidiInput fileInput = session.attach(MidiInput.receiverOnly(midiFile.getFileName().toString(), Clock.SYSTEM,
                        session.keyboardHandler()));
                sequencer = MidiSystem.getSequencer(false);
                sequencer.open();
                session.attach(sequencer::close);
                sequencer.getTransmitter().setReceiver(fileInput.receiver());
                sequencer.setSequence(sequence);
                sequencer.start();
                err.printf(Locale.ROOT, "playing %s (%.1f s) into the live input%n", midiFile, sequence.getMicrosecondLength() / 1e6);
            }
        } catch (IOException | javax.sound.midi.InvalidMidiDataException | MidiUnavailableException e) {
            err.println("concerto live: " + (e instanceof IOException ? "cannot write or read " : "")
                    + (midiFile != null && !(e instanceof IOException && eventsFile == null && events != null) ? midiFile + ": " : "")
                    + e.getMessage());
            session.close();
            close(players);
            close(eventsFile);
            return e instanceof javax.sound.midi.InvalidMidiDataException ? BAD_INPUT : ENVIRONMENT;
        }
        if (session.oscAddress() != null) {
            err.println("OSC in on udp " + session.oscAddress().getAddress().getHostAddress() + ":" + session.oscAddress().getPort()
                    + " (docs/osc.md)");
        }
        session.streams().forEach(s -> err.println("  " + s.entry().name() + " -> " + s.destination() + " ["
                + s.protocolInUse() + "]"));
        Runtime.getRuntime().addShutdownHook(hook);
        long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + Math.round(duration * 1e9);
        boolean untilFileEnds = duration == null && sequencer != null && session.oscAddress() == null && midiIn == null;
        long fileEndedAt = Long.MAX_VALUE;
        while (System.nanoTime() < end) {
            if (done.await(Math.min(1_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS)) {
                return OK;
            }
            status(out, session);
            if (eventsFile != null) {
                eventsFile.drain();
            }
            if (untilFileEnds && !sequencer.isRunning()) {
                fileEndedAt = Math.min(fileEndedAt, System.nanoTime());
                if (System.nanoTime() - fileEndedAt >= 1_000_000_000L) {
                    break; // the file ended a second ago: its last notes have sounded
                }
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            return OK; // the JVM is shutting down: the hook closes
        }
        session.close();
        close(players);
        if (eventsFile != null) {
            eventsFile.drain();
            close(eventsFile);
        }
        LiveConductor.Stats s = session.conductor().stats();
        out.printf(Locale.ROOT, "%nlive: %d keyboard notes (%d stolen, %d dropped, %d out of range), %d OSC notes, "
                        + "%d changes sent, %d late; allocation %s%n", s.keyboard().notes(), s.keyboard().stolen(),
                s.keyboard().dropped(), s.keyboard().outOfRange(), s.oscNotes(), s.changesSent(), s.lateChanges(),
                s.consistent() ? "consistent" : "INCONSISTENT");
        out.flush();
        return OK;
    }

    private static void status(PrintWriter out, LiveSession session) {
        StringBuilder b = new StringBuilder("sounding:");
        for (LiveConductor.PlayerState p : session.conductor().players()) {
            b.append(' ').append(p.name()).append('=')
                    .append(p.hz() == 0 ? "-" : (p.key() >= 0 ? NoteNames.nameOf(p.key()) + " " : "")
                            + String.format(Locale.ROOT, "%.1fHz", p.hz()));
        }
        LiveConductor.Stats s = session.conductor().stats();
        b.append(String.format(Locale.ROOT, "  notes %d stolen %d dropped %d", s.keyboard().notes(),
                s.keyboard().stolen(), s.keyboard().dropped()));
        if (session.oscCounts() != null) {
            b.append("  osc ").append(session.oscCounts().messages()).append(" msgs, ")
                    .append(session.oscCounts().refused()).append(" refused");
        }
        out.println(b);
        out.flush();
    }

    LiveOptions options() throws IOException {
        AllocationPolicy p = AllocationPolicy.byKey(policy).orElseThrow(() -> new IllegalArgumentException(
                "--policy " + policy + ": use lowest, round-robin, range or channel"));
        OverflowPolicy o = OverflowPolicy.byKey(overflow).orElseThrow(() -> new IllegalArgumentException(
                "--overflow " + overflow + ": use steal or drop"));
        Temperament t = Temperament.byKey(tuning).orElseThrow(() -> new IllegalArgumentException(
                "--tuning " + tuning + ": use one of " + Temperament.knownKeys()));
        int keyPc = NoteNames.pitchClassOf(tuningKey).orElseThrow(() -> new IllegalArgumentException(
                "--tuning-key " + tuningKey + ": write a note name such as C, F#, Bb"));
        if (!(a4 >= 200 && a4 <= 1000)) {
            throw new IllegalArgumentException("--a4 " + a4 + " is outside 200..1000 Hz");
        }
        KeyMapping mapping = KeyMapping.of(t, a4, keyPc, transpose + 12 * octave).withBendRange(bendRange);
        Map<String, int[]> r = new HashMap<>();
        for (String s : ranges) {
            String[] kv = s.split("=", 2);
            String[] lh = kv.length == 2 ? kv[1].split("\\.\\.", 2) : new String[0];
            if (lh.length != 2) {
                throw new IllegalArgumentException("--range " + s + ": write PLAYER=LOW..HIGH, e.g. bass=C1..B2");
            }
            int low = key(lh[0], "--range " + s);
            int high = key(lh[1], "--range " + s);
            if (low > high) {
                throw new IllegalArgumentException("--range " + s + ": the low key is above the high one");
            }
            r.put(kv[0], new int[] {low, high});
        }
        Map<String, Integer> c = new HashMap<>();
        for (String s : channels) {
            String[] kv = s.split("=", 2);
            try {
                int ch = Integer.parseInt(kv[1]);
                if (ch < 1 || ch > 16) {
                    throw new NumberFormatException();
                }
                c.put(kv[0], ch);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--channel " + s + ": write PLAYER=N with N in 1..16");
            }
        }
        Authenticator auth = keyFile == null ? null : new Authenticator(Files.readAllBytes(keyFile));
        if (syncTimeoutMs < 1) {
            throw new IllegalArgumentException("--sync-timeout-ms must be positive");
        }
        TimedOptions timed = TimedOptions.defaults().withAuthenticator(auth).withSyncTimeout(Duration.ofMillis(syncTimeoutMs));
        InetSocketAddress listen = null;
        if (osc || oscPort != null) {
            int port = oscPort == null ? OscServer.DEFAULT_PORT : oscPort;
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("--osc-port " + port + " is outside 0..65535");
            }
            listen = new InetSocketAddress(InetAddress.getByName(oscBind), port);
        }
        List<InetSocketAddress> targets = new ArrayList<>();
        for (String s : oscTo) {
            int colon = s.lastIndexOf(':');
            try {
                targets.add(new InetSocketAddress(InetAddress.getByName(s.substring(0, colon).replaceAll("[\\[\\]]", "")),
                        Integer.parseInt(s.substring(colon + 1))));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--osc-to " + s + ": write HOST:PORT, e.g. 127.0.0.1:57120");
            }
        }
        OscLoadPolicy load;
        try {
            load = oscLoadDir == null ? OscLoadPolicy.disabled() : OscLoadPolicy.fromFolder(oscLoadDir);
        } catch (IOException e) {
            throw new IllegalArgumentException("--osc-load-dir " + oscLoadDir + ": no such folder");
        }
        return LiveOptions.defaults().withPolicy(p, o).withMapping(mapping).withRoutes(r, c).withLead(leadMs).withTimed(timed)
                .withOsc(listen, targets, positionRate, load);
    }

    private static int key(String name, String option) {
        String n = name.trim();
        if (n.matches("\\d+")) {
            int k = Integer.parseInt(n);
            if (k <= 127) {
                return k;
            }
        }
        return NoteNames.midiOf(n).orElseThrow(() -> new IllegalArgumentException(option + ": '" + name
                + "' is not a note name (C1, F#3, Bb2) or a MIDI key 0..127"));
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

    private static void printPorts(PrintWriter out) {
        List<MidiDevices.Port> in = MidiDevices.inputs();
        List<MidiDevices.Port> outs = MidiDevices.outputs();
        out.println("MIDI inputs (--midi-in, --clock-in):");
        if (in.isEmpty()) {
            out.println("  none (plug in a keyboard, or make a virtual port: modprobe snd-virmidi)");
        }
        in.forEach(p -> out.println("  " + p));
        out.println("MIDI outputs (--clock-out):");
        if (outs.isEmpty()) {
            out.println("  none");
        }
        outs.forEach(p -> out.println("  " + p));
        out.flush();
    }

    /**
     * The {@code --events} file: the live loop's listener only enqueues; the command's main thread
     * writes (once a second and at the end), so the loop never waits for the disk.
     */
    private static final class EventsFile implements AutoCloseable {
        private record Change(int player, double hz, long dueNanos, long inputNanos) {
        }

        private final java.io.BufferedWriter writer;
        private final java.util.concurrent.ConcurrentLinkedQueue<Change> queue = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final List<String> names;
        private final long offsetMicros;
        private final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

        EventsFile(Path file, LiveSession session) throws IOException {
            writer = Files.newBufferedWriter(file);
            names = session.conductor().players().stream().map(LiveConductor.PlayerState::name).toList();
            offsetMicros = Clock.SYSTEM.epochMicros() - Math.floorDiv(Clock.SYSTEM.nanoTime(), 1000);
            session.conductor().addListener((p, hz, due, in) -> queue.add(new Change(p, hz, due, in)));
        }

        void drain() throws IOException {
            Change c;
            while ((c = queue.poll()) != null) {
                com.fasterxml.jackson.databind.node.ObjectNode n = json.createObjectNode();
                n.put("in_us", offsetMicros + Math.floorDiv(c.inputNanos(), 1000));
                n.put("due_us", offsetMicros + Math.floorDiv(c.dueNanos(), 1000));
                n.put("player", names.get(c.player()));
                n.put("index", c.player());
                n.put("hz", c.hz());
                writer.write(json.writeValueAsString(n));
                writer.newLine();
            }
            writer.flush();
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }

    private static void close(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing at exit
            }
        }
    }
}
