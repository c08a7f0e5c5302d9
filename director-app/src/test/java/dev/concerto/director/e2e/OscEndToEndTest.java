package dev.concerto.director.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.illposed.osc.BufferBytesReceiver;
import com.illposed.osc.OSCBundle;
import com.illposed.osc.OSCMessage;
import com.illposed.osc.OSCSerializerAndParserBuilder;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.live.LiveOptions;
import dev.concerto.director.live.LiveSession;
import dev.concerto.director.live.NtpTime;
import dev.concerto.director.live.OscInbox;
import dev.concerto.director.live.OscLoadPolicy;
import dev.concerto.director.score.TimedNote;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.VoiceTimeline;
import dev.concerto.protocol.Clock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OSC end to end against the real tools of Debian's {@code liblo-tools}: {@code oscsend} drives the
 * director, {@code oscdump} receives what it publishes (state, tempo, position, notes); bundles
 * time-tagged with JavaOSC play at their tag, not on arrival; fuzzed datagrams are counted and
 * never stop it. Every datagram stays on 127.0.0.1 ({@code oscdump} binds every interface: only
 * loopback traffic is sent to it).
 */
class OscEndToEndTest {

    @TempDir
    Path dir;

    /** A plain-integer player stand-in: records each frequency and when it arrived. */
    static final class Capture implements AutoCloseable {
        record Got(int hz, long nanos) {
        }

        final DatagramSocket socket;
        final List<Got> got = new CopyOnWriteArrayList<>();
        final Thread thread;

        Capture() throws Exception {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            thread = new Thread(() -> {
                byte[] b = new byte[64];
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(b, b.length);
                        socket.receive(p);
                        long now = System.nanoTime();
                        got.add(new Got(Integer.parseInt(new String(b, 0, p.getLength(), StandardCharsets.US_ASCII).trim()), now));
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "capture");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** oscdump's lines, read as they come. */
    static final class Dump implements AutoCloseable {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();

        Dump(int port) throws Exception {
            process = new ProcessBuilder("oscdump", "-L", String.valueOf(port)).redirectErrorStream(true).start();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line.trim());
                    }
                } catch (Exception ignored) {
                    // the process ended
                }
            }, "oscdump");
            t.setDaemon(true);
            t.start();
        }

        boolean await(Predicate<String> p) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < end) {
                if (lines.stream().anyMatch(p)) {
                    return true;
                }
                Thread.sleep(20);
            }
            return false;
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    static Timeline score() {
        List<TimedNote> notes = new ArrayList<>();
        for (int k = 0; k < 16; k++) {
            notes.add(new TimedNote(0.5 * k, 0.25, 0.5 * k, 0.25, 220 + 10 * k, "n" + k));
        }
        List<Double> starts = new ArrayList<>();
        List<Double> beats = new ArrayList<>();
        for (int m = 0; m < 4; m++) {
            starts.add(2.0 * m);
            beats.add(4.0 * m);
        }
        return new Timeline("osc", "", 120, List.of(new VoiceTimeline("v0", notes), new VoiceTimeline("v1", List.of())),
                8, 16, starts, beats);
    }

    private static void oscsend(int port, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("oscsend", "127.0.0.1", String.valueOf(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("oscsend %s: %s", List.of(args), new String(p.getInputStream().readAllBytes())).isZero();
    }

    private static int freePort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    private static <T> boolean await(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < end) {
            if (c.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    @Test
    void oscsendDrivesTheDirectorAndOscdumpHearsIt() throws Exception {
        assertThat(Path.of("/usr/bin/oscsend")).as("Debian liblo-tools (installed by .ci/run)").exists();
        Files.writeString(dir.resolve("allowed.json"), Files.readString(Path.of("..", "scores", "ode-to-joy.json")));
        int dumpPort = freePort();
        try (Capture p0 = new Capture(); Capture p1 = new Capture(); Dump dump = new Dump(dumpPort)) {
            Roster roster = new Roster("osc", List.of(new RosterEntry("p0", "127.0.0.1", p0.port(), dev.concerto.director.engine.Protocol.LEGACY, "v0"),
                    new RosterEntry("p1", "127.0.0.1", p1.port(), dev.concerto.director.engine.Protocol.LEGACY, "v1")));
            LiveOptions options = LiveOptions.defaults().withOsc(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    List.of(), 20, OscLoadPolicy.fromFolder(dir));
            try (LiveSession session = LiveSession.open(roster, score(), options, Clock.SYSTEM)) {
                int port = session.oscAddress().getPort();
                assertThat(session.oscAddress().getAddress().isLoopbackAddress()).isTrue();
                oscsend(port, "/concerto/subscribe", "si", "127.0.0.1", String.valueOf(dumpPort));
                assertThat(await(() -> session.oscOut().subscribers().size() == 1)).isTrue();

                // a direct note: sounds, then ends by itself
                oscsend(port, "/concerto/note", "sff", "v1", "440", "0.2");
                assertThat(await(() -> p1.got.stream().anyMatch(g -> g.hz() == 440))).isTrue();
                assertThat(await(() -> !p1.got.isEmpty() && p1.got.get(p1.got.size() - 1).hz() == 0)).isTrue();
                assertThat(dump.await(l -> l.endsWith("/concerto/sounding ssf \"p1\" \"v1\" 440.000000"))).isTrue();

                // the transport: tempo, play (state and position out), pause
                oscsend(port, "/concerto/tempo", "f", "90");
                oscsend(port, "/concerto/play");
                assertThat(dump.await(l -> l.contains("/concerto/state s \"playing\""))).isTrue();
                assertThat(dump.await(l -> l.contains("/concerto/tempo f 90.0"))).isTrue();
                assertThat(dump.await(l -> l.contains("/concerto/position if 1 "))).isTrue();
                assertThat(await(() -> p0.got.stream().anyMatch(g -> g.hz() == 220))).as("the score plays").isTrue();
                oscsend(port, "/concerto/seek", "i", "3");
                oscsend(port, "/concerto/pause");
                assertThat(dump.await(l -> l.contains("/concerto/state s \"paused\""))).isTrue();
                assertThat(session.state().measure()).isEqualTo(3);
                oscsend(port, "/concerto/stop");
                assertThat(dump.await(l -> l.contains("/concerto/state s \"stopped\""))).isTrue();

                // a bundle time-tagged 300 ms ahead, built with JavaOSC: played at its tag, not on arrival
                long tagEpoch = Clock.SYSTEM.epochMicros() + 300_000;
                long tagNanos = System.nanoTime() + 300_000_000L;
                send(port, new OSCBundle(List.of(new OSCMessage("/concerto/voice/v1/hz", List.of(550f))), NtpTime.tag(tagEpoch)));
                assertThat(await(() -> p1.got.stream().anyMatch(g -> g.hz() == 550))).isTrue();
                long arrived = p1.got.stream().filter(g -> g.hz() == 550).findFirst().orElseThrow().nanos();
                assertThat(arrived).as("not before its tag (a 10 ms allowance for the two clocks' reading)")
                        .isGreaterThan(tagNanos - 10_000_000L);

                // loading over OSC: only from the configured folder
                oscsend(port, "/concerto/load", "s", "../../etc/passwd");
                oscsend(port, "/concerto/load", "s", "allowed.json");
                assertThat(await(() -> session.timeline().title().toLowerCase().contains("ode"))).isTrue();

                // fuzz: garbage never stops it, and is counted
                Random random = new Random(3);
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                    for (int i = 0; i < 2_000; i++) {
                        byte[] b = new byte[1 + random.nextInt(120)];
                        random.nextBytes(b);
                        if (i % 3 == 0) {
                            System.arraycopy("/concerto/note\0\0,".getBytes(StandardCharsets.US_ASCII), 0, b, 0, Math.min(b.length, 17));
                        }
                        s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
                        if (i % 200 == 0) {
                            Thread.sleep(2); // bounded: 2,000 datagrams over ~20 ms
                        }
                    }
                }
                oscsend(port, "/concerto/voice/v1/hz", "f", "660");
                assertThat(await(() -> p1.got.stream().anyMatch(g -> g.hz() == 660))).as("still obeys after the fuzz").isTrue();
                assertThat(await(() -> session.oscCounts().problems().getOrDefault(OscInbox.Problem.MALFORMED, 0L) > 100)).isTrue();
                assertThat(p1.got).allSatisfy(g -> assertThat(g.hz()).isIn(0, 440, 550, 660));
            }
        }
    }

    private static void send(int port, com.illposed.osc.OSCPacket packet) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4096);
        new OSCSerializerAndParserBuilder().buildSerializer(new BufferBytesReceiver(b)).write(packet);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.send(new DatagramPacket(b.array(), b.position(), InetAddress.getLoopbackAddress(), port));
        }
    }
}
