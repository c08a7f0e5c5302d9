package dev.concerto.bench.suites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.bench.BenchContext;
import dev.concerto.bench.Suite;
import dev.concerto.bench.audio.OnsetDetector;
import dev.concerto.bench.audio.WavFile;
import dev.concerto.bench.naive.NaiveDirector;
import dev.concerto.bench.report.Stats;
import dev.concerto.bench.report.Table;
import dev.concerto.bench.run.ManagedProcess;
import dev.concerto.bench.run.PlayerProcesses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Timing measured from the audio itself: a director and four players in separate JVMs, each player
 * recording a real-time-paced WAV; every tone change is found in the WAVs to the frame and compared
 * with the time the score gives it. Configurations: (a) a naive director written like the ancestor
 * (send, then sleep a note's length), (b) the real director's absolute-deadline scheduler with the
 * plain-integer protocol.
 */
public final class OnsetSuite implements Suite {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double SCORE_BPM = 66;

    @Override
    public String name() {
        return "onset";
    }

    @Override
    public String description() {
        return "onset error, spread and drift measured in the players' WAVs: naive director vs deadline scheduler";
    }

    /** The measured result of one configuration. */
    record Result(String label, Stats absError, Stats spread, double driftMs, int found, int expected) {
    }

    @Override
    public List<Table> run(BenchContext ctx) throws Exception {
        Path score = ctx.repoRoot().resolve("scores/bwv846.json");
        double bpm = ctx.quick() ? 2 * SCORE_BPM : SCORE_BPM;
        ScoreDump dump = ScoreDump.of(ctx, score);
        List<String> voices = new ArrayList<>(dump.voices().keySet()).subList(0, Math.min(4, dump.voices().size()));
        ctx.log().printf("   %s at %.0f BPM, players: %s%n", score.getFileName(), bpm, voices);

        List<Result> results = new ArrayList<>();
        results.add(measure(ctx, "a: naive (send, then sleep)", dump, voices, bpm, (players, events) -> {
            Map<String, InetSocketAddress> map = new LinkedHashMap<>();
            for (int i = 0; i < voices.size(); i++) {
                map.put(voices.get(i), new InetSocketAddress(InetAddress.getLoopbackAddress(), players.port(i)));
            }
            NaiveDirector.play(dump.csv(), map, bpm / SCORE_BPM, events);
        }));
        results.add(measure(ctx, "b: deadlines, plain integer", dump, voices, bpm, (players, events) -> {
            Path roster = players.writeRoster(ctx.file("b/roster.json"));
            try (ManagedProcess director = ManagedProcess.startJava("director", ctx.jar("director-app"), null, List.of(),
                    List.of("play", score.toString(), "--roster", roster.toString(), "--tempo", Double.toString(bpm),
                            "--events", events.toString()), ctx.file("b/director.log"))) {
                int rc = director.awaitExit(Duration.ofMinutes(5));
                if (rc != 0) {
                    throw new IOException("director exited with " + rc + "; see " + director.log());
                }
            }
        }));

        Table table = new Table("Onset timing from the audio (µs; BWV 846 at " + Math.round(bpm) + " BPM, 4 players)",
                "director", "|error| p50 / p99 / max", "spread p50 / p99 / max", "drift over piece (ms)", "onsets found");
        for (Result r : results) {
            table.row(r.label(), r.absError().summary(), r.spread().summary(), String.format("%.1f", r.driftMs()),
                    r.found() + " / " + r.expected());
        }
        Table ratios = new Table("Ratio a / b (same run)", "measure", "a / b");
        Result a = results.get(0);
        Result b = results.get(1);
        ratios.row("|error| p99", ratio(a.absError().percentile(99), b.absError().percentile(99)));
        ratios.row("spread p99", ratio(a.spread().percentile(99), b.spread().percentile(99)));
        ratios.row("|drift|", ratio(Math.abs(a.driftMs()), Math.abs(b.driftMs())));
        return List.of(table, ratios);
    }

    private static String ratio(double x, double y) {
        return y == 0 || Double.isNaN(y) ? "–" : String.format("%.1f×", x / y);
    }

    @FunctionalInterface
    interface Play {
        void play(PlayerProcesses players, Path events) throws Exception;
    }

    private Result measure(BenchContext ctx, String label, ScoreDump dump, List<String> voices, double bpm, Play play)
            throws Exception {
        String tag = label.substring(0, 1);
        Path dir = ctx.file(tag + "/x").getParent();
        Path events = dir.resolve("director.events.jsonl");
        ctx.log().printf("   %s ...%n", label);
        try (PlayerProcesses players = PlayerProcesses.startRecording(ctx, voices, dir, List.of("--watchdog", "0"))) {
            play.play(players, events);
            Thread.sleep(300); // let the last tones reach the WAVs
            players.close();
            return analyse(label, dump, voices, bpm / SCORE_BPM, players, events);
        }
    }

    private static Result analyse(String label, ScoreDump dump, List<String> voices, double speed,
                                  PlayerProcesses players, Path directorEvents) throws IOException {
        long t0 = Long.MAX_VALUE; // wall-clock µs of score time 0, from the director's deadlines
        for (String line : Files.readAllLines(directorEvents)) {
            JsonNode n = JSON.readTree(line);
            if (n.has("deadline_us")) {
                t0 = Math.min(t0, n.get("deadline_us").asLong());
            }
        }
        double firstNote = dump.voices().values().stream().mapToDouble(v -> v.get(0)[0]).min().orElse(0);
        t0 -= Math.round(firstNote / speed * 1e6);

        List<Double> absErrors = new ArrayList<>();
        Map<Long, List<Double>> byScoreTime = new TreeMap<>();
        double firstErr = Double.NaN;
        double lastErr = Double.NaN;
        double firstAt = Double.MAX_VALUE;
        double lastAt = -1;
        int expected = 0;
        int found = 0;
        for (String voice : voices) {
            WavFile wav = WavFile.read(players.wav(voice));
            long wavStart = wavStart(players.events(voice));
            OnsetDetector detector = new OnsetDetector(wav.sampleRate(), 0.02f);
            List<ScoreDump.Change> changes = dump.changes(voice);
            double drift = 0; // follow the naive director's growing lateness
            for (int i = 0; i < changes.size(); i++) {
                ScoreDump.Change c = changes.get(i);
                expected++;
                double ideal = t0 + c.seconds() / speed * 1e6; // wall µs
                double prevGap = i > 0 ? (c.seconds() - changes.get(i - 1).seconds()) / speed : 1;
                double nextGap = i + 1 < changes.size() ? (changes.get(i + 1).seconds() - c.seconds()) / speed : 1;
                double half = Math.min(0.2, Math.min(prevGap, nextGap) / 2); // s
                double centre = (ideal + drift - wavStart) * 1e-6 * wav.sampleRate();
                int from = (int) (centre - half * wav.sampleRate());
                int to = (int) (centre + half * wav.sampleRate());
                OptionalDouble frame = detector.find(wav.samples(), c.fromHz(), c.toHz(), from, to);
                if (frame.isEmpty()) {
                    continue;
                }
                found++;
                double at = wavStart + frame.getAsDouble() / wav.sampleRate() * 1e6;
                double err = at - ideal;
                drift = err;
                absErrors.add(err);
                byScoreTime.computeIfAbsent(Math.round(c.seconds() * 1e6), k -> new ArrayList<>()).add(err);
                if (c.seconds() < firstAt) {
                    firstAt = c.seconds();
                    firstErr = err;
                }
                if (c.seconds() > lastAt) {
                    lastAt = c.seconds();
                    lastErr = err;
                }
            }
        }
        Stats spread = new Stats();
        for (List<Double> simultaneous : byScoreTime.values()) {
            if (simultaneous.size() > 1) {
                spread.record(simultaneous.stream().mapToDouble(Double::doubleValue).max().orElse(0)
                        - simultaneous.stream().mapToDouble(Double::doubleValue).min().orElse(0));
            }
        }
        return new Result(label, Stats.absoluteOf(absErrors), spread, (lastErr - firstErr) / 1000, found, expected);
    }

    private static long wavStart(Path events) throws IOException {
        for (String line : Files.readAllLines(events)) {
            JsonNode n = JSON.readTree(line);
            if ("wav-start".equals(n.path("event").asText())) {
                return n.get("t_us").asLong();
            }
        }
        throw new IOException(events + ": no wav-start event (is the player recording with --synth wav?)");
    }
}
