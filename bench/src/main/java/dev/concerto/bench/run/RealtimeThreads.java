package dev.concerto.bench.run;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts this JVM's threads whose names start with a prefix (as {@code /proc/self/task/TID/comm} shows
 * them, 15 characters at most) at real-time priority, {@code SCHED_FIFO} {@value #PRIORITY}, with
 * util-linux's {@code chrt}, where the OS allows it (root, {@code CAP_SYS_NICE}). For the path
 * emulator: a network's delays do not wait for the machine's CPU. At normal priority on the two-core
 * development VM its releasing thread sent {@code lan}'s datagrams 2.1–4.0 ms late at p99 (the
 * profile's whole one-way delay is 0.2–0.55 ms); at {@code SCHED_FIFO} 10, 0.24–0.78 ms. A thread
 * that spins (the releasing one, at most {@code ReleaseQueue.SPIN_NANOS} per release) is bounded, so
 * the rest of the machine still runs.
 *
 * <p>Thread-safety: any thread; it changes the named threads only.
 */
public final class RealtimeThreads {

    /** The {@code SCHED_FIFO} priority given, 1..99: above PulseAudio's 5 and the players' audio at 3. */
    public static final int PRIORITY = 10;

    private RealtimeThreads() {
    }

    /**
     * Moves this JVM's threads named {@code prefix…} to {@code SCHED_FIFO} {@value #PRIORITY}.
     *
     * @return what became of it, for a report: e.g. "5 threads at SCHED_FIFO 10", or "normal priority
     *         (chrt: …)" when not permitted or not possible
     */
    public static String raise(String prefix) {
        List<String> tids = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().startsWith(prefix)) {
                        tids.add(task.getFileName().toString());
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            return "normal priority (no /proc/self/task: " + e.getMessage() + ")";
        }
        if (tids.isEmpty()) {
            return "normal priority (no thread named " + prefix + "…)";
        }
        int moved = 0;
        String failure = null;
        for (String tid : tids) {
            try {
                Process p = new ProcessBuilder("chrt", "-f", "-p", Integer.toString(PRIORITY), tid)
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes()).strip(); // until chrt exits
                int rc = p.waitFor();
                if (rc == 0) {
                    moved++;
                } else {
                    failure = out.isEmpty() ? "chrt exit " + rc : out;
                }
            } catch (IOException e) {
                failure = "no chrt: " + e.getMessage();
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return moved == tids.size() ? moved + " threads at SCHED_FIFO " + PRIORITY
                : moved + " of " + tids.size() + " threads at SCHED_FIFO " + PRIORITY + ", the rest at normal priority (" + failure + ")";
    }
}
