package dev.concerto.bench.suites;

import dev.concerto.bench.BenchContext;
import dev.concerto.bench.report.Table;
import dev.concerto.bench.run.CpuSteal;
import dev.concerto.bench.run.LoopbackPorts;
import dev.concerto.bench.run.LauncherJvmOptions;
import dev.concerto.bench.run.ManagedProcess;
import dev.concerto.bench.run.PlayerProcesses;
import dev.concerto.bench.run.PulseAudioSink;
import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code listen} suite's calibration check: eight javax.sound players on the private sink, one
 * told to delay its output by 7 ms ({@code --test-output-delay-ms}), and {@code ./concerto calibrate
 * --dry-run} run several times with the sink's monitor as the microphone; what it found for the
 * delayed player against the others. Not thread-safe; one check at a time per sink.
 */
final class ListenCalibration {

    static final int PLAYERS = 8;
    static final int DELAYED = 5;
    static final double INJECTED_MS = 7;
    /** The goal: the injected delay found within this, ms ... */
    static final double TOLERANCE_MS = 0.5;
    /** ... by a calibrate command that takes less than this, s. */
    static final double TIME_LIMIT_SECONDS = 30;
    /** From the last player ready to the first calibrate run, ms. */
    static final long SETTLE_MILLIS = 5000;
    private static final Pattern HEARD = Pattern.compile("(?m)^\\s+c(\\d+)\\s+heard\\s+([-+][0-9.]+) ms");

    private ListenCalibration() {
    }

    /** Calibrate runs per check: 3 with --quick, else 5. */
    static int runs(BenchContext ctx) {
        return ctx.quick() ? 3 : 5;
    }

    /**
     * What one calibrate run found against what was injected.
     *
     * @param othersSpreadMs latest minus earliest arrival of the players without an injected delay, ms
     * @param corrections    line corrections the players logged while calibrate ran
     */
    record Result(double foundMs, boolean allHeard, double othersSpreadMs, double seconds, int corrections,
                  int exitCode, String output) {

        boolean met() {
            return allHeard && Math.abs(foundMs - INJECTED_MS) <= TOLERANCE_MS && seconds < TIME_LIMIT_SECONDS;
        }
    }

    /** The table of {@code results}, one row per calibrate run, with the host's steal during each (%). */
    static Table table(List<Result> results, List<Double> stealPercents) {
        Table t = new Table("Calibration by microphone (the sink's monitor as the microphone; " + PLAYERS
                + " javax.sound players, one with --test-output-delay-ms " + INJECTED_MS + "; goal: found within ±"
                + TOLERANCE_MS + " ms, all heard, under " + (int) TIME_LIMIT_SECONDS + " s)",
                "run", "injected delay (ms)", "found (ms)", "error (ms)", "all heard", "others' spread (ms)",
                "line corrections meanwhile", "took (s)", "goal", "host's steal during the run");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            t.row(i + 1, String.format(Locale.ROOT, "%.1f", INJECTED_MS), String.format(Locale.ROOT, "%.2f", r.foundMs()),
                    String.format(Locale.ROOT, "%+.2f", r.foundMs() - INJECTED_MS), r.allHeard() ? "yes" : "NO",
                    String.format(Locale.ROOT, "%.2f", r.othersSpreadMs()), r.corrections(),
                    String.format(Locale.ROOT, "%.1f", r.seconds()), r.met() ? "met" : "NOT met",
                    CpuSteal.format(stealPercents.get(i)));
        }
        t.note("Found = the delayed player's arrival minus the median of the others' (`./concerto calibrate --roster R"
                + " --dry-run`, which sounds a pseudo-random chip pattern on each player in turn and correlates)."
                + " Others' spread = latest minus earliest arrival of the seven players without a delay (0 on a perfect"
                + " system). Line corrections = audio the players skipped or inserted to stay in time while calibrate"
                + " ran (a stalled line), from their event logs. Took = the calibrate command from start to exit (JVM"
                + " start included), players already running (the first run starts " + SETTLE_MILLIS / 1000
                + " s after the last player was ready).");
        return t;
    }

    /** Starts the players once and runs calibrate {@code runs} times; the table of what it found. */
    static Table run(BenchContext ctx, PulseAudioSink pulse, int runs) throws Exception {
        ctx.log().printf("   calibration, %d players, one delayed %.0f ms, %d runs ...%n", PLAYERS, INJECTED_MS, runs);
        Path dir = ctx.file("listen/calibrate/x").getParent();
        int base = LoopbackPorts.freeRange(PLAYERS);
        List<ManagedProcess> processes = new ArrayList<>();
        List<Result> results = new ArrayList<>();
        List<Double> steal = new ArrayList<>();
        try {
            StringBuilder roster = new StringBuilder("{ \"players\": [\n");
            List<List<String>> playerArgs = new ArrayList<>();
            for (int i = 0; i < PLAYERS; i++) {
                List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1:" + (base + i), "--name", "c" + (i + 1),
                        "--synth", "javasound", "--volume", "0.3", "--watchdog", "0",
                        "--events", dir.resolve("c" + (i + 1) + ".events.jsonl").toString()));
                if (i == DELAYED) {
                    args.addAll(List.of("--test-output-delay-ms", Double.toString(INJECTED_MS)));
                }
                playerArgs.add(args);
                processes.add(startPlayer(ctx, pulse, dir, i, args));
                roster.append(String.format(Locale.ROOT,
                        "  {\"name\": \"c%d\", \"host\": \"127.0.0.1\", \"port\": %d, \"protocol\": \"timed\", \"voice\": \"v%d\"}%s%n",
                        i + 1, base + i, i + 1, i + 1 < PLAYERS ? "," : ""));
            }
            for (int i = 0; i < PLAYERS; i++) {
                for (int attempt = 1; ; attempt++) {
                    try {
                        processes.get(i).awaitLine(PlayerProcesses.READY, Duration.ofSeconds(60));
                        break;
                    } catch (IOException e) {
                        // Eight JVMs opening lines at once on a loaded machine: the ALSA plugin's connection to
                        // the sound server sometimes times out and the player finds no line. Start it again.
                        if (attempt == 3 || !processes.get(i).logText().contains("no audio output")) {
                            throw e;
                        }
                        ctx.log().printf("   player c%d found no audio line (the sound server was slow to answer);"
                                + " starting it again%n", i + 1);
                        processes.get(i).close();
                        processes.set(i, startPlayer(ctx, pulse, dir, i, playerArgs.get(i)));
                    }
                }
            }
            Path rosterFile = dir.resolve("roster.json");
            Files.writeString(rosterFile, roster.append("] }\n"));
            // Players in a room have been running for a while when they are calibrated; just started, eight
            // lines on a loaded machine still skip audio every few hundred ms for some seconds.
            Thread.sleep(SETTLE_MILLIS);
            for (int run = 1; run <= runs; run++) {
                long fromMicros = Clock.SYSTEM.epochMicros();
                CpuSteal stealBefore = CpuSteal.now();
                long start = System.nanoTime();
                String output;
                int rc;
                try (ManagedProcess director = ManagedProcess.startJava("calibrate", ctx.jar("director-app"), null,
                        List.of(), List.of("calibrate", "--roster", rosterFile.toString(), "--dry-run"),
                        dir.resolve("calibrate-" + run + ".log"), pulse.env())) {
                    rc = director.awaitExit(Duration.ofMinutes(2));
                    output = director.logText();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                steal.add(CpuSteal.percentSinceNow(stealBefore));
                int corrections = corrections(dir, fromMicros, Clock.SYSTEM.epochMicros());
                Result r = found(output, seconds, corrections, rc);
                ctx.log().printf("   run %d: found %.2f ms (error %+.2f), others' spread %.2f ms, %s, %d corrections,"
                                + " %.1f s%n", run, r.foundMs(), r.foundMs() - INJECTED_MS, r.othersSpreadMs(),
                        r.allHeard() ? "all heard" : "NOT all heard", corrections, seconds);
                results.add(r);
            }
        } finally {
            processes.forEach(ManagedProcess::close);
        }
        return table(results, steal);
    }

    private static ManagedProcess startPlayer(BenchContext ctx, PulseAudioSink pulse, Path dir, int i, List<String> args)
            throws IOException {
        return ManagedProcess.startJava("player c" + (i + 1), ctx.jar("player-node"), null, LauncherJvmOptions.player("96m"), args,
                dir.resolve("c" + (i + 1) + ".log"), pulse.env());
    }

    /** Line corrections the players' event logs show between the two instants (epoch µs). */
    private static int corrections(Path dir, long fromMicros, long toMicros) throws IOException {
        int n = 0;
        for (int i = 0; i < PLAYERS; i++) {
            Path events = dir.resolve("c" + (i + 1) + ".events.jsonl");
            if (!Files.exists(events)) {
                continue;
            }
            for (LineCorrection c : LineCorrection.read(events)) {
                if (c.tMicros() >= fromMicros && c.tMicros() <= toMicros) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The delayed player's arrival minus the median of the others', from calibrate's output. */
    static Result found(String output, double seconds, int corrections, int exitCode) {
        Matcher m = HEARD.matcher(output);
        double[] arrival = new double[PLAYERS];
        Arrays.fill(arrival, Double.NaN);
        while (m.find()) {
            arrival[Integer.parseInt(m.group(1)) - 1] = Double.parseDouble(m.group(2));
        }
        List<Double> others = new ArrayList<>();
        for (int i = 0; i < PLAYERS; i++) {
            if (i != DELAYED && !Double.isNaN(arrival[i])) {
                others.add(arrival[i]);
            }
        }
        others.sort(null);
        double found = others.isEmpty() ? Double.NaN : arrival[DELAYED] - others.get(others.size() / 2);
        double spread = others.isEmpty() ? Double.NaN : others.get(others.size() - 1) - others.get(0);
        boolean allHeard = Arrays.stream(arrival).noneMatch(Double::isNaN);
        return new Result(found, allHeard, spread, seconds, corrections, exitCode, output);
    }
}
