package dev.concerto.bench.suites;

import dev.concerto.bench.BenchContext;
import dev.concerto.bench.Suite;
import dev.concerto.bench.report.Charts;
import dev.concerto.bench.report.Stats;
import dev.concerto.bench.report.Table;
import dev.concerto.netem.PathProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Clocks that are not the director's: BWV 846 looped on four player processes behind the {@code lan}
 * path emulator, timed with defaults. A skew run (two players' clocks skewed +200 / −150 ppm,
 * {@code --clock-skew-ppm}) for 10 minutes (2 with {@code --quick}), and a step run (one player's
 * clock steps back 3 s mid-piece, {@code --clock-step}). Measured in the players' WAVs.
 */
public final class NetworkClockSuite implements Suite {

    /** Skews, ppm, of the first players in the skew run (the others run on the machine's clock). */
    static final double[] SKEWS_PPM = {200, -150};
    /** The step run: this player's clock steps back this far, this long after it starts. */
    static final int STEP_PLAYER = 2;
    static final double STEP_AFTER_S = 45;
    static final long STEP_BY_MS = -3_000;
    /** The step run loops the piece this long, so the step falls mid-play however slowly the director starts. */
    static final Duration STEP_RUN = Duration.ofSeconds(100);

    @Override
    public String name() {
        return "network-clock";
    }

    @Override
    public String description() {
        return "Player clocks skewed +200 / -150 ppm over a looped BWV 846 (10 min; --quick 2 min), and a player"
                + " clock that steps back 3 s mid-piece: onset error drift, notes at a wrong time, time back in step";
    }

    @Override
    public List<Table> run(BenchContext ctx) throws Exception {
        Path score = ctx.repoRoot().resolve("scores/bwv846.json");
        ScoreDump dump = ScoreDump.of(ctx, score);
        List<String> voices = new ArrayList<>(dump.voices().keySet()).subList(0, Math.min(4, dump.voices().size()));
        List<Table> tables = new ArrayList<>();
        if (ctx.runs("skew") || ctx.runs("step")) {
            NetworkRun.warmUpEmulator(ctx);
        }
        if (ctx.runs("skew")) {
            tables.add(skewRun(ctx, voices, score));
        }
        if (ctx.runs("step")) {
            tables.add(stepRun(ctx, voices, score));
        }
        return tables;
    }

    private static Table skewRun(BenchContext ctx, List<String> voices, Path score) throws Exception {
        Duration length = ctx.quick() ? Duration.ofMinutes(2) : Duration.ofMinutes(10);
        Table t = new Table("Skewed clocks: BWV 846 looped for " + length.toMinutes() + " min at "
                + Math.round(NetworkRun.BPM) + " BPM on lan, timed defaults (onset error in µs from the WAVs)",
                "player", "clock", "mean error, first minute", "mean error, last minute", "drift", "|error| p99 overall",
                "frames p99", "missing");
        NetworkAnalysis.Result r = NetworkRun.measure(ctx, "skew", voices, score, PathProfile.Named.LAN.profile(),
                NetworkRun.TIMED_DEFAULTS,
                i -> i < SKEWS_PPM.length ? List.of("--clock-skew-ppm", Double.toString(SKEWS_PPM[i])) : List.of(), length);
        double last = r.onsets().stream().mapToDouble(NetworkAnalysis.Onset::seconds).max().orElse(0);
        List<Charts.Series> series = new ArrayList<>();
        for (int i = 0; i < voices.size(); i++) {
            String v = voices.get(i);
            List<NetworkAnalysis.Onset> mine = r.onsets().stream().filter(o -> o.voice().equals(v)).toList();
            double first = mine.stream().filter(o -> o.seconds() < 60).mapToDouble(NetworkAnalysis.Onset::errorMicros)
                    .average().orElse(Double.NaN);
            double end = mine.stream().filter(o -> o.seconds() > last - 60).mapToDouble(NetworkAnalysis.Onset::errorMicros)
                    .average().orElse(Double.NaN);
            t.row(v, i < SKEWS_PPM.length ? String.format("%+.0f ppm", SKEWS_PPM[i]) : "machine's",
                    String.format("%.0f", first), String.format("%.0f", end), String.format("%+.0f", end - first),
                    String.format("%.0f", Stats.absoluteOf(mine.stream().map(NetworkAnalysis.Onset::errorMicros).toList())
                            .percentile(99)),
                    String.format("%.0f", r.frameError().get(v).percentile(99)), "");
            series.add(new Charts.Series(v + (i < SKEWS_PPM.length ? String.format(" (%+.0f ppm)", SKEWS_PPM[i]) : ""),
                    mine.stream().map(NetworkAnalysis.Onset::seconds).toList(),
                    mine.stream().map(o -> o.errorMicros() / 1000).toList()));
        }
        t.row("all", "", "", "", "", String.format("%.0f", r.absError().percentile(99)),
                String.format("%.0f", r.worstFrameP99()), r.missingText());
        t.note("Drift = mean error over the last minute minus that over the first (goal: within 100 µs). Frames p99 ="
                + " |time the player scheduled the change's audio frame for − deadline|, from its own events. Spread p50 / p99"
                + " / max of simultaneous onsets over the whole run: " + r.spread().summary() + " µs.");
        t.note(Charts.scatter(ctx.file("network-skew.png"), "Onset error with skewed player clocks (lan, timed defaults)",
                "time since the first note (s)", "onset - deadline (ms)", series));
        return t;
    }

    private static Table stepRun(BenchContext ctx, List<String> voices, Path score) throws Exception {
        Table t = new Table("A clock step: player '" + voices.get(STEP_PLAYER) + "' steps its clock by " + STEP_BY_MS
                + " ms " + STEP_AFTER_S + " s after it starts (BWV 846 looped at " + Math.round(NetworkRun.BPM)
                + " BPM, lan, timed defaults)",
                "player", "onsets after the step", "off by > 5 ms after the step",
                "last onset off by > 1 ms (s after the step)", "missing in the 2 s after the step",
                "|error| p99 from 2 s after the step (µs)");
        NetworkAnalysis.Result r = NetworkRun.measure(ctx, "step", voices, score, PathProfile.Named.LAN.profile(),
                NetworkRun.TIMED_DEFAULTS,
                i -> i == STEP_PLAYER ? List.of("--clock-step", STEP_AFTER_S + ":" + STEP_BY_MS) : List.of(), STEP_RUN);
        Path dir = ctx.file("step/x").getParent();
        for (int i = 0; i < voices.size(); i++) {
            String v = voices.get(i);
            long stepAt = NetworkAnalysis.wavStart(dir.resolve(v + ".events.jsonl")) + Math.round(STEP_AFTER_S * 1e6);
            List<NetworkAnalysis.Onset> after = r.onsets().stream()
                    .filter(o -> o.voice().equals(v) && o.deadlineMicros() >= stepAt).toList();
            long wrong = after.stream().filter(o -> Math.abs(o.errorMicros()) > 5_000).count();
            double lastOff = after.stream().filter(o -> Math.abs(o.errorMicros()) > 1_000)
                    .mapToDouble(o -> (o.deadlineMicros() - stepAt) / 1e6).max().orElse(Double.NaN);
            long expectedSoon = r.expectedBetween(v, stepAt, stepAt + 2_000_000);
            long foundSoon = after.stream().filter(o -> o.deadlineMicros() < stepAt + 2_000_000).count();
            t.row(v + (i == STEP_PLAYER ? " (stepped)" : ""), after.size(), wrong,
                    Double.isNaN(lastOff) ? "none" : String.format("%.2f", lastOff),
                    String.format("%d of %d", expectedSoon - foundSoon, expectedSoon),
                    String.format("%.0f", Stats.absoluteOf(after.stream().filter(o -> o.deadlineMicros() >= stepAt + 2_000_000)
                            .map(NetworkAnalysis.Onset::errorMicros).toList()).percentile(99)));
        }
        t.note("Goal: no note at a wrong time, back in step within 2 s. The step time is taken from the player's"
                + " wav-start plus " + STEP_AFTER_S + " s (its clock starts with it, within a few ms). A note handed"
                + " over between the step and its detection (two exchanges, the second sent at once) carries a time in"
                + " the old clock: it is re-stamped when still ahead, else it never sounds (a later message supersedes"
                + " it), so it may be missing but never sounds 3 s late. Missing over the run: " + r.missingText() + ".");
        return t;
    }
}
