package dev.concerto.bench.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.concerto.bench.BenchContext;
import dev.concerto.bench.run.PulseAudioSink;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real javax.sound lines into a private PulseAudio daemon's null sink, recorded from its monitor:
 * two player processes on loopback play a short sync-test score and both are heard in their own
 * bands. Behaviour only: what the recording holds, not when (timing goes to the listen
 * benchmark). Needs Debian's pulseaudio, pulseaudio-utils and libasound2-plugins (.ci/run installs
 * them); skipped with that message where they are missing.
 */
class ListenIntegrationTest {

    static PulseAudioSink pulse;
    @TempDir
    static Path out;

    @BeforeAll
    static void startPulse() throws Exception {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/pulseaudio")) && Files.isExecutable(Path.of("/usr/bin/parecord"));
        assumeTrue(installed, "PulseAudio is not installed (apt-get install " + String.join(" ", PulseAudioSink.PACKAGES)
                + "; .ci/run does it): the real-line test is skipped");
        pulse = PulseAudioSink.start(48_000, out.resolve("pulseaudio.log"));
    }

    @AfterAll
    static void stopPulse() {
        if (pulse != null) {
            pulse.close();
        }
    }

    static BenchContext context() {
        return new BenchContext(Path.of("..").toAbsolutePath().normalize(), out, true, new PrintStream(System.out, true));
    }

    @Test
    void twoTimedPlayersOnRealLinesAreBothHeardForEveryNote() throws Exception {
        BenchContext ctx = context();
        Path score = ListenScores.syncTest(ctx.file("listen/two.json"), 6, 2);
        ListenAnalysis.Run run = ListenRecording.record(ctx, pulse, score, "timed", "it timed", 2, List.of());
        assertThat(run.expected()).isEqualTo(6);
        // Heard at all, in its own band: how many and when is the listen benchmark's business (a busy
        // machine stalls PulseAudio itself, and the player then skips audio to stay in time).
        assertThat(run.onsetsFound()).as("onsets per player").hasSize(2);
        for (int n : run.onsetsFound()) {
            assertThat(n).as("onsets in a player's band").isPositive();
        }
        // Each player on a real line states its output latency in its sync replies; the director shows it.
        String summary = Files.readString(out.resolve("listen/it-timed/director.log"));
        assertThat(summary.lines().filter(l -> l.startsWith("player ") && l.matches(".*, output latency \\d+\\.\\d ms.*")))
                .as("play's summary lines with an output latency\n" + summary).hasSize(2);
    }

    @Test
    void twoPlainIntegerPlayersOnRealLinesAreBothHeard() throws Exception {
        BenchContext ctx = context();
        Path score = ListenScores.syncTest(ctx.file("listen/two-plain.json"), 6, 2);
        ListenAnalysis.Run run = ListenRecording.record(ctx, pulse, score, "legacy", "it plain", 2, List.of());
        assertThat(run.onsetsFound()).as("onsets per player").hasSize(2);
        for (int n : run.onsetsFound()) {
            assertThat(n).as("onsets in a player's band").isPositive();
        }
    }
}
