package dev.concerto.bench.suites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.bench.BenchContext;
import dev.concerto.bench.Suite;
import dev.concerto.bench.audio.WavFile;
import dev.concerto.bench.report.Charts;
import dev.concerto.bench.report.Stats;
import dev.concerto.bench.report.Table;
import dev.concerto.bench.run.ManagedProcess;
import dev.concerto.bench.run.PlayerProcesses;
import dev.concerto.bench.run.PulseAudioSink;
import dev.concerto.bench.run.LoopbackPorts;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.signal.BandEnvelope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a listener hears: four player processes on real javax.sound lines ({@code --synth javasound
 * --waveform sine}, each at its own frequency) mixed by one private PulseAudio null sink, the mix
 * recorded from the sink's monitor with {@code parecord}, and every figure taken from that one
 * recording: each player's onsets in its own band ({@link BandEnvelope}), the spread between the
 * players of each chord, each onset against the director's deadline, notes never heard.
 *
 * <p>The score is a sync test: all four voices start together from silence, 0.25 s on and 0.25 s
 * off. The recording's clock: sample 0 is taken as the instant the bench started {@code parecord};
 * the constant that this misses (parecord's start-up, the monitor's capture latency and half the
 * players' 2 ms fade-in, where the 50 % crossing lies) is the median of all onsets' errors, stated
 * as "recording offset", and errors are given against it. Spreads need no such mapping.
 */
public final class ListenSuite implements Suite {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RATE = 48_000;
    /** One band per player, far enough apart for the 8 ms envelope filter (±125 Hz). */
    static final double[] BANDS = {500, 900, 1300, 1700};
    private static final List<String> VOICES = List.of("p500", "p900", "p1300", "p1700");
    /** A deadline and an onset further apart than this (after the recording offset) do not match. */
    private static final long MATCH_WINDOW_MICROS = 100_000;

    @Override
    public String name() {
        return "listen";
    }

    @Override
    public String description() {
        return "four players on real javax.sound lines mixed in one PulseAudio sink: onsets, spread and notes heard, from one recording";
    }

    /**
     * One run's figures.
     *
     * @param expected    notes each player was sent (the most of any player)
     * @param heard       per player, deadlines with an onset within ±100 ms (after the recording offset)
     * @param onsetsFound per player, onsets found in its band anywhere in the recording
     */
    public record Run(String label, String protocol, int expected, int[] heard, Stats spread, Stats error, double offsetMs,
               double[] framesPerSecond, List<Double> chordTimes, List<Double> chordSpreads, long firstDeadlineMicros,
               int[] onsetsFound) {

        public int minHeard() {
            return Arrays.stream(heard).min().orElse(0);
        }
    }

    @Override
    public List<Table> run(BenchContext ctx) throws Exception {
        int chords = ctx.quick() ? 20 : 40;
        int timedRuns = ctx.quick() ? 3 : 5;
        int plainRuns = ctx.quick() ? 1 : 3;
        PulseAudioSink.ensureInstalled(ctx.log(), ctx.file("listen/apt-get.log"));
        Path score = writeSyncTest(ctx.file("listen/sync-test.json"), chords, VOICES.size());
        List<Run> runs = new ArrayList<>();
        Run stalled;
        CalibrationResult calibration;
        try (PulseAudioSink pulse = PulseAudioSink.start(RATE, ctx.file("listen/pulseaudio.log"))) {
            ctx.log().printf("   private PulseAudio daemon pid %d, null sink 'vsink' at %d Hz%n", pulse.pid(), RATE);
            for (int i = 1; i <= timedRuns; i++) {
                runs.add(measure(ctx, pulse, score, "timed", i));
            }
            for (int i = 1; i <= plainRuns; i++) {
                runs.add(measure(ctx, pulse, score, "legacy", i));
            }
            ctx.log().printf("   timed, %s stalled 200 ms ...%n", VOICES.get(0));
            stalled = record(ctx, pulse, score, "timed", "timed stalled", VOICES.size(),
                    List.of("--test-stall-ms", "200", "--test-stall-after", Double.toString(STALL_AFTER_SECONDS)));
            calibration = calibrate(ctx, pulse);
        }
        Table table = new Table("What a listener hears: four javax.sound players mixed in one PulseAudio null sink ("
                + chords + " chords from silence, 0.25 s on / 0.25 s off; ms)",
                "run", "protocol", "onsets heard (worst player)", "spread between players p50 / p99 / max",
                "|error| vs deadline p50 / p99 / max", "recording offset", "line frames/s (min…max)");
        for (Run r : runs) {
            double lo = Arrays.stream(r.framesPerSecond()).filter(d -> !Double.isNaN(d)).min().orElse(Double.NaN);
            double hi = Arrays.stream(r.framesPerSecond()).filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN);
            table.row(r.label(), "legacy".equals(r.protocol()) ? "plain integer" : "timed",
                    r.minHeard() + " of " + r.expected(), r.spread().summaryMs(), r.error().summaryMs(),
                    String.format(Locale.ROOT, "%.1f", r.offsetMs()),
                    String.format(Locale.ROOT, "%.0f…%.0f", lo, hi));
        }
        table.note("Measured from one recording of the sink's monitor: each player sounds a sine in its own band ("
                + "500, 900, 1300, 1700 Hz); an onset is the 50 % crossing of the band's envelope (analytic-signal"
                + " demodulation, 8 ms Hann low-pass; instrument error about ±0.15 ms, see BandEnvelopeTest).");
        table.note("Spread = latest minus earliest player of a chord. Error = onset minus the director's deadline"
                + " minus the recording offset (the median error of the run: parecord's start, the monitor's capture"
                + " latency and the half of the 2 ms fade-in before the 50 % point). Heard = deadlines with an onset"
                + " within ±100 ms. Line frames/s: the slope of each player's applied frames against its clock ("
                + RATE + " = real time).");
        Map<String, List<Double>> spreads = new LinkedHashMap<>();
        List<Charts.Series> series = new ArrayList<>();
        for (Run r : runs) {
            spreads.put(r.label(), r.chordSpreads());
            series.add(new Charts.Series(r.label(), r.chordTimes(), r.chordSpreads()));
        }
        series.add(new Charts.Series(stalled.label(), stalled.chordTimes(), stalled.chordSpreads()));
        table.note(Charts.scatter(ctx.file("listen.png"), "Spread between players per chord, as heard", "time in piece (s)",
                "spread (ms)", series));
        return List.of(table, stallTable(ctx, stalled), calibration.table());
    }

    /** When the first player's audio thread blocks. */
    static final double STALL_AFTER_SECONDS = 3;

    /** The stalled run: how far the chords after the stall were smeared, and when they were together again. */
    private static Table stallTable(BenchContext ctx, Run r) throws IOException {
        Path events = ctx.file("listen/timed-stalled/" + VOICES.get(0) + ".events.jsonl");
        List<Double> corrections = new ArrayList<>();
        long stallMicros = Long.MAX_VALUE;
        for (String line : Files.readAllLines(events)) {
            JsonNode n = JSON.readTree(line);
            if ("line-correction".equals(n.path("event").asText())) {
                corrections.add(n.path("shift_ms").asDouble());
                stallMicros = Math.min(stallMicros, n.path("t_us").asLong());
            }
        }
        // Back in step: the first chord after which every chord's spread is within 2 ms.
        double stallAt = stallMicros == Long.MAX_VALUE ? Double.NaN : (stallMicros - r.firstDeadlineMicros()) / 1e6;
        double backAt = Double.NaN;
        for (int i = r.chordTimes().size() - 1; i >= 0; i--) {
            if (r.chordSpreads().get(i) > 2) {
                break;
            }
            backAt = r.chordTimes().get(i);
        }
        Table t = new Table("A stalled line: the " + VOICES.get(0) + " player's audio thread blocked 200 ms about "
                + STALL_AFTER_SECONDS + " s after it was ready (--test-stall-ms; ms)",
                "onsets heard (worst player)", "spread p50 / p99 / max", "corrections logged (ms shifted)",
                "correction at (s into the piece)", "together again from (s)");
        t.row(r.minHeard() + " of " + r.expected(), r.spread().summaryMs(),
                corrections.isEmpty() ? "none" : corrections.size() + " ("
                        + corrections.stream().map(c -> String.format(Locale.ROOT, "%+.1f", c)).reduce((a, b) -> a + ", " + b).orElse("") + ")",
                Double.isNaN(stallAt) ? "–" : String.format(Locale.ROOT, "%.2f", stallAt),
                Double.isNaN(backAt) ? "never" : String.format(Locale.ROOT, "%.2f", backAt));
        t.note("The player watches the frames its line consumed against its clock; when the line is more than 3 ms"
                + " behind (or ahead) for 4 blocks in a row it skips (or inserts) that much audio and logs a warning"
                + " with the size; 'together again' = from this chord on, every chord's spread as heard is ≤ 2 ms.");
        return t;
    }

    /** What calibration found against what was injected. */
    record CalibrationResult(int players, double injectedMs, double foundMs, boolean allHeard, double seconds, String output) {
        Table table() {
            Table t = new Table("Calibration by microphone (the sink's monitor as the microphone; " + players
                    + " javax.sound players, one with --test-output-delay-ms " + injectedMs + ")",
                    "players", "injected delay (ms)", "found (ms)", "error (ms)", "all heard", "took (s)");
            t.row(players, String.format(Locale.ROOT, "%.1f", injectedMs), String.format(Locale.ROOT, "%.2f", foundMs),
                    String.format(Locale.ROOT, "%+.2f", foundMs - injectedMs), allHeard ? "yes" : "NO",
                    String.format(Locale.ROOT, "%.1f", seconds));
            t.note("Found = the delayed player's arrival minus the median of the others' (`./concerto calibrate --roster R"
                    + " --dry-run`, which sounds a 31-chip pseudo-random pattern on each player in turn and correlates).");
            return t;
        }
    }

    private static CalibrationResult calibrate(BenchContext ctx, PulseAudioSink pulse) throws Exception {
        int players = 8;
        int delayed = 5;
        double injected = 7;
        ctx.log().printf("   calibration, %d players, one delayed %.0f ms ...%n", players, injected);
        Path dir = ctx.file("listen/calibrate/x").getParent();
        int base = LoopbackPorts.freeRange(players);
        List<ManagedProcess> processes = new ArrayList<>();
        try {
            StringBuilder roster = new StringBuilder("{ \"players\": [\n");
            for (int i = 0; i < players; i++) {
                List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1:" + (base + i), "--name", "c" + (i + 1),
                        "--synth", "javasound", "--volume", "0.3", "--watchdog", "0"));
                if (i == delayed) {
                    args.addAll(List.of("--test-output-delay-ms", Double.toString(injected)));
                }
                processes.add(ManagedProcess.startJava("player c" + (i + 1), ctx.jar("player-node"), null,
                        List.of("-Xmx96m"), args, dir.resolve("c" + (i + 1) + ".log"), pulse.env()));
                roster.append(String.format(Locale.ROOT,
                        "  {\"name\": \"c%d\", \"host\": \"127.0.0.1\", \"port\": %d, \"protocol\": \"timed\", \"voice\": \"v%d\"}%s%n",
                        i + 1, base + i, i + 1, i + 1 < players ? "," : ""));
            }
            for (ManagedProcess p : processes) {
                p.awaitLine(PlayerProcesses.READY, Duration.ofSeconds(60));
            }
            Path rosterFile = dir.resolve("roster.json");
            Files.writeString(rosterFile, roster.append("] }\n"));
            long start = System.nanoTime();
            String output;
            try (ManagedProcess director = ManagedProcess.startJava("calibrate", ctx.jar("director-app"), null, List.of(),
                    List.of("calibrate", "--roster", rosterFile.toString(), "--dry-run"), dir.resolve("calibrate.log"),
                    pulse.env())) {
                director.awaitExit(Duration.ofMinutes(2));
                output = director.logText();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s+c(\\d+)\\s+heard\\s+([-+][0-9.]+) ms").matcher(output);
            double[] arrival = new double[players];
            Arrays.fill(arrival, Double.NaN);
            while (m.find()) {
                arrival[Integer.parseInt(m.group(1)) - 1] = Double.parseDouble(m.group(2));
            }
            List<Double> others = new ArrayList<>();
            for (int i = 0; i < players; i++) {
                if (i != delayed && !Double.isNaN(arrival[i])) {
                    others.add(arrival[i]);
                }
            }
            others.sort(null);
            double found = others.isEmpty() ? Double.NaN : arrival[delayed] - others.get(others.size() / 2);
            boolean allHeard = Arrays.stream(arrival).noneMatch(Double::isNaN);
            return new CalibrationResult(players, injected, found, allHeard, seconds, output);
        } finally {
            processes.forEach(ManagedProcess::close);
        }
    }

    /** All four voices together from silence: 0.25 s on, 0.25 s off, {@code chords} times (240 BPM, 2 per measure). */
    public static Path writeSyncTest(Path file, int chords, int players) throws IOException {
        List<String> voiceNames = VOICES.subList(0, players);
        StringBuilder measures = new StringBuilder();
        for (int m = 0; m < chords / 2; m++) {
            measures.append(m == 0 ? "" : ",\n").append("        {");
            for (int v = 0; v < voiceNames.size(); v++) {
                measures.append(v == 0 ? "" : ", ").append('"').append(voiceNames.get(v)).append("\": \"")
                        .append(v).append(":1 r:1 ").append(v).append(":1 r:1\"");
            }
            measures.append('}');
        }
        StringBuilder voices = new StringBuilder();
        for (String v : voiceNames) {
            voices.append(voices.length() == 0 ? "" : ", ").append("{\"name\": \"").append(v).append("\"}");
        }
        String json = "{\n  \"title\": \"Sync test: four voices together from silence\",\n"
                + "  \"tuning\": {\"type\": \"list\", \"hz\": [500, 900, 1300, 1700]},\n"
                + "  \"tempo\": {\"bpm\": 240, \"beatUnit\": 4},\n  \"meter\": \"4/4\",\n"
                + "  \"voices\": [" + voices + "],\n"
                + "  \"parts\": [{\"name\": \"sync\", \"measures\": [\n" + measures + "\n  ]}]\n}\n";
        Files.writeString(file, json);
        return file;
    }

    private Run measure(BenchContext ctx, PulseAudioSink pulse, Path score, String protocol, int index) throws Exception {
        String label = ("legacy".equals(protocol) ? "plain " : "timed ") + index;
        ctx.log().printf("   %s ...%n", label);
        return record(ctx, pulse, score, protocol, label, VOICES.size(), List.of());
    }

    /**
     * Plays {@code score} on {@code players} javax.sound players (the first {@code players} bands)
     * into the sink, records the monitor and analyses the recording. {@code firstPlayerArgs} go to
     * the first player only (a simulated stall, say). Public for the integration test.
     */
    public static Run record(BenchContext ctx, PulseAudioSink pulse, Path score, String protocol, String label,
                             int players, List<String> firstPlayerArgs) throws Exception {
        Path dir = ctx.file("listen/" + label.replace(' ', '-') + "/x").getParent();
        List<String> voices = VOICES.subList(0, players);
        int base = LoopbackPorts.freeRange(voices.size());
        List<ManagedProcess> processes = new ArrayList<>();
        Path recording = dir.resolve("recording.wav");
        Path directorEvents = dir.resolve("director.events.jsonl");
        long recordingStartMicros;
        try {
            for (int i = 0; i < voices.size(); i++) {
                List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1:" + (base + i), "--name", voices.get(i),
                        "--synth", "javasound", "--waveform", "sine", "--volume", "0.2", "--watchdog", "0",
                        "--events", dir.resolve(voices.get(i) + ".events.jsonl").toString()));
                if (i == 0) {
                    args.addAll(firstPlayerArgs);
                }
                processes.add(ManagedProcess.startJava("player " + voices.get(i), ctx.jar("player-node"), null,
                        List.of("-Xmx128m"), args, dir.resolve(voices.get(i) + ".log"), pulse.env()));
            }
            for (ManagedProcess p : processes) {
                p.awaitLine(PlayerProcesses.READY, Duration.ofSeconds(30));
            }
            Path roster = dir.resolve("roster.json");
            StringBuilder sb = new StringBuilder("{ \"players\": [\n");
            for (int i = 0; i < voices.size(); i++) {
                sb.append(String.format(Locale.ROOT,
                        "  {\"name\": \"%s\", \"host\": \"127.0.0.1\", \"port\": %d, \"protocol\": \"%s\", \"voice\": \"%s\"}%s%n",
                        voices.get(i), base + i, protocol, voices.get(i), i + 1 < voices.size() ? "," : ""));
            }
            Files.writeString(roster, sb.append("] }\n"));
            recordingStartMicros = Clock.SYSTEM.epochMicros();
            try (ManagedProcess recorder = ManagedProcess.start("parecord",
                    List.of("parecord", "-d", "vsink.monitor", "--file-format=wav", "--rate=" + RATE, "--channels=1",
                            "--format=s16le", recording.toString()),
                    dir.resolve("parecord.log"), pulse.env())) {
                Thread.sleep(500);
                try (ManagedProcess director = ManagedProcess.startJava("director", ctx.jar("director-app"), null,
                        List.of(), List.of("play", score.toString(), "--roster", roster.toString(),
                                "--events", directorEvents.toString()), dir.resolve("director.log"))) {
                    int rc = director.awaitExit(Duration.ofMinutes(3));
                    if (rc != 0) {
                        throw new IOException("director exited with " + rc + "; see " + director.log());
                    }
                }
                Thread.sleep(500);
            }
        } finally {
            processes.forEach(ManagedProcess::close);
        }
        return analyse(label, protocol, WavFile.read(recording), recordingStartMicros, directorEvents, dir, voices.size());
    }

    /** Note starts per player (deadline µs, epoch), from the director's events: a non-zero tone after silence. */
    static Map<String, long[]> noteStarts(Path directorEvents) throws IOException {
        Map<String, TreeMap<Long, Long>> byPlayer = new LinkedHashMap<>();
        for (String line : Files.readAllLines(directorEvents)) {
            JsonNode n = JSON.readTree(line);
            byPlayer.computeIfAbsent(n.path("player").asText(), k -> new TreeMap<>())
                    .put(n.path("deadline_us").asLong(), Math.round(n.path("hz").asDouble()));
        }
        Map<String, long[]> starts = new LinkedHashMap<>();
        byPlayer.forEach((player, changes) -> {
            List<Long> s = new ArrayList<>();
            long previous = 0;
            for (Map.Entry<Long, Long> c : changes.entrySet()) {
                if (c.getValue() > 0 && previous == 0) {
                    s.add(c.getKey());
                }
                previous = c.getValue();
            }
            starts.put(player, s.stream().mapToLong(Long::longValue).toArray());
        });
        return starts;
    }

    static Run analyse(String label, String protocol, WavFile wav, long recordingStartMicros, Path directorEvents,
                       Path dir, int players) throws IOException {
        List<String> voiceNames = VOICES.subList(0, players);
        Map<String, long[]> starts = noteStarts(directorEvents);
        double[][] onsetMicros = new double[voiceNames.size()][];
        for (int p = 0; p < voiceNames.size(); p++) {
            double[] seconds = BandEnvelope.onsets(BandEnvelope.of(wav.samples(), wav.sampleRate(), BANDS[p], 0.008),
                    wav.sampleRate(), 0.5, 0.1, 0.002);
            onsetMicros[p] = Arrays.stream(seconds).map(s -> recordingStartMicros + s * 1e6).toArray();
        }
        // The recording offset: the median over all onsets of (onset − nearest deadline of that player).
        List<Double> raw = new ArrayList<>();
        for (int p = 0; p < voiceNames.size(); p++) {
            long[] d = starts.getOrDefault(voiceNames.get(p), new long[0]);
            for (double o : onsetMicros[p]) {
                nearest(d, o).ifPresent(x -> raw.add(o - x));
            }
        }
        double offset = raw.isEmpty() ? 0 : raw.stream().sorted().toList().get(raw.size() / 2);
        int expected = 0;
        int[] heard = new int[voiceNames.size()];
        Stats error = new Stats();
        Map<Long, List<Double>> chordOnsets = new TreeMap<>();
        for (int p = 0; p < voiceNames.size(); p++) {
            long[] d = starts.getOrDefault(voiceNames.get(p), new long[0]);
            expected = Math.max(expected, d.length);
            for (long deadline : d) {
                double want = deadline + offset;
                double best = Double.NaN;
                for (double o : onsetMicros[p]) {
                    if (Math.abs(o - want) <= MATCH_WINDOW_MICROS && (Double.isNaN(best) || Math.abs(o - want) < Math.abs(best - want))) {
                        best = o;
                    }
                }
                if (!Double.isNaN(best)) {
                    heard[p]++;
                    error.record(Math.abs(best - want));
                    chordOnsets.computeIfAbsent(deadline, k -> new ArrayList<>()).add(best);
                }
            }
        }
        Stats spread = new Stats();
        List<Double> times = new ArrayList<>();
        List<Double> spreads = new ArrayList<>();
        long first = chordOnsets.isEmpty() ? 0 : chordOnsets.keySet().iterator().next();
        chordOnsets.forEach((deadline, os) -> {
            if (os.size() >= 2) {
                double s = os.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
                        - os.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                spread.record(s);
                times.add((deadline - first) / 1e6);
                spreads.add(s / 1000);
            }
        });
        double[] fps = new double[voiceNames.size()];
        for (int p = 0; p < voiceNames.size(); p++) {
            fps[p] = framesPerSecond(dir.resolve(voiceNames.get(p) + ".events.jsonl"));
        }
        int[] found = Arrays.stream(onsetMicros).mapToInt(o -> o.length).toArray();
        return new Run(label, protocol, expected, heard, spread, error, offset / 1000, fps, times, spreads, first, found);
    }

    private static java.util.OptionalDouble nearest(long[] sorted, double x) {
        if (sorted.length == 0) {
            return java.util.OptionalDouble.empty();
        }
        int i = Arrays.binarySearch(sorted, (long) x);
        i = i < 0 ? -i - 1 : i;
        double best = Double.NaN;
        for (int j = Math.max(0, i - 1); j <= Math.min(sorted.length - 1, i); j++) {
            if (Double.isNaN(best) || Math.abs(sorted[j] - x) < Math.abs(best - x)) {
                best = sorted[j];
            }
        }
        return java.util.OptionalDouble.of(best);
    }

    /** Least-squares slope of the applied frame against the player's clock (t_us), frames per second. */
    static double framesPerSecond(Path events) throws IOException {
        if (!Files.exists(events)) {
            return Double.NaN;
        }
        double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        long x0 = Long.MIN_VALUE;
        for (String line : Files.readAllLines(events)) {
            JsonNode e = JSON.readTree(line);
            if (!"tone".equals(e.path("event").asText())) {
                continue;
            }
            long t = e.path("t_us").asLong();
            if (x0 == Long.MIN_VALUE) {
                x0 = t;
            }
            double x = (t - x0) / 1e6;
            double y = e.path("frame").asDouble();
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        return n < 2 ? Double.NaN : (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }
}
