package dev.concerto.bench.suites;

import dev.concerto.bench.BenchContext;
import dev.concerto.bench.report.Table;
import dev.concerto.bench.run.LoopbackPorts;
import dev.concerto.bench.run.ManagedProcess;
import dev.concerto.bench.run.PlayerProcesses;
import dev.concerto.bench.run.PulseAudioSink;
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
 * --dry-run} with the sink's monitor as the microphone; what it found for the delayed player against
 * the others. Not thread-safe; one check at a time per sink.
 */
final class ListenCalibration {

    static final int PLAYERS = 8;
    static final int DELAYED = 5;
    static final double INJECTED_MS = 7;
    private static final Pattern HEARD = Pattern.compile("(?m)^\\s+c(\\d+)\\s+heard\\s+([-+][0-9.]+) ms");

    private ListenCalibration() {
    }

    /** What calibration found against what was injected. */
    record Result(int players, double injectedMs, double foundMs, boolean allHeard, double seconds, String output) {
        Table table() {
            Table t = new Table("Calibration by microphone (the sink's monitor as the microphone; " + players
                    + " javax.sound players, one with --test-output-delay-ms " + injectedMs + ")",
                    "players", "injected delay (ms)", "found (ms)", "error (ms)", "all heard", "took (s)");
            t.row(players, String.format(Locale.ROOT, "%.1f", injectedMs), String.format(Locale.ROOT, "%.2f", foundMs),
                    String.format(Locale.ROOT, "%+.2f", foundMs - injectedMs), allHeard ? "yes" : "NO",
                    String.format(Locale.ROOT, "%.1f", seconds));
            t.note("Found = the delayed player's arrival minus the median of the others' (`./concerto calibrate --roster R"
                    + " --dry-run`, which sounds a 31-chip pseudo-random pattern on each player in turn and correlates)."
                    + " Took = the calibrate command from start to exit, players already running.");
            return t;
        }
    }

    static Result run(BenchContext ctx, PulseAudioSink pulse) throws Exception {
        ctx.log().printf("   calibration, %d players, one delayed %.0f ms ...%n", PLAYERS, INJECTED_MS);
        Path dir = ctx.file("listen/calibrate/x").getParent();
        int base = LoopbackPorts.freeRange(PLAYERS);
        List<ManagedProcess> processes = new ArrayList<>();
        try {
            StringBuilder roster = new StringBuilder("{ \"players\": [\n");
            for (int i = 0; i < PLAYERS; i++) {
                List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1:" + (base + i), "--name", "c" + (i + 1),
                        "--synth", "javasound", "--volume", "0.3", "--watchdog", "0"));
                if (i == DELAYED) {
                    args.addAll(List.of("--test-output-delay-ms", Double.toString(INJECTED_MS)));
                }
                processes.add(ManagedProcess.startJava("player c" + (i + 1), ctx.jar("player-node"), null,
                        List.of("-Xmx96m"), args, dir.resolve("c" + (i + 1) + ".log"), pulse.env()));
                roster.append(String.format(Locale.ROOT,
                        "  {\"name\": \"c%d\", \"host\": \"127.0.0.1\", \"port\": %d, \"protocol\": \"timed\", \"voice\": \"v%d\"}%s%n",
                        i + 1, base + i, i + 1, i + 1 < PLAYERS ? "," : ""));
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
            return found(output, seconds);
        } finally {
            processes.forEach(ManagedProcess::close);
        }
    }

    /** The delayed player's arrival minus the median of the others', from calibrate's output. */
    static Result found(String output, double seconds) {
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
        boolean allHeard = Arrays.stream(arrival).noneMatch(Double::isNaN);
        return new Result(PLAYERS, INJECTED_MS, found, allHeard, seconds, output);
    }
}
