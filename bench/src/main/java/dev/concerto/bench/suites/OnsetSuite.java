package dev.concerto.bench.suites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.bench.BenchContext;
import dev.concerto.bench.Suite;
import dev.concerto.bench.audio.OnsetDetector;
import dev.concerto.bench.audio.WavFile;
import dev.concerto.bench.naive.NaiveDirector;
import dev.concerto.bench.report.Charts;
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
 * plain-integer protocol, (c) the same director with the timed protocol.
 *
 * <p>The detector is checked on every run against the players' own {@code tone} events (the frame
 * at which each change took effect in the synthesis): that table is the measurement's own error.
 */
public final class OnsetSuite implements Suite {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The tempo written in scores/bwv846.json. */
    private static final double SCORE_BPM = 66;
    /** The players' synthesis ramp (SynthVoice.DEFAULT_RAMP_MS). */
    private static final double RAMP_MS = 2.0;
    /** Onsets averaged at each end of the piece for the drift. */
    private static final int DRIFT_WINDOW = 16;

    @Override
    public String name() {
        return "onset";
    }

    @Override
    public String description() {
        return "onset error, spread and drift measured in the players' WAVs: naive director, deadline scheduler, timed protocol";
    }

    /** One onset found in a WAV. */
    record Onset(String voice, double scoreSeconds, double errorMicros, double detectorMicros) {
    }

    /** The measured result of one configuration. */
    record Result(String label, List<Onset> onsets, Stats absError, Stats spread, double driftMs, int expected,
                  Stats detector, int detectorUnmatched) {
    }

    @Override
    public List<Table> run(BenchContext ctx) throws Exception {
        Path score = ctx.repoRoot().resolve("scores/bwv846.json");
        double bpm = ctx.quick() ? 3 * SCORE_BPM : SCORE_BPM;
        ScoreDump dump = ScoreDump.of(ctx, score);
        List<String> voices = new ArrayList<>(dump.voices().keySet()).subList(0, Math.min(4, dump.voices().size()));
        ctx.log().printf("   %s at %.0f BPM, players: %s%n", score.getFileName(), bpm, voices);

        List<Result> results = new ArrayList<>();
        results.add(measure(ctx, "a", "a: naive (send, then sleep)", dump, voices, bpm, List.of(), (players, events) -> {
            Map<String, InetSocketAddress> map = new LinkedHashMap<>();
            for (int i = 0; i < voices.size(); i++) {
                map.put(voices.get(i), new InetSocketAddress(InetAddress.getLoopbackAddress(), players.port(i)));
            }
            NaiveDirector.play(dump.csv(), map, bpm / SCORE_BPM, events);
        }));
        results.add(measure(ctx, "b", "b: deadlines, plain integer", dump, voices, bpm, List.of(),
                (players, events) -> playDirector(ctx, "b", score, bpm, players.writeRoster(ctx.file("b/roster.json"), "legacy"),
                        events, List.of())));
        results.add(measure(ctx, "c", "c: deadlines, timed protocol", dump, voices, bpm, List.of(),
                (players, events) -> playDirector(ctx, "c", score, bpm,
                        players.writeRoster(ctx.file("c/roster.json"), "timed"), events, List.of())));

        Table table = new Table("Onset timing from the audio (µs; BWV 846 at " + Math.round(bpm) + " BPM, 4 players)",
                "director", "|error| p50 / p99 / max", "spread p50 / p99 / max", "drift over piece (ms)", "onsets found");
        for (Result r : results) {
            table.row(r.label(), r.absError().summary(), r.spread().summary(), String.format("%+.1f", r.driftMs()),
                    r.onsets().size() + " / " + r.expected());
        }
        table.note("Error = onset found in the player's WAV minus the score's ideal time (time 0 = the director's first"
                + " deadline). It includes the player's own latency (a change waits for the next 10 ms synthesis block)."
                + " Spread = latest minus earliest of the onsets the score puts at the same instant."
                + " Drift = mean error of the last " + DRIFT_WINDOW + " onsets minus that of the first " + DRIFT_WINDOW + ".");
        List<Charts.Series> series = new ArrayList<>();
        for (Result r : results) {
            series.add(new Charts.Series(r.label(), r.onsets().stream().map(Onset::scoreSeconds).toList(),
                    r.onsets().stream().map(o -> o.errorMicros() / 1000).toList()));
        }
        table.note(Charts.scatter(ctx.file("onset-error.png"), "Onset error over BWV 846 (" + Math.round(bpm) + " BPM)",
                "position in the score (s at its written 66 BPM)", "onset - ideal (ms)", series));

        Table ratios = new Table("Ratios (same run)", "measure", "a / b", "b / c");
        Result a = results.get(0);
        Result b = results.get(1);
        Result c = results.get(2);
        ratios.row("|error| p50", ratio(a.absError().percentile(50), b.absError().percentile(50)),
                ratio(b.absError().percentile(50), c.absError().percentile(50)));
        ratios.row("|error| p99", ratio(a.absError().percentile(99), b.absError().percentile(99)),
                ratio(b.absError().percentile(99), c.absError().percentile(99)));
        ratios.row("spread p99", ratio(a.spread().percentile(99), b.spread().percentile(99)),
                ratio(b.spread().percentile(99), c.spread().percentile(99)));
        ratios.row("|drift|", ratio(Math.abs(a.driftMs()), Math.abs(b.driftMs())),
                ratio(Math.abs(b.driftMs()), Math.abs(c.driftMs())));

        Table check = new Table("Onset detector checked against the players' own tone events (µs)",
                "run", "detected - tone event p50 / p99 / max", "min", "unmatched");
        for (Result r : results) {
            check.row(r.label(), r.detector().summary(), String.format("%.0f", r.detector().min()), r.detectorUnmatched());
        }
        check.note("Each player logs the audio frame at which it applied each change (its `tone` event); the detector,"
                + " which only sees the WAV, should find that frame. This is the measuring instrument's error.");
        return List.of(table, ratios, check);
    }

    private static void playDirector(BenchContext ctx, String tag, Path score, double bpm, Path roster, Path events,
                                     List<String> extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("play", score.toString(), "--roster", roster.toString(),
                "--tempo", Double.toString(bpm), "--events", events.toString()));
        args.addAll(extra);
        try (ManagedProcess director = ManagedProcess.startJava("director", ctx.jar("director-app"), null, List.of(),
                args, ctx.file(tag + "/director.log"))) {
            int rc = director.awaitExit(Duration.ofMinutes(5));
            if (rc != 0) {
                throw new IOException("director exited with " + rc + "; see " + director.log());
            }
        }
    }

    private static String ratio(double x, double y) {
        return y == 0 || Double.isNaN(y) || Double.isNaN(x) ? "–" : String.format("%.1f×", x / y);
    }

    @FunctionalInterface
    interface Play {
        void play(PlayerProcesses players, Path events) throws Exception;
    }

    private Result measure(BenchContext ctx, String tag, String label, ScoreDump dump, List<String> voices, double bpm,
                           List<String> playerArgs, Play play) throws Exception {
        Path dir = ctx.file(tag + "/x").getParent();
        Path events = dir.resolve("director.events.jsonl");
        ctx.log().printf("   %s ...%n", label);
        List<String> args = new ArrayList<>(List.of("--watchdog", "0"));
        args.addAll(playerArgs);
        try (PlayerProcesses players = PlayerProcesses.startRecording(ctx, voices, dir, args)) {
            play.play(players, events);
            Thread.sleep(300); // let the last tones reach the WAVs
            players.close();
            return analyse(label, dump, voices, bpm / SCORE_BPM, players, events);
        }
    }

    private static Result analyse(String label, ScoreDump dump, List<String> voices, double speed,
                                  PlayerProcesses players, Path directorEvents) throws IOException {
        long t0 = Long.MAX_VALUE; // wall-clock µs of score time 0, from the director's deadlines
        Map<String, List<long[]>> sends = new LinkedHashMap<>(); // voice -> {hz, sent, deadline}
        for (DirectorEvents.Send s : DirectorEvents.read(directorEvents).scheduledSends()) {
            t0 = Math.min(t0, s.deadlineMicros());
            sends.computeIfAbsent(s.player(), k -> new ArrayList<>())
                    .add(new long[] {(long) s.hz(), s.sentMicros(), s.deadlineMicros()});
        }
        double firstNote = dump.voices().values().stream().mapToDouble(v -> v.get(0)[0]).min().orElse(0);
        t0 -= Math.round(firstNote / speed * 1e6);

        List<Onset> onsets = new ArrayList<>();
        Stats detector = new Stats();
        int unmatched = 0;
        int expected = 0;
        for (String voice : voices) {
            WavFile wav = WavFile.read(players.wav(voice));
            long wavStart = wavStart(players.events(voice));
            List<long[]> toneEvents = toneEvents(players.events(voice)); // {hz, frame}
            // Near digital silence: the players write clean 16-bit audio, and a fade-in starts at once.
            OnsetDetector onsetDetector = new OnsetDetector(wav.sampleRate(), 1.5f / 32768,
                    (int) Math.round(RAMP_MS * wav.sampleRate() / 1000));
            List<ScoreDump.Change> changes = dump.changes(voice);
            List<long[]> voiceSends = sends.getOrDefault(voice, List.of());
            for (int i = 0; i < changes.size(); i++) {
                ScoreDump.Change c = changes.get(i);
                expected++;
                double ideal = t0 + c.seconds() / speed * 1e6; // wall µs
                double prevGap = i > 0 ? (c.seconds() - changes.get(i - 1).seconds()) / speed : 1;
                double nextGap = i + 1 < changes.size() ? (changes.get(i + 1).seconds() - c.seconds()) / speed : 1;
                double half = Math.min(0.2, Math.min(prevGap, nextGap) / 2); // s
                // Look where this change should be heard given when the director really sent it (the
                // naive director drifts by far more than the gap between notes), or at its deadline
                // when it was sent ahead of time (the timed protocol), plus the player's ~5 ms.
                double heard = ideal;
                long nearest = Long.MAX_VALUE;
                for (long[] sd : voiceSends) {
                    long d = Math.abs(sd[2] - Math.round(ideal));
                    if (sd[0] == Math.round(c.toHz()) && d < nearest) {
                        nearest = d;
                        heard = Math.max(sd[1], sd[2]) + 5_000;
                    }
                }
                double centre = (heard - wavStart) * 1e-6 * wav.sampleRate();
                int from = (int) (centre - half * wav.sampleRate());
                int to = (int) (centre + half * wav.sampleRate());
                OptionalDouble frame = onsetDetector.find(wav.samples(), c.fromHz(), c.toHz(), from, to);
                if (frame.isEmpty()) {
                    continue;
                }
                double at = wavStart + frame.getAsDouble() / wav.sampleRate() * 1e6;
                double err = at - ideal;
                // The tone event of the same change: same target frequency, nearest frame.
                double detErr = Double.NaN;
                long best = Long.MAX_VALUE;
                for (long[] t : toneEvents) {
                    if (t[0] == Math.round(c.toHz())) {
                        long d = Math.abs(t[1] - Math.round(frame.getAsDouble()));
                        if (d < best) {
                            best = d;
                            detErr = (frame.getAsDouble() - t[1]) / wav.sampleRate() * 1e6;
                        }
                    }
                }
                if (best <= wav.sampleRate() / 50) { // within 20 ms: the same change
                    detector.record(detErr);
                } else {
                    unmatched++;
                }
                onsets.add(new Onset(voice, c.seconds(), err, detErr));
            }
        }
        Map<Long, List<Double>> byScoreTime = new TreeMap<>();
        for (Onset o : onsets) {
            byScoreTime.computeIfAbsent(Math.round(o.scoreSeconds() * 1e6), k -> new ArrayList<>()).add(o.errorMicros());
        }
        Stats spread = new Stats();
        for (List<Double> simultaneous : byScoreTime.values()) {
            if (simultaneous.size() > 1) {
                spread.record(simultaneous.stream().mapToDouble(Double::doubleValue).max().orElse(0)
                        - simultaneous.stream().mapToDouble(Double::doubleValue).min().orElse(0));
            }
        }
        List<Onset> byTime = new ArrayList<>(onsets);
        byTime.sort(java.util.Comparator.comparingDouble(Onset::scoreSeconds));
        int w = Math.min(DRIFT_WINDOW, byTime.size() / 2);
        double driftMs = w == 0 ? Double.NaN
                : (byTime.subList(byTime.size() - w, byTime.size()).stream().mapToDouble(Onset::errorMicros).average().orElse(0)
                - byTime.subList(0, w).stream().mapToDouble(Onset::errorMicros).average().orElse(0)) / 1000;
        return new Result(label, onsets, Stats.absoluteOf(onsets.stream().map(Onset::errorMicros).toList()), spread,
                driftMs, expected, detector, unmatched);
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

    /** The player's {@code tone} events as {hz, frame}. */
    static List<long[]> toneEvents(Path events) throws IOException {
        List<long[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(events)) {
            JsonNode n = JSON.readTree(line);
            if ("tone".equals(n.path("event").asText())) {
                out.add(new long[] {Math.round(n.get("hz").asDouble()), n.get("frame").asLong()});
            }
        }
        return out;
    }
}
