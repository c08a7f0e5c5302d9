package dev.concerto.bench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real processes ({@code sleep}) stopped and continued by {@link HostStalls}: behaviour, not timing. */
class HostStallsTest {

    /** The process's state letter from /proc/PID/stat: 'T' stopped, 'S' sleeping. */
    private static char state(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    @Test
    void stopsEveryProcessForAWhileAndLeavesNoneStopped() throws Exception {
        Process a = new ProcessBuilder("sleep", "60").start();
        Process b = new ProcessBuilder("sleep", "60").start();
        try {
            HostStalls.Plan plan = new HostStalls.Plan(Duration.ofMillis(300), Duration.ofMillis(200));
            boolean seenStopped = false;
            try (HostStalls stalls = HostStalls.start(plan, List.of(a.pid(), b.pid()))) {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (stalls.stalls().size() < 2 && System.nanoTime() < deadline) {
                    seenStopped |= state(a.pid()) == 'T' && state(b.pid()) == 'T';
                    Thread.sleep(5);
                }
                assertThat(stalls.stalls()).as("stalls within 20 s").hasSizeGreaterThanOrEqualTo(2);
                for (HostStalls.Stall s : stalls.stalls()) {
                    assertThat(s.processes()).isEqualTo(2);
                    assertThat(s.lengthMs()).as("stopped at least as long as planned").isGreaterThanOrEqualTo(200);
                }
            }
            assertThat(seenStopped).as("both processes seen stopped at once").isTrue();
            assertThat(state(a.pid())).as("a after close").isNotEqualTo('T');
            assertThat(state(b.pid())).as("b after close").isNotEqualTo('T');
        } finally {
            a.destroyForcibly();
            b.destroyForcibly();
        }
    }

    @Test
    void closingDuringAStallContinuesTheProcessesAtOnce() throws Exception {
        Process a = new ProcessBuilder("sleep", "60").start();
        try {
            HostStalls.Plan plan = new HostStalls.Plan(Duration.ofMillis(1000), Duration.ofMillis(900));
            assertThat(plan.describe()).isEqualTo("900 ms every 1.0 s");
            HostStalls stalls = HostStalls.start(plan, List.of(a.pid()));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (state(a.pid()) != 'T' && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            assertThat(state(a.pid())).as("stopped by the first stall").isEqualTo('T');
            stalls.close();
            assertThat(state(a.pid())).as("after close").isNotEqualTo('T');
            assertThat(stalls.stalls()).hasSize(1);
        } finally {
            a.destroyForcibly();
        }
    }

    @Test
    void aStallLongerThanItsPeriodIsRefused() {
        assertThatThrownBy(() -> new HostStalls.Plan(Duration.ofMillis(50), Duration.ofMillis(60)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shorter than the period");
    }
}
