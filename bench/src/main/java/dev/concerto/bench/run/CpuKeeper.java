package dev.concerto.bench.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps every CPU busy at the lowest priority while a measurement of real audio lines runs, so that a
 * virtual machine's CPUs never halt: one busy loop per CPU at {@code SCHED_IDLE} (util-linux's
 * {@code chrt --idle 0}), which any other thread on the machine takes the CPU from at once.
 *
 * <p>Why: on the development VM (Firecracker, 2 vCPUs) the host is slow to wake a halted vCPU. Its
 * steal was 15.4 % of the CPU time in the seconds when the VM was 0–20 % busy, and 2.0 % when it was
 * more than 80 % busy. A listen run plays with the VM mostly idle, so every wake-up of an audio thread
 * could wait tens of milliseconds for the host, and the sound server (which simulates the sound card
 * there) stopped with the players. In runs alternated with and without these loops, 24 of 30 timed
 * and BWV 846 runs met #13's goal with them against 8 of 30 without; the median steal of a run fell
 * from 10 % to 2 %, and at the same steal both met it alike (bench/docs/listen.md, session 9). A
 * machine of its own has no steal; there the loops only keep the CPUs out of deep idle states.
 *
 * <p>Each loop polls whether the JVM that started it still runs, and ends when it does not (a bench
 * killed with SIGKILL leaves no spinning process behind). {@link #close} ends them at once.
 * Thread-safety: one owner (the suite that starts it) calls {@link #close}.
 */
public final class CpuKeeper implements AutoCloseable {

    /** The loop: spins while its parent (this JVM) lives; {@code kill -0} only asks whether it does. */
    static final String LOOP = "p=$PPID; while kill -0 \"$p\" 2>/dev/null; do :; done";

    private final List<Process> loops;
    private final String description;

    private CpuKeeper(List<Process> loops, String description) {
        this.loops = loops;
        this.description = description;
    }

    /**
     * Starts one loop per CPU this JVM may use. Never fails: where {@code chrt} is missing or refuses,
     * no loop runs and {@link #description} says why.
     *
     * @param logFile where the loops' own output (none, unless {@code chrt} complains) goes
     */
    public static CpuKeeper start(Path logFile) {
        int cpus = Runtime.getRuntime().availableProcessors();
        List<Process> loops = new ArrayList<>();
        try {
            for (int i = 0; i < cpus; i++) {
                loops.add(new ProcessBuilder("chrt", "--idle", "0", "sh", "-c", LOOP).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start());
            }
            Thread.sleep(200);
            for (Process p : loops) {
                if (!p.isAlive()) {
                    stop(loops);
                    return new CpuKeeper(List.of(), "CPUs not kept busy (chrt --idle exited with " + p.exitValue()
                            + "; see " + logFile + ")");
                }
            }
        } catch (IOException e) {
            stop(loops);
            return new CpuKeeper(List.of(), "CPUs not kept busy (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            stop(loops);
            Thread.currentThread().interrupt();
            return new CpuKeeper(List.of(), "CPUs not kept busy (interrupted)");
        }
        return new CpuKeeper(List.copyOf(loops), cpus + " CPUs kept busy at SCHED_IDLE (a VM's CPUs never halt)");
    }

    /** A keeper that keeps nothing busy ({@code --no-keep-cpus-busy}). */
    public static CpuKeeper none() {
        return new CpuKeeper(List.of(), "CPUs left to idle (--no-keep-cpus-busy)");
    }

    /** What it does, for a report, e.g. "2 CPUs kept busy at SCHED_IDLE (a VM's CPUs never halt)". */
    public String description() {
        return description;
    }

    /** Loops running now. */
    public int running() {
        return (int) loops.stream().filter(Process::isAlive).count();
    }

    @Override
    public void close() {
        stop(loops);
    }

    private static void stop(List<Process> loops) {
        loops.forEach(Process::destroy);
        for (Process p : loops) {
            try {
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
