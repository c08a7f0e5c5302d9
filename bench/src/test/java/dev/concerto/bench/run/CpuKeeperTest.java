package dev.concerto.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CPU keeper's loops: one per CPU at SCHED_IDLE, gone when closed, and gone with the JVM that started them. */
class CpuKeeperTest {

    @Test
    void oneLoopPerCpuAtSchedIdleUntilClosed(@TempDir Path dir) throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        try (CpuKeeper keeper = CpuKeeper.start(dir.resolve("keeper.log"))) {
            // SCHED_IDLE needs no privilege, and chrt is util-linux's (essential on Debian).
            assertThat(keeper.running()).isEqualTo(cpus);
            assertThat(keeper.description()).startsWith(cpus + " CPUs kept busy at SCHED_IDLE");
            long idleLoops = ProcessHandle.current().children()
                    .filter(h -> h.info().command().orElse("").endsWith("sh"))
                    .filter(h -> schedPolicy(h.pid()) == 5) // SCHED_IDLE
                    .count();
            assertThat(idleLoops).isEqualTo(cpus);
            keeper.close();
            assertThat(keeper.running()).isZero();
        }
    }

    @Test
    void aLoopEndsWhenItsParentIsGone() throws Exception {
        // A parent shell that starts the loop and exits: the loop must not spin on as an orphan.
        Process parent = new ProcessBuilder("sh", "-c",
                "chrt --idle 0 sh -c '" + CpuKeeper.LOOP + "' & echo $!; sleep 0.3").redirectErrorStream(true).start();
        long loopPid;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            loopPid = Long.parseLong(out.readLine().trim());
        }
        assertThat(parent.waitFor(5, TimeUnit.SECONDS)).isTrue();
        ProcessHandle loop = ProcessHandle.of(loopPid).orElse(null);
        if (loop != null) {
            try {
                loop.onExit().get(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
            } finally {
                loop.destroyForcibly();
            }
        }
        assertThat(ProcessHandle.of(loopPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void noneKeepsNothingBusyAndSaysSo() {
        CpuKeeper none = CpuKeeper.none();
        assertThat(none.running()).isZero();
        assertThat(none.description()).contains("--no-keep-cpus-busy");
        none.close();
    }

    /** The scheduling policy of a process (field 41 of /proc/PID/stat), or -1. */
    private static int schedPolicy(long pid) {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(f[41 - 3]);
        } catch (Exception e) {
            return -1;
        }
    }
}
