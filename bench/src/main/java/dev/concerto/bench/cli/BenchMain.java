package dev.concerto.bench.cli;

import dev.concerto.bench.BenchContext;
import dev.concerto.bench.Suite;
import dev.concerto.bench.report.Table;
import dev.concerto.bench.run.CpuSteal;
import dev.concerto.bench.run.LoadAverage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code concerto bench [SUITE...] [--quick] [--out DIR]}: runs suites, prints tables, writes a report. */
@Command(name = "concerto bench", mixinStandardHelpOptions = true,
        description = {"Measures Concerto on this machine: real processes, loopback only, bounded in time.",
                "Prints a table per suite and writes report.md (and charts) to the output directory."})
public final class BenchMain implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "SUITE", description = "Suites to run (default: all). One of: ${COMPLETION-CANDIDATES}")
    List<String> suites = new ArrayList<>();

    @Option(names = "--quick", description = "Shorter runs: every suite finishes in under 3 minutes on 2 cores.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: bench-results/<date-time>).")
    Path out;

    @Option(names = "--repo", paramLabel = "DIR", description = "Repository root (default: the current directory).")
    Path repo = Path.of(".");

    @Option(names = "--only", paramLabel = "PART", split = ",",
            description = "Run only these parts of a suite, e.g. the network suite's profiles (loopback, lan, wifi,"
                    + " wifi-busy, wifi-bursts, asymmetric), the network-clock suite's runs (skew, step), the listen suite's"
                    + " (timed, plain, bwv846, stall, calibration) or the scale suite's rows (legacy-16 ... timed-1000), so that each run"
                    + " stays short. Default: all.")
    List<String> only = new ArrayList<>();

    @Option(names = "--keep-cpus-busy", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "While the listen suite records real audio lines, keep every CPU busy at the lowest priority"
                    + " (SCHED_IDLE), so that a virtual machine's CPUs never halt: a host slow to wake them stops the"
                    + " sound server and every player at once. --no-keep-cpus-busy measures with the CPUs left to idle."
                    + " Default: ${DEFAULT-VALUE}.")
    boolean keepCpusBusy = true;

    @Option(names = "--list", description = "List the suites and exit.")
    boolean list;

    private final List<Suite> available;

    BenchMain(List<Suite> available) {
        this.available = available;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true"); // charts are drawn off-screen, with or without a display
        // Ctrl-C or SIGTERM mid-suite: stop every process a suite started (players, ensembles,
        // directors), which the suites' own try-with-resources cannot do once the JVM is exiting.
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy), "bench-stop-children"));
        System.exit(new CommandLine(new BenchMain(Suites.all())).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (list || available.isEmpty()) {
            System.out.println(available.isEmpty() ? "No suites are available in this build yet." : "Suites:");
            for (Suite s : available) {
                System.out.printf("  %-10s %s%n", s.name(), s.description());
            }
            return available.isEmpty() ? 2 : 0;
        }
        List<Suite> chosen = new ArrayList<>();
        for (String name : suites) {
            chosen.add(available.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(
                    () -> new CommandLine.ParameterException(new CommandLine(this),
                            "unknown suite '" + name + "'; run with --list to see them")));
        }
        if (chosen.isEmpty()) {
            chosen.addAll(available);
        }
        Path dir = out != null ? out
                : repo.resolve("bench-results").resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        BenchContext ctx = new BenchContext(repo.toAbsolutePath().normalize(), dir.toAbsolutePath(), quick, System.out, only,
                keepCpusBusy);
        StringBuilder report = new StringBuilder("# Concerto benchmark report\n\n")
                .append(MachineInfo.describe()).append("\n\nCommand: `./concerto bench")
                .append(suites.isEmpty() ? "" : " " + String.join(" ", suites)).append(quick ? " --quick" : "")
                .append(only.isEmpty() ? "" : " --only " + String.join(",", only)).append("`\n\n");
        int failures = 0;
        for (Suite s : chosen) {
            System.out.printf("== %s: %s%n", s.name(), s.description());
            report.append("## ").append(s.name()).append("\n\n").append(s.description()).append("\n\n");
            double load0 = LoadAverage.now();
            CpuSteal steal0 = CpuSteal.now();
            long t0 = System.nanoTime();
            try {
                for (Table t : s.run(ctx)) {
                    System.out.println(t.toText());
                    report.append(t.toMarkdown()).append('\n');
                }
                String context = String.format(Locale.ROOT, "%s took %.0f s; load average (1 min) %.2f before, %.2f after;"
                        + " the host's steal %s (%d cores shared with other work: timing figures are only as quiet as"
                        + " the machine).", s.name(), (System.nanoTime() - t0) / 1e9, load0, LoadAverage.now(),
                        CpuSteal.format(CpuSteal.percentSinceNow(steal0)), Runtime.getRuntime().availableProcessors());
                System.out.println(context);
                report.append(context).append("\n\n");
            } catch (Exception e) {
                failures++;
                System.out.println("   FAILED: " + e.getMessage());
                report.append("Failed: ").append(e.getMessage()).append("\n\n");
            }
        }
        Path md = dir.resolve("report.md");
        Files.writeString(md, report, StandardCharsets.UTF_8);
        System.out.println("Report: " + md);
        return failures == 0 ? 0 : 1;
    }
}
