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

    /** One run's figures. */
    record Run(String label, String protocol, int expected, int[] heard, Stats spread, Stats error, double offsetMs,
               double[] framesPerSecond, List<Double> chordTimes, List<Double> chordSpreads) {

        int minHeard() {
            return Arrays.stream(heard).min().orElse(0);
        }
    }

    @Override
    public List<Table> run(BenchContext ctx) throws Exception {
        int chords = ctx.quick() ? 20 : 40;
        int timedRuns = ctx.quick() ? 3 : 5;
        int plainRuns = ctx.quick() ? 1 : 3;
        PulseAudioSink.ensureInstalled(ctx.log(), ctx.file("listen/apt-get.log"));
        Path score = writeSyncTest(ctx.file("listen/sync-test.json"), chords);
        List<Run> runs = new ArrayList<>();
        try (PulseAudioSink pulse = PulseAudioSink.start(RATE, ctx.file("listen/pulseaudio.log"))) {
            ctx.log().printf("   private PulseAudio daemon pid %d, null sink 'vsink' at %d Hz%n", pulse.pid(), RATE);
            for (int i = 1; i <= timedRuns; i++) {
                runs.add(measure(ctx, pulse, score, "timed", i));
            }
            for (int i = 1; i <= plainRuns; i++) {
                runs.add(measure(ctx, pulse, score, "legacy", i));
            }
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
        table.note(Charts.scatter(ctx.file("listen.png"), "Spread between players per chord, as heard", "time in piece (s)",
                "spread (ms)", series));
        return List.of(table);
    }

    /** All four voices together from silence: 0.25 s on, 0.25 s off, {@code chords} times (240 BPM, 2 per measure). */
    static Path writeSyncTest(Path file, int chords) throws IOException {
        StringBuilder measures = new StringBuilder();
        for (int m = 0; m < chords / 2; m++) {
            measures.append(m == 0 ? "" : ",\n").append("        {");
            for (int v = 0; v < VOICES.size(); v++) {
                measures.append(v == 0 ? "" : ", ").append('"').append(VOICES.get(v)).append("\": \"")
                        .append(v).append(":1 r:1 ").append(v).append(":1 r:1\"");
            }
            measures.append('}');
        }
        StringBuilder voices = new StringBuilder();
        for (String v : VOICES) {
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
        Path dir = ctx.file("listen/" + label.replace(' ', '-') + "/x").getParent();
        ctx.log().printf("   %s ...%n", label);
        int base = LoopbackPorts.freeRange(VOICES.size());
        List<ManagedProcess> players = new ArrayList<>();
        Path recording = dir.resolve("recording.wav");
        Path directorEvents = dir.resolve("director.events.jsonl");
        long recordingStartMicros;
        try {
            for (int i = 0; i < VOICES.size(); i++) {
                players.add(ManagedProcess.startJava("player " + VOICES.get(i), ctx.jar("player-node"), null,
                        List.of("-Xmx128m"),
                        List.of("--bind", "127.0.0.1:" + (base + i), "--name", VOICES.get(i), "--synth", "javasound",
                                "--waveform", "sine", "--volume", "0.2", "--watchdog", "0",
                                "--events", dir.resolve(VOICES.get(i) + ".events.jsonl").toString()),
                        dir.resolve(VOICES.get(i) + ".log"), pulse.env()));
            }
            for (ManagedProcess p : players) {
                p.awaitLine(PlayerProcesses.READY, Duration.ofSeconds(30));
            }
            Path roster = dir.resolve("roster.json");
            StringBuilder sb = new StringBuilder("{ \"players\": [\n");
            for (int i = 0; i < VOICES.size(); i++) {
                sb.append(String.format(Locale.ROOT,
                        "  {\"name\": \"%s\", \"host\": \"127.0.0.1\", \"port\": %d, \"protocol\": \"%s\", \"voice\": \"%s\"}%s%n",
                        VOICES.get(i), base + i, protocol, VOICES.get(i), i + 1 < VOICES.size() ? "," : ""));
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
            players.forEach(ManagedProcess::close);
        }
        return analyse(label, protocol, WavFile.read(recording), recordingStartMicros, directorEvents, dir);
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
                       Path dir) throws IOException {
        Map<String, long[]> starts = noteStarts(directorEvents);
        double[][] onsetMicros = new double[VOICES.size()][];
        for (int p = 0; p < VOICES.size(); p++) {
            double[] seconds = BandEnvelope.onsets(BandEnvelope.of(wav.samples(), wav.sampleRate(), BANDS[p], 0.008),
                    wav.sampleRate(), 0.5, 0.1, 0.002);
            onsetMicros[p] = Arrays.stream(seconds).map(s -> recordingStartMicros + s * 1e6).toArray();
        }
        // The recording offset: the median over all onsets of (onset − nearest deadline of that player).
        List<Double> raw = new ArrayList<>();
        for (int p = 0; p < VOICES.size(); p++) {
            long[] d = starts.getOrDefault(VOICES.get(p), new long[0]);
            for (double o : onsetMicros[p]) {
                nearest(d, o).ifPresent(x -> raw.add(o - x));
            }
        }
        double offset = raw.isEmpty() ? 0 : raw.stream().sorted().toList().get(raw.size() / 2);
        int expected = 0;
        int[] heard = new int[VOICES.size()];
        Stats error = new Stats();
        Map<Long, List<Double>> chordOnsets = new TreeMap<>();
        for (int p = 0; p < VOICES.size(); p++) {
            long[] d = starts.getOrDefault(VOICES.get(p), new long[0]);
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
        double[] fps = new double[VOICES.size()];
        for (int p = 0; p < VOICES.size(); p++) {
            fps[p] = framesPerSecond(dir.resolve(VOICES.get(p) + ".events.jsonl"));
        }
        return new Run(label, protocol, expected, heard, spread, error, offset / 1000, fps, times, spreads);
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
