package dev.concerto.director.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The play and render commands, in process, to loopback receivers on ephemeral ports. */
class PlayCommandTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = DirectorMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A plain-integer receiver recording what arrives; closing the socket stops its thread. */
    static final class Receiver implements AutoCloseable {
        final DatagramSocket socket;
        final List<Integer> got = new CopyOnWriteArrayList<>();

        Receiver() throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            Thread t = new Thread(() -> {
                byte[] buf = new byte[16];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    while (true) {
                        socket.receive(p);
                        String text = new String(buf, 0, p.getLength(), "US-ASCII");
                        got.add(text.matches("[0-9]+") ? Integer.parseInt(text) : -1); // -1: not a plain integer
                    }
                } catch (SocketException closed) {
                    // stopped
                } catch (IOException e) {
                    got.add(-1);
                }
            });
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @Test
    void playsTheTing2017ScoreToARosterAndReportsAccuracy() throws Exception {
        try (Receiver h1 = new Receiver(); Receiver h2 = new Receiver(); Receiver h3 = new Receiver(); Receiver h4 = new Receiver()) {
            Path roster = dir.resolve("roster.json");
            Files.writeString(roster, String.format("{\"players\":["
                    + "{\"name\":\"HOST1\",\"host\":\"127.0.0.1\",\"port\":%d,\"voice\":\"tenor\"},"
                    + "{\"name\":\"HOST2\",\"host\":\"127.0.0.1\",\"port\":%d,\"voice\":\"arpeggio\"},"
                    + "{\"name\":\"HOST3\",\"host\":\"127.0.0.1\",\"port\":%d,\"voice\":\"bass\"},"
                    + "{\"name\":\"HOST4\",\"host\":\"127.0.0.1\",\"port\":%d,\"voice\":\"host4\"}]}",
                    h1.socket.getLocalPort(), h2.socket.getLocalPort(), h3.socket.getLocalPort(), h4.socket.getLocalPort()));
            Path events = dir.resolve("events.jsonl");
            Run r = run("play", "../scores/bwv846-ting2017.json", "--roster", roster.toString(), "--tempo", "2000",
                    "--from", "31", "--events", events.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("finished: 32 measures").contains("schedule accuracy").contains("p99");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (h3.got.size() < 1 + 2 * 2 + 3 + 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            // Chord 30's stop (due where measure 31 starts), chords 31 and 32 (G2, C2 in the bass) with a
            // stop after each, then the silences at the end and at close.
            assertThat(h3.got).containsExactly(0, 98, 0, 65, 0, 0, 0, 0, 0, 0, 0);
            assertThat(h4.got).containsOnly(0);
            ObjectMapper json = new ObjectMapper();
            List<String> lines = Files.readAllLines(events);
            assertThat(lines).isNotEmpty();
            assertThat(json.readTree(lines.get(0)).get("player").asText()).isEqualTo("HOST3");
            assertThat(json.readTree(lines.get(0)).get("dst").asText()).isEqualTo("127.0.0.1:" + h3.socket.getLocalPort());
        }
    }

    @Test
    void badInputGetsAClearMessageAndExitCode1() throws Exception {
        Path roster = dir.resolve("bad.json");
        Files.writeString(roster, "{\"players\":[{\"name\":\"a\",\"host\":\"127.0.0.1\",\"port\":0,\"voice\":\"bass\"}]}");
        Run r = run("play", "../scores/bwv846.json", "--roster", roster.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("bad.json").contains("players[0].port");

        Run missing = run("play", dir.resolve("nope.json").toString(), "--roster", roster.toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.json");
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(run("play", "../scores/bwv846.json", "--from", "99").code()).isEqualTo(2);
        assertThat(run("play", "../scores/bwv846.json", "--roster", "r.json", "--local").code()).isEqualTo(2);
        assertThat(run("play", "../scores/bwv846.json", "--tempo", "0").code()).isEqualTo(2);
        assertThat(run("play").code()).isEqualTo(2);
    }

    @Test
    void localPlayersArePlayedWithTheTimedProtocolAndTheEndShowsTheirClocks() throws Exception {
        Path key = dir.resolve("concerto.key");
        Files.write(key, "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Run r = run("play", "../scores/bwv846-ting2017.json", "--local", "--tempo", "2000", "--from", "31",
                "--lead-ms", "50", "--redundancy", "2", "--key-file", key.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("[timed]").contains("every note 50 ms ahead").contains("each message 2 times");
        assertThat(r.out()).contains("finished: 32 measures").contains("schedule accuracy");
        // Each player with its outcome: what it was sent, its sync answers and clock, its network errors.
        assertThat(r.out()).containsPattern("player bass: timed, \\d+ changes \\(\\d+ tone messages, \\d+ lease renewals\\), "
                + "\\d+ datagrams sent, \\d+/\\d+ sync answers, clock offset [+-]\\d+\\.\\d{3} ms, RTT \\d+\\.\\d{3} ms, "
                + "jitter \\d+\\.\\d{3} ms, drift [+-]\\d+\\.\\d ppm \\(\\d+ samples\\), "
                + "path RTT [^,]+ · lead 50 ms ×2 · skew [+-]\\d+\\.\\d ppm, no network errors");
        // What one core sustains writing datagrams: the scheduler thread's CPU time per datagram.
        assertThat(r.out()).containsPattern("send loop: \\d+ datagrams in \\d+ ms of the scheduler thread's CPU time "
                + "\\(\\d+\\.\\d{2} us each: \\d+ datagrams per second of one core\\)");
    }

    @Test
    void timedOptionsAndSilentTimedPlayersAreUsageOrEnvironmentErrors() throws Exception {
        assertThat(run("play", "../scores/bwv846.json", "--lead-ms", "0").err()).contains("--lead-ms 0 ms is outside");
        assertThat(run("play", "../scores/bwv846.json", "--redundancy", "11").code()).isEqualTo(2);
        Run noKey = run("play", "../scores/bwv846.json", "--key-file", dir.resolve("none.key").toString());
        assertThat(noKey.code()).isEqualTo(2);
        assertThat(noKey.err()).contains("cannot read the key file");
        Path shortKey = dir.resolve("short.key");
        Files.writeString(shortKey, "tiny");
        Run tiny = run("play", "../scores/bwv846.json", "--key-file", shortKey.toString());
        assertThat(tiny.code()).isEqualTo(2);
        assertThat(tiny.err()).contains("short.key").contains("at least 16 bytes");

        try (Receiver plain = new Receiver()) {
            Path roster = dir.resolve("timed.json");
            Files.writeString(roster, String.format("{\"players\":[{\"name\":\"esp\",\"host\":\"127.0.0.1\",\"port\":%d,"
                    + "\"protocol\":\"timed\",\"voice\":\"bass\"}]}", plain.socket.getLocalPort()));
            Run r = run("play", "../scores/bwv846.json", "--roster", roster.toString(), "--sync-timeout-ms", "300");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("no clock-sync answer within 300 ms from 'esp'").contains("protocol auto");
            assertThat(plain.got).isNotEmpty().containsOnly(-1); // only clock-sync requests ("S ..."), no tone
        }
    }

    @Test
    void renderWritesAWavFasterThanRealTime() throws Exception {
        Path wav = dir.resolve("ode.wav");
        Run r = run("render", "../scores/ode-to-joy.json", wav.toString(), "--sample-rate", "8000");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote").contains("real time");
        byte[] head = Files.readAllBytes(wav);
        assertThat(new String(head, 0, 4, "US-ASCII")).isEqualTo("RIFF");
        assertThat(head.length).isGreaterThan(44 + 8000 * 2);
    }
}
