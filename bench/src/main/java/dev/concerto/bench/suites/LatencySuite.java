package dev.concerto.bench.suites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.bench.BenchContext;
import dev.concerto.bench.Suite;
import dev.concerto.bench.report.Charts;
import dev.concerto.bench.report.LineFit;
import dev.concerto.bench.report.Stats;
import dev.concerto.bench.report.Table;
import dev.concerto.bench.run.LoopbackPorts;
import dev.concerto.bench.run.LauncherJvmOptions;
import dev.concerto.bench.run.ManagedProcess;
import dev.concerto.bench.run.PlayerProcesses;
import dev.concerto.bench.run.PulseAudioSink;
import dev.concerto.protocol.LegacyCodec;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * Datagram to sound on a real javax.sound line: a player process with {@code --synth javasound}
 * writing into ALSA "default", routed to a private PulseAudio daemon's null sink, which consumes in
 * real time. The bench sends notes at irregular intervals; the player's events give, per datagram,
 * when it was received, the frame where the change was applied and the generator's estimate of
 * when that frame leaves the line (its queued frames included). The frames the line took per second
 * of wall clock say whether the line kept real time: if it did not, the sound estimates are wrong
 * and the table says so.
 */
public final class LatencySuite implements Suite {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RATE = 48_000;
    private static final int[] SCALE = {262, 330, 392, 523, 659, 784};

    @Override
    public String name() {
        return "latency";
    }

    @Override
    public String description() {
        return "datagram received to sound on a javax.sound line into a PulseAudio null sink, buffers 10/20/40 ms";
    }

    /** One buffer size's figures. */
    record Result(int bufferMs, int pairs, Stats applied, Stats sound, double framesPerSecond, String generator) {
    }

    @Override
    public List<Table> run(BenchContext ctx) throws Exception {
        int notes = ctx.quick() ? 100 : 400;
        PulseAudioSink.ensureInstalled(ctx.log(), ctx.file("latency/apt-get.log"));
        List<Result> results = new ArrayList<>();
        try (PulseAudioSink pulse = PulseAudioSink.start(RATE, ctx.file("latency/pulseaudio.log"))) {
            ctx.log().printf("   private PulseAudio daemon pid %d, null sink 'vsink' at %d Hz%n", pulse.pid(), RATE);
            for (int bufferMs : List.of(10, 20, 40)) {
                results.add(measure(ctx, pulse, bufferMs, notes));
            }
        }
        Table table = new Table("Receive to sound on a javax.sound line (ms; PulseAudio null sink, " + notes
                + " notes at 40–80 ms intervals)", "buffer (ms)", "datagrams", "receive → applied p50 / p99 / max",
                "receive → sound p50 / p99 / max", "line consumed (frames/s)", "real time?");
        boolean slow = false;
        for (Result r : results) {
            double ratio = r.framesPerSecond() / RATE;
            boolean realTime = Math.abs(ratio - 1) < 0.02;
            slow |= !realTime;
            table.row(r.bufferMs(), r.pairs(), r.applied().summaryMs(), r.sound().summaryMs(),
                    String.format("%.0f (%.0f %%)", r.framesPerSecond(), 100 * ratio),
                    realTime ? "yes" : "NO: figures not valid");
        }
        for (Result r : results) {
            table.note("buffer " + r.bufferMs() + " ms: player's " + r.generator());
        }
        table.note("Applied = the audio thread put the change at a frame (the player's `tone` event); sound = the"
                + " generator's estimate of when that frame leaves the line (now + frames queued in the line)."
                + " Line consumed = slope of the applied frame against the wall clock over the run (48000 = real time).");
        if (slow) {
            table.note("**The line did not consume audio in real time on this machine** (Java's ALSA line into the"
                    + " PulseAudio null sink). A blocked write then holds the audio thread, changes wait longer than a"
                    + " buffer, and 'sound' estimates assume a real-time line: those rows are not a latency of a working"
                    + " sound card. Measure on a machine with real audio for that.");
        }
        List<Double> x = results.stream().map(r -> (double) r.bufferMs()).toList();
        table.note(Charts.lines(ctx.file("latency.png"), "Receive to sound by line buffer size", "buffer (ms)", "ms",
                List.of(new Charts.Series("sound p50", x, results.stream().map(r -> r.sound().percentile(50) / 1000).toList()),
                        new Charts.Series("sound p99", x, results.stream().map(r -> r.sound().percentile(99) / 1000).toList()),
                        new Charts.Series("applied p50", x, results.stream().map(r -> r.applied().percentile(50) / 1000).toList()),
                        new Charts.Series("applied p99", x, results.stream().map(r -> r.applied().percentile(99) / 1000).toList()))));
        return List.of(table);
    }

    private Result measure(BenchContext ctx, PulseAudioSink pulse, int bufferMs, int notes) throws Exception {
        ctx.log().printf("   buffer %d ms ...%n", bufferMs);
        int port = LoopbackPorts.freeRange(1);
        Path events = ctx.file("latency/" + bufferMs + "ms.events.jsonl");
        String generator;
        try (ManagedProcess player = ManagedProcess.startJava("player", ctx.jar("player-node"), null, LauncherJvmOptions.player("128m"),
                List.of("--bind", "127.0.0.1:" + port, "--name", "latency-" + bufferMs, "--synth", "javasound",
                        "--buffer-ms", Integer.toString(bufferMs), "--watchdog", "0", "--events", events.toString()),
                ctx.file("latency/" + bufferMs + "ms.log"), pulse.env())) {
            generator = player.awaitLine(PlayerProcesses.READY, Duration.ofSeconds(30)).group(0);
            String log = player.logText();
            int g = log.indexOf("generator:");
            generator = g < 0 ? "?" : log.substring(g, log.indexOf(')', g) < 0 ? log.length() : log.indexOf(')', g));
            // Warm up: a PulseAudio stream takes a while (up to ~1 s here) to start consuming; notes
            // sent before that wait for it. One note, seen applied, then a second of steady running.
            warmUp(port, events);
            long measuredFrom = dev.concerto.protocol.Clock.SYSTEM.epochMicros();
            send(port, notes);
            Thread.sleep(300);
            return analyse(bufferMs, events, generator, measuredFrom);
        }
    }

    /** Notes at irregular 40–80 ms intervals (fixed seed), each a change, then silence. Loopback only. */
    private static void send(int port, int notes) throws IOException {
        InetSocketAddress dst = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        Random random = new Random(846);
        byte[] buf = new byte[LegacyCodec.MAX_DATAGRAM_BYTES];
        try (DatagramSocket socket = new DatagramSocket()) {
            long next = System.nanoTime();
            for (int i = 0; i <= notes; i++) {
                long left;
                while ((left = next - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(left);
                }
                int n = LegacyCodec.encode(i == notes ? 0 : SCALE[i % SCALE.length], buf, 0);
                socket.send(new DatagramPacket(buf, n, dst));
                next += 40_000_000L + random.nextInt(40_000_000);
            }
        }
    }

    private static void warmUp(int port, Path events) throws IOException, InterruptedException {
        InetSocketAddress dst = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        byte[] buf = new byte[LegacyCodec.MAX_DATAGRAM_BYTES];
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(buf, LegacyCodec.encode(131, buf, 0), dst));
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline
                    && !(Files.exists(events) && Files.readString(events).contains("\"event\":\"tone\""))) {
                Thread.sleep(20);
            }
            Thread.sleep(1000);
            socket.send(new DatagramPacket(buf, LegacyCodec.encode(0, buf, 0), dst));
            Thread.sleep(200);
        }
    }

    private static Result analyse(int bufferMs, Path events, String generator, long measuredFrom) throws IOException {
        List<long[]> packets = new ArrayList<>(); // {t_us, hz}
        List<long[]> tones = new ArrayList<>();   // {t_us, hz, frame, sound_t_us}
        for (String line : Files.readAllLines(events)) {
            JsonNode n = JSON.readTree(line);
            String ev = n.path("event").asText();
            if (n.path("t_us").asLong() < measuredFrom) {
                continue; // the warm-up
            }
            if ("packet".equals(ev) && n.path("accepted").asBoolean()) {
                packets.add(new long[] {n.get("t_us").asLong(), n.path("hz").asLong()});
            } else if ("tone".equals(ev)) {
                tones.add(new long[] {n.get("t_us").asLong(), Math.round(n.path("hz").asDouble()), n.path("frame").asLong(),
                        n.path("sound_t_us").asLong()});
            }
        }
        // Every datagram changes the tone, so the k-th tone event answers the k-th datagram; check the hz.
        Stats applied = new Stats();
        Stats sound = new Stats();
        int pairs = 0;
        int t = 0;
        for (long[] p : packets) {
            while (t < tones.size() && (tones.get(t)[1] != p[1] || tones.get(t)[0] < p[0])) {
                t++;
            }
            if (t == tones.size()) {
                break;
            }
            applied.record(tones.get(t)[0] - p[0]);
            sound.record(tones.get(t)[3] - p[0]);
            pairs++;
            t++;
        }
        // Frames per wall-clock second: least-squares slope of frame against t_us.
        LineFit line = new LineFit();
        long x0 = tones.isEmpty() ? 0 : tones.get(0)[0];
        for (long[] tone : tones) {
            line.add((tone[0] - x0) / 1e6, tone[2]);
        }
        double fps = line.slope();
        return new Result(bufferMs, pairs, applied, sound, fps, generator);
    }
}
