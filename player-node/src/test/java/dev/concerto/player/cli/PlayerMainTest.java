package dev.concerto.player.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.player.synth.Audio;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PlayerMainTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = PlayerMain.commandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpDocumentsEveryOption() {
        Run r = run(new PlayerMain(), "--help");
        assertThat(r.exit).isZero();
        for (String o : new String[] {"--bind", "--name", "--synth", "--wav", "--waveform", "--volume",
            "--buffer-ms", "--sample-rate", "--gpio", "--pwm-provider", "--allow", "--watchdog", "--events",
            "--key-file", "timed protocol",
            "javasound", "pi4j", "virtual", "sawtooth", "0.0.0.0:10001", "Exit codes"}) {
            assertThat(r.out).as(o).contains(o);
        }
        Run e = run(new EnsembleMain(), "--help");
        assertThat(e.exit).isZero();
        assertThat(e.out).contains("--count", "--bind", "--synth", "--events", "{port}", "--key-file");
    }

    @Test
    void portInUseExitsTwoNamingThePort() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = taken.getLocalPort();
            Run r = run(new PlayerMain(), "--bind", "127.0.0.1:" + port, "--synth", "null");
            assertThat(r.exit).isEqualTo(2);
            assertThat(r.err).contains("port " + port).contains("in use");
        }
    }

    @Test
    void addressNotOnThisMachineExitsTwo() {
        // 192.0.2.1 is TEST-NET-1: never assigned to this machine; binding sends nothing.
        Run r = run(new PlayerMain(), "--bind", "192.0.2.1:0", "--synth", "null");
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("192.0.2.1").contains("not an address of this machine");
    }

    @Test
    void anUnusableKeyFileIsAUsageErrorThatSaysWhy() throws Exception {
        Path shortKey = Files.write(dir.resolve("short.key"), "only-15-bytes!!".getBytes(StandardCharsets.US_ASCII));
        Run r = run(new PlayerMain(), "--key-file", shortKey.toString(), "--synth", "null");
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("short.key holds 15 bytes").contains("at least 16");
        Run missing = run(new EnsembleMain(), "--count", "2", "--key-file", dir.resolve("nope.key").toString(),
                "--synth", "null");
        assertThat(missing.exit).isEqualTo(2);
        assertThat(missing.err).contains("nope.key: no such file");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(run(new PlayerMain(), "--volume", "3", "--synth", "null").exit).isEqualTo(2);
        assertThat(run(new PlayerMain(), "--waveform", "noise", "--synth", "null").exit).isEqualTo(2);
        assertThat(run(new PlayerMain(), "--bind", "::1:5", "--synth", "null").err).contains("brackets");
        assertThat(run(new PlayerMain(), "--synth", "wav").err).contains("--wav");
        assertThat(run(new PlayerMain(), "--allow", "nonsense", "--synth", "null").exit).isEqualTo(2);
    }

    @Test
    void runsUntilStoppedThenPrintsCounters() throws Exception {
        PlayerMain main = new PlayerMain();
        Path events = dir.resolve("ev.jsonl");
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Run> f = ex.submit(() -> run(main, "--bind", "[::1]:0", "--synth", "null", "--name", "p1",
                    "--events", events.toString(), "--allow", "::1"));
            Audio.await(() -> main.node != null || f.isDone(), "the player to listen");
            assertThat(f.isDone()).as("player exited early").isFalse();
            InetSocketAddress to = main.node.localAddress();
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
                for (String d : new String[] {"440", "nope", "0"}) {
                    byte[] b = d.getBytes(StandardCharsets.US_ASCII);
                    s.send(new DatagramPacket(b, b.length, to));
                }
            }
            Audio.await(() -> main.node.counters().datagrams() == 3, "3 datagrams");
            main.stop.countDown();
            Run r = f.get(20, TimeUnit.SECONDS);
            assertThat(r.exit).isZero();
            assertThat(r.out).contains("player 'p1' listening on udp [::1]:" + to.getPort())
                    .contains(" (generator: null");
            assertThat(r.out).contains("datagrams=3 tone-changes=2").contains("not-a-number=1");
            assertThat(Files.readString(events)).contains("\"event\":\"packet\"").contains("\"hz\":440");
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void ensembleRunsNPlayers() throws Exception {
        EnsembleMain main = new EnsembleMain();
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Run> f = ex.submit(() -> run(main, "--count", "3", "--bind", "127.0.0.1:0", "--synth", "null"));
            Audio.await(() -> main.ensemble != null || f.isDone(), "the ensemble to listen");
            assertThat(f.isDone()).isFalse();
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                byte[] b = "262".getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(b, b.length, main.ensemble.addresses().get(1)));
            }
            Audio.await(() -> main.ensemble.counters(1).toneChanges() == 1, "player 2 to play");
            assertThat(main.ensemble.counters(0).datagrams()).isZero();
            main.stop.countDown();
            Run r = f.get(20, TimeUnit.SECONDS);
            assertThat(r.exit).isZero();
            assertThat(r.out).contains("player 'voice-2' listening on udp 127.0.0.1:")
                    .contains("player 'voice-2' stopped: datagrams=1 tone-changes=1");
        } finally {
            ex.shutdownNow();
        }
    }
}
