package dev.concerto.bench.suites;

import dev.concerto.bench.BenchContext;
import dev.concerto.bench.Suite;
import dev.concerto.bench.report.Charts;
import dev.concerto.bench.report.Table;
import dev.concerto.bench.run.ManagedProcess;
import dev.concerto.bench.run.PlayerProcesses;
import dev.concerto.netem.PathProfile;
import dev.concerto.netem.PathProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * BWV 846 on four player processes, each behind its own {@link PathProxy} (the network path
 * emulator) with one of the named profiles; for each profile three directors: the plain integer,
 * the timed protocol with its defaults, and the timed protocol with fixed Wi-Fi settings
 * ({@code --lead-ms 300 --redundancy 2}). Everything is measured in the players' WAVs
 * ({@link NetworkAnalysis}). Then a skew run (two players' clocks skewed +200 / −150 ppm, the piece
 * looped) and a step run (one player's clock steps mid-piece).
 */
public final class NetworkSuite implements Suite {

    /** The tempo the measurements used. */
    static final double BPM = 240;
    /** One seed for the whole suite: every run sees the same decisions on the same arrivals. */
    static final long SEED = 846;

    /** One director configuration (a row). */
    record Row(String label, String protocol, List<String> directorArgs) {
    }

    static final List<Row> ROWS = List.of(
            new Row("plain integer", "legacy", List.of()),
            new Row("timed, defaults", "timed", List.of()),
            new Row("timed, --lead-ms 300 --redundancy 2", "timed", List.of("--lead-ms", "300", "--redundancy", "2")));

    @Override
    public String name() {
        return "network";
    }

    @Override
    public String description() {
        return "BWV 846 on four players behind the network path emulator (lan, wifi, wifi-busy, wifi-bursts, asymmetric):"
                + " notes missing, onset error and spread in the WAVs, stuck notes, wrong tones; clock skew and step";
    }

    @Override
    public List<Table> run(BenchContext ctx) throws Exception {
        Path score = ctx.repoRoot().resolve("scores/bwv846.json");
        ScoreDump dump = ScoreDump.of(ctx, score);
        List<String> voices = new ArrayList<>(dump.voices().keySet()).subList(0, Math.min(4, dump.voices().size()));
        ctx.log().printf("   %s at %.0f BPM, players: %s%n", score.getFileName(), BPM, voices);

        Table table = new Table("BWV 846 at " + Math.round(BPM) + " BPM, four players, each behind the path emulator"
                + " (onset error and spread in µs, from the players' WAVs)",
                "profile", "director", "notes missing", "|error| p50 / p99 / max", "spread p50 / p99 / max", "stuck",
                "wrong tones", "datagrams / note");
        List<Charts.Series> series = new ArrayList<>();
        for (PathProfile.Named profile : PathProfile.Named.values()) {
            for (int r = 0; r < ROWS.size(); r++) {
                Row row = ROWS.get(r);
                String tag = profile.cliName() + "/" + r;
                NetworkAnalysis.Result res;
                try {
                    res = measure(ctx, tag, voices, score, profile.profile(), row, i -> List.of(), Duration.ZERO);
                } catch (IOException e) { // one run that could not start (a busy machine) is one failed row
                    ctx.log().printf("   FAILED: %s%n", e.getMessage());
                    table.row(profile.cliName(), row.label(), "failed: " + e.getMessage().lines().findFirst().orElse(""),
                            "", "", "", "", "");
                    continue;
                }
                table.row(profile.cliName(), row.label(), res.missingText(), res.absError().summary(),
                        res.spread().summary(), res.stuck(), res.wrongTones(), String.format("%.2f", res.datagramsPerNote()));
                if (r == 1) {
                    series.add(new Charts.Series(profile.cliName(), res.onsets().stream().map(NetworkAnalysis.Onset::seconds).toList(),
                            res.onsets().stream().map(o -> o.errorMicros() / 1000).toList()));
                }
            }
        }
        table.note("Each player sits behind its own emulated path (PathProxy; profiles in netem's PathProfile.Named and"
                + " bench/README.md), seeded identically for every run. Missing = a change the director sent that is not"
                + " found in the player's WAV within half the gap to its neighbours (at most 200 ms) of its due time."
                + " Error = onset found in the WAV minus the director's deadline for it. Spread = latest minus earliest"
                + " of the onsets due at the same instant. Stuck = a player still sounding at the end of its WAV (after"
                + " the director stopped). Wrong tones = tone changes in a player's events at a frequency the director"
                + " never sent it. Datagrams / note = every datagram the director sent to the players (tones, copies,"
                + " lease extensions, clock sync) over the changes in the score.");
        table.note(Charts.scatter(ctx.file("network-error.png"), "Onset error per profile, timed protocol with defaults",
                "time since the first note (s)", "onset - deadline (ms)", series));
        List<Table> out = new ArrayList<>();
        out.add(table);
        out.add(skewRun(ctx, voices, score));
        out.add(stepRun(ctx, voices, score));
        return out;
    }

    /** Skews, ppm, of the first players in the skew run (the others run on the machine's clock). */
    static final double[] SKEWS_PPM = {200, -150};

    private static Table skewRun(BenchContext ctx, List<String> voices, Path score) throws Exception {
        Duration length = ctx.quick() ? Duration.ofMinutes(2) : Duration.ofMinutes(10);
        Table t = new Table("Skewed clocks: BWV 846 looped for " + length.toMinutes() + " min at " + Math.round(BPM)
                + " BPM on lan, timed defaults (onset error in µs from the WAVs)",
                "player", "clock", "mean error, first minute", "mean error, last minute", "drift", "|error| p99 overall",
                "missing");
        NetworkAnalysis.Result r = measure(ctx, "skew", voices, score, PathProfile.Named.LAN.profile(), ROWS.get(1),
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
                    String.format("%.0f", dev.concerto.bench.report.Stats.absoluteOf(
                            mine.stream().map(NetworkAnalysis.Onset::errorMicros).toList()).percentile(99)), "");
            series.add(new Charts.Series(v + (i < SKEWS_PPM.length ? String.format(" (%+.0f ppm)", SKEWS_PPM[i]) : ""),
                    mine.stream().map(o -> o.seconds()).toList(), mine.stream().map(o -> o.errorMicros() / 1000).toList()));
        }
        t.row("all", "", "", "", "", String.format("%.0f", r.absError().percentile(99)), r.missingText());
        t.note("Drift = mean error over the last minute minus that over the first (goal: within 100 µs). Spread p50 / p99"
                + " / max of simultaneous onsets over the whole run: " + r.spread().summary() + " µs.");
        t.note(Charts.scatter(ctx.file("network-skew.png"), "Onset error with skewed player clocks (lan, timed defaults)",
                "time since the first note (s)", "onset - deadline (ms)", series));
        return t;
    }

    /** The step run: this player's clock steps back this far, this long after it starts. */
    static final int STEP_PLAYER = 2;
    static final double STEP_AFTER_S = 45;
    /** The step run loops the piece this long, so the step falls mid-play however slowly the director starts. */
    static final Duration STEP_RUN = Duration.ofSeconds(100);
    static final long STEP_BY_MS = -3_000;

    private static Table stepRun(BenchContext ctx, List<String> voices, Path score) throws Exception {
        Table t = new Table("A clock step: player '" + voices.get(STEP_PLAYER) + "' steps its clock by " + STEP_BY_MS
                + " ms " + STEP_AFTER_S + " s after it starts (BWV 846 looped at " + Math.round(BPM) + " BPM, lan, timed defaults)",
                "player", "onsets after the step", "off by > 5 ms after the step", "last onset off by > 1 ms (s after the step)",
                "|error| p99 after the step (µs)");
        NetworkAnalysis.Result r = measure(ctx, "step", voices, score, PathProfile.Named.LAN.profile(), ROWS.get(1),
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
            t.row(v + (i == STEP_PLAYER ? " (stepped)" : ""), after.size(), wrong,
                    Double.isNaN(lastOff) ? "none" : String.format("%.2f", lastOff),
                    String.format("%.0f", dev.concerto.bench.report.Stats.absoluteOf(
                            after.stream().map(NetworkAnalysis.Onset::errorMicros).toList()).percentile(99)));
        }
        t.note("Goal: no note at a wrong time, back in step within 2 s. The step time is taken from the player's"
                + " wav-start plus " + STEP_AFTER_S + " s (its clock starts with it, within a few ms). Missing over the run: "
                + r.missingText() + ".");
        return t;
    }

    /**
     * One run: players recording, a proxy in front of each, the director playing to the proxies;
     * then the analysis of the WAVs.
     *
     * @param loop play with {@code --loop} for this long (zero: play the piece once)
     */
    static NetworkAnalysis.Result measure(BenchContext ctx, String tag, List<String> voices, Path score,
                                          PathProfile profile, Row row, IntFunction<List<String>> playerArgs,
                                          Duration loop) throws Exception {
        Path dir = ctx.file(tag + "/x").getParent();
        Path events = dir.resolve("director.events.jsonl");
        ctx.log().printf("   %s: %s ...%n", profile.name(), row.label());
        List<PathProxy> proxies = new ArrayList<>();
        try (PlayerProcesses players = PlayerProcesses.startRecording(ctx, voices, dir, i -> {
            List<String> a = new ArrayList<>(List.of("--watchdog", "0"));
            a.addAll(playerArgs.apply(i));
            return a;
        })) {
            try {
                for (int i = 0; i < voices.size(); i++) {
                    proxies.add(PathProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), players.port(i)),
                            profile, SEED + i, loop.plus(Duration.ofMinutes(10))));
                }
                Path roster = writeRoster(dir.resolve("roster.json"), voices, proxies, row.protocol());
                List<String> args = new ArrayList<>(List.of("play", score.toString(), "--roster", roster.toString(),
                        "--tempo", Double.toString(BPM), "--events", events.toString()));
                args.addAll(row.directorArgs());
                if (!loop.isZero()) {
                    args.add("--loop");
                }
                try (ManagedProcess director = ManagedProcess.startJava("director", ctx.jar("director-app"), null,
                        List.of(), args, dir.resolve("director.log"))) {
                    if (loop.isZero()) {
                        int rc = director.awaitExit(Duration.ofMinutes(5));
                        if (rc != 0) {
                            throw new IOException("director exited with " + rc + "; see " + director.log());
                        }
                    } else {
                        Thread.sleep(loop.toMillis()); // bounded: the loop's length
                    }
                } // close: SIGTERM, the director silences every player
                Thread.sleep(1_500); // the final silences cross the emulated path; the last tones reach the WAVs
                long datagrams = proxies.stream().mapToLong(p -> p.toPlayer().received()).sum();
                StringBuilder log = new StringBuilder();
                for (int i = 0; i < proxies.size(); i++) {
                    PathProxy p = proxies.get(i);
                    log.append(String.format("%s: to player %s; from player %s; release lateness p50 %d µs, p99 %d µs,"
                                    + " max %d µs%n", voices.get(i), p.toPlayer(), p.fromPlayer(),
                            p.releaseLatenessMicros(50), p.releaseLatenessMicros(99), p.releaseLatenessMaxMicros()));
                }
                Files.writeString(dir.resolve("paths.txt"), log);
                players.close();
                return NetworkAnalysis.analyse(voices, players, events, datagrams);
            } finally {
                proxies.forEach(PathProxy::close);
            }
        }
    }

    private static Path writeRoster(Path file, List<String> voices, List<PathProxy> proxies, String protocol)
            throws IOException {
        StringBuilder sb = new StringBuilder("{ \"players\": [\n");
        for (int i = 0; i < voices.size(); i++) {
            sb.append(String.format("  {\"name\": \"%s\", \"host\": \"127.0.0.1\", \"port\": %d, \"protocol\": \"%s\","
                            + " \"voice\": \"%s\"}%s%n", voices.get(i), proxies.get(i).address().getPort(), protocol,
                    voices.get(i), i + 1 < voices.size() ? "," : ""));
        }
        sb.append("] }\n");
        Files.writeString(file, sb);
        return file;
    }
}
