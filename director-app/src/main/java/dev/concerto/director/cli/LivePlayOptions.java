package dev.concerto.director.cli;

import dev.concerto.director.engine.TimedOptions;
import dev.concerto.director.live.AllocationPolicy;
import dev.concerto.director.live.KeyMapping;
import dev.concerto.director.live.LiveOptions;
import dev.concerto.director.live.OscLoadPolicy;
import dev.concerto.director.live.OscServer;
import dev.concerto.director.live.OverflowPolicy;
import dev.concerto.director.score.NoteNames;
import dev.concerto.director.score.Temperament;
import dev.concerto.protocol.Authenticator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of {@code concerto live} that say how it plays (voice allocation, pitch, lead, OSC,
 * the timed protocol's key and sync timeout), and their translation into {@link LiveOptions}. A
 * picocli mixin: {@link LiveCommand} keeps the options that say what plays and to whom.
 */
final class LivePlayOptions {

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

    @Option(names = "--key-file", paramLabel = "FILE", description = "timed players: the shared HMAC key")
    Path keyFile;

    @Option(names = "--sync-timeout-ms", paramLabel = "MS", defaultValue = "1500",
            description = "how long to wait for timed players' clock sync (default ${DEFAULT-VALUE} ms)")
    int syncTimeoutMs;

    /** The tuning names for the help text. */
    static final class TuningNames extends ArrayList<String> {
        TuningNames() {
            for (Temperament t : Temperament.values()) {
                add(t.key());
            }
        }
    }

    /** Whether OSC in was asked for. */
    boolean oscIn() {
        return osc || oscPort != null;
    }

    /**
     * The options as a {@link LiveOptions}.
     *
     * @throws IllegalArgumentException naming the option and what to write instead
     * @throws IOException              when the key file cannot be read or the OSC address does not resolve
     */
    LiveOptions toLiveOptions() throws IOException {
        AllocationPolicy p = AllocationPolicy.byKey(policy).orElseThrow(() -> new IllegalArgumentException(
                "--policy " + policy + ": use lowest, round-robin, range or channel"));
        OverflowPolicy o = OverflowPolicy.byKey(overflow).orElseThrow(() -> new IllegalArgumentException(
                "--overflow " + overflow + ": use steal or drop"));
        if (syncTimeoutMs < 1) {
            throw new IllegalArgumentException("--sync-timeout-ms must be positive");
        }
        Authenticator auth = keyFile == null ? null : new Authenticator(Files.readAllBytes(keyFile));
        TimedOptions timed = TimedOptions.defaults().withAuthenticator(auth).withSyncTimeout(Duration.ofMillis(syncTimeoutMs));
        OscLoadPolicy load;
        try {
            load = oscLoadDir == null ? OscLoadPolicy.disabled() : OscLoadPolicy.fromFolder(oscLoadDir);
        } catch (IOException e) {
            throw new IllegalArgumentException("--osc-load-dir " + oscLoadDir + ": no such folder");
        }
        return LiveOptions.defaults().withPolicy(p, o).withMapping(mapping()).withRoutes(ranges(), channels())
                .withLead(leadMs).withTimed(timed).withOsc(oscListen(), oscTargets(), positionRate, load);
    }

    private KeyMapping mapping() {
        Temperament t = Temperament.byKey(tuning).orElseThrow(() -> new IllegalArgumentException(
                "--tuning " + tuning + ": use one of " + Temperament.knownKeys()));
        int keyPc = NoteNames.pitchClassOf(tuningKey).orElseThrow(() -> new IllegalArgumentException(
                "--tuning-key " + tuningKey + ": write a note name such as C, F#, Bb"));
        if (!(a4 >= 200 && a4 <= 1000)) {
            throw new IllegalArgumentException("--a4 " + a4 + " is outside 200..1000 Hz");
        }
        return KeyMapping.of(t, a4, keyPc, transpose + 12 * octave).withBendRange(bendRange);
    }

    private Map<String, int[]> ranges() {
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
        return r;
    }

    private Map<String, Integer> channels() {
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
        return c;
    }

    private InetSocketAddress oscListen() throws IOException {
        if (!oscIn()) {
            return null;
        }
        int port = oscPort == null ? OscServer.DEFAULT_PORT : oscPort;
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--osc-port " + port + " is outside 0..65535");
        }
        return new InetSocketAddress(InetAddress.getByName(oscBind), port);
    }

    private List<InetSocketAddress> oscTargets() {
        List<InetSocketAddress> targets = new ArrayList<>();
        for (String s : oscTo) {
            int colon = s.lastIndexOf(':');
            try {
                targets.add(new InetSocketAddress(InetAddress.getByName(s.substring(0, colon).replaceAll("[\\[\\]]", "")),
                        Integer.parseInt(s.substring(colon + 1))));
            } catch (RuntimeException | IOException e) {
                throw new IllegalArgumentException("--osc-to " + s + ": write HOST:PORT, e.g. 127.0.0.1:57120");
            }
        }
        return targets;
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
}
