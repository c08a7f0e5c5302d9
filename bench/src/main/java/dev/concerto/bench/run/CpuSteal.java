package dev.concerto.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The share of the machine's CPU time that a hypervisor gave to others while this machine wanted it
 * ("steal", from the first line of {@code /proc/stat}): context for every timing figure measured on a
 * virtual machine. When a host takes a virtual CPU away for tens of milliseconds, everything on it stops
 * at once — the sound server, the players, the director — and audio lines run dry; on the VM these
 * benchmarks were written on, runs with more steal had more line corrections (bench/docs/final-2026-12-03).
 *
 * <p>Immutable; thread-safe.
 *
 * @param totalJiffies all CPU time the kernel accounted on every CPU, in clock ticks (USER_HZ), steal included
 * @param stealJiffies of which stolen, in clock ticks
 */
public record CpuSteal(long totalJiffies, long stealJiffies) {

    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** The counters now, or null where {@code /proc/stat} cannot be read or has no steal field (not Linux). */
    public static CpuSteal now() {
        try {
            return parse(Files.readString(PROC_STAT));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The counters in a {@code /proc/stat} text: its {@code cpu} line's fields user, nice, system, idle,
     * iowait, irq, softirq, steal (guest time is already counted in user and nice).
     *
     * @throws IllegalArgumentException when there is no {@code cpu} line with at least eight numbers
     */
    static CpuSteal parse(String procStat) {
        for (String line : procStat.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("cpu")) {
                if (f.length < 9) {
                    throw new IllegalArgumentException("/proc/stat's cpu line has no steal field: " + line);
                }
                long total = 0;
                for (int i = 1; i <= 8; i++) {
                    total += Long.parseLong(f[i]);
                }
                return new CpuSteal(total, Long.parseLong(f[8]));
            }
        }
        throw new IllegalArgumentException("/proc/stat has no cpu line");
    }

    /**
     * Steal between {@code before} and this, as a percentage (0..100) of all CPU time in between; NaN when
     * either is null or no time passed.
     */
    public double percentSince(CpuSteal before) {
        if (before == null || totalJiffies <= before.totalJiffies) {
            return Double.NaN;
        }
        return 100.0 * (stealJiffies - before.stealJiffies) / (totalJiffies - before.totalJiffies);
    }

    /** Steal from {@code before} until now, as {@link #percentSince}; NaN where not measurable. */
    public static double percentSinceNow(CpuSteal before) {
        CpuSteal after = now();
        return after == null ? Double.NaN : after.percentSince(before);
    }

    /** A percentage as the reports show it ("12 %", or "–" when not measured). */
    public static String format(double percent) {
        return Double.isNaN(percent) ? "–" : String.format(Locale.ROOT, "%.0f %%", percent);
    }
}
