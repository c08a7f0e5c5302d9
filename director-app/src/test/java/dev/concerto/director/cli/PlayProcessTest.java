package dev.concerto.director.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code play} as a real process: a signal mid-piece silences every player before the JVM exits. */
class PlayProcessTest {

    @TempDir
    Path dir;

    @Test
    void terminatingTheProcessMidPieceSilencesEveryPlayer() throws Exception {
        try (PlayCommandTest.Receiver h1 = new PlayCommandTest.Receiver();
             PlayCommandTest.Receiver h2 = new PlayCommandTest.Receiver();
             PlayCommandTest.Receiver h3 = new PlayCommandTest.Receiver();
             PlayCommandTest.Receiver h4 = new PlayCommandTest.Receiver()) {
            Path roster = dir.resolve("roster.json");
            Files.writeString(roster, String.format("{\"players\":["
                    + "{\"name\":\"HOST1\",\"host\":\"127.0.0.1\",\"port\":%d,\"voice\":\"tenor\"},"
                    + "{\"name\":\"HOST2\",\"host\":\"127.0.0.1\",\"port\":%d,\"voice\":\"arpeggio\"},"
                    + "{\"name\":\"HOST3\",\"host\":\"127.0.0.1\",\"port\":%d,\"voice\":\"bass\"},"
                    + "{\"name\":\"HOST4\",\"host\":\"127.0.0.1\",\"port\":%d,\"voice\":\"host4\"}]}",
                    h1.socket.getLocalPort(), h2.socket.getLocalPort(), h3.socket.getLocalPort(), h4.socket.getLocalPort()));
            // Under coreutils' timeout: a test JVM killed before its finally (a build cut off by a time
            // limit) once left this looping director sending for an hour.
            List<String> cmd = new ArrayList<>(List.of("timeout", "120", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), DirectorMain.class.getName(),
                    "play", "../scores/bwv846-ting2017.json", "--roster", roster.toString(), "--loop"));
            Path out = dir.resolve("out.txt");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(dir.resolve("err.txt").toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (h2.got.size() < 5 && System.nanoTime() < deadline && p.isAlive()) {
                    Thread.sleep(20);
                }
                assertThat(h2.got).as(Files.readString(dir.resolve("err.txt"))).hasSizeGreaterThanOrEqualTo(5);
                p.toHandle().destroy(); // SIGTERM: the same shutdown path as Ctrl-C
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            } finally {
                p.destroyForcibly();
            }
            Thread.sleep(200); // the last datagrams are already in the receivers' buffers
            for (PlayCommandTest.Receiver r : List.of(h1, h2, h3, h4)) {
                List<Integer> got = List.copyOf(r.got);
                assertThat(got.subList(got.size() - 3, got.size())).containsOnly(0);
            }
            assertThat(Files.readString(out, StandardCharsets.UTF_8)).contains("every player silenced").contains("schedule accuracy");
        }
    }
}
