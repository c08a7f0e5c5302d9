package dev.concerto.bench.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** One line that says what machine a report was measured on. */
final class MachineInfo {

    private MachineInfo() {
    }

    static String describe() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(cpu);
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: keep "unknown CPU"
        }
        return String.format("Machine: %s, %d cores, %s %s, Java %s", cpu, Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"));
    }
}
