package dev.concerto.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a suite needs: where the repository and its jars are, where to write, how hard to try.
 *
 * @param repoRoot the repository (scores are read from {@code scores/})
 * @param outDir   the directory for this run's report, charts and raw files
 * @param quick    a shorter run (every suite under 3 minutes on 2 cores)
 * @param log      progress output
 * @param only     the parts of a suite to run (e.g. the network suite's profiles), by name; empty: all
 * @param keepCpusBusy whether suites of real audio lines keep the CPUs from halting while they measure
 *                     ({@link dev.concerto.bench.run.CpuKeeper})
 */
public record BenchContext(Path repoRoot, Path outDir, boolean quick, PrintStream log, List<String> only,
                           boolean keepCpusBusy) {

    public BenchContext {
        only = List.copyOf(only);
    }

    /** Every part of every suite, the CPUs kept busy. */
    public BenchContext(Path repoRoot, Path outDir, boolean quick, PrintStream log) {
        this(repoRoot, outDir, quick, log, List.of(), true);
    }

    /** Whether the part named {@code name} is to run ({@code --only} not given, or naming it). */
    public boolean runs(String name) {
        return only.isEmpty() || only.contains(name);
    }

    /** The runnable jar of a module ({@code player-node}, {@code director-app}). */
    public Path jar(String module) throws IOException {
        Path target = repoRoot.resolve(module).resolve("target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(p -> p.getFileName().toString().matches(module + "-.*-all\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no runnable jar in " + target
                            + ": build first (./concerto builds it, or ./mvnw -DskipTests package)"));
        }
    }

    /** A path inside this run's output directory, its parent directories created. */
    public Path file(String relative) throws IOException {
        Path p = outDir.resolve(relative);
        Files.createDirectories(p.getParent());
        return p;
    }
}
