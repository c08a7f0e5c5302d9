package dev.concerto.player.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.concerto.player.synth.Audio;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The player as a real process: SIGTERM silences, finishes the WAV, prints counters, exits 0. */
class PlayerProcessTest {

    @TempDir
    Path dir;

    static Process start(Path stderr, boolean withAlsa, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(PlayerMain.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
        if (!withAlsa) {
            pb.environment().remove("ALSA_CONFIG_PATH");
        }
        return pb.start();
    }

    @Test
    void sigtermStopsCleanlyWithExitZero() throws Exception {
        Path wav = dir.resolve("rec.wav");
        Path events = dir.resolve("ev.jsonl");
        Process p = start(dir.resolve("err.txt"), true, "--bind", "127.0.0.1:0", "--synth", "virtual",
                "--waveform", "sine", "--wav", wav.toString(), "--events", events.toString(), "--name", "proc");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).as(Files.readString(dir.resolve("err.txt"))).isNotNull();
            Matcher m = Pattern.compile("listening on udp 127\\.0\\.0\\.1:(\\d+) \\(generator: virtual").matcher(first);
            assertThat(m.find()).as(first).isTrue();
            int port = Integer.parseInt(m.group(1));
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                byte[] b = "440".getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(b, b.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            }
            Audio.await(() -> read(events).contains("\"event\":\"tone\""), "the tone event");
            Thread.sleep(500); // some audio at 440 Hz, recorded in real time
            p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of the pipes)
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            StringBuilder rest = new StringBuilder();
            for (String line; (line = out.readLine()) != null; ) {
                rest.append(line).append('\n');
            }
            assertThat(rest).contains("player 'proc' stopped: datagrams=1 tone-changes=1");
        } finally {
            p.destroyForcibly();
        }
        String ev = read(events);
        assertThat(ev.lines().findFirst().orElseThrow()).contains("wav-start");
        float[] s = Audio.readWav(wav); // header finished on exit
        assertThat(s.length).isGreaterThan(48_000 / 4);
        // The last samples are the fade-out: silence after SIGTERM.
        assertThat(Math.abs(s[s.length - 1])).isLessThan(1e-3f);
    }

    @Test
    void javasoundWithoutSoundCardExitsTwo() throws Exception {
        Path err = dir.resolve("err2.txt");
        Process p = start(err, false, "--bind", "127.0.0.1:0", "--synth", "javasound");
        try {
            boolean ended = p.waitFor(30, TimeUnit.SECONDS);
            if (!ended) {
                p.toHandle().destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            assumeTrue(ended, "this machine has a real sound card");
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(Files.readString(err)).contains("no audio output").contains("--synth virtual");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void autoWithoutSoundCardFallsBackToVirtualAndSaysWhy() throws Exception {
        Path err = dir.resolve("err3.txt");
        Process p = start(err, false, "--bind", "127.0.0.1:0");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).isNotNull();
            assumeTrue(!first.contains("generator: javasound"), "this machine has a real sound card");
            assertThat(first).contains("generator: virtual");
            assertThat(Files.readString(err)).contains("warning: no sound card");
            p.toHandle().destroy();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
