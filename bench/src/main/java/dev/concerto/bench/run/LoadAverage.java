package dev.concerto.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's 1-minute load average from /proc/loadavg: context for every timing figure. */
public final class LoadAverage {

    private LoadAverage() {
    }

    /** The 1-minute load average, or NaN when unavailable (not Linux). */
    public static double now() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
