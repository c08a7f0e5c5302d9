package dev.concerto.bench.suites;

import dev.concerto.bench.BenchContext;
import dev.concerto.bench.Suite;
import dev.concerto.bench.audio.OnsetDetector;
import dev.concerto.bench.audio.WavFile;
import dev.concerto.bench.report.Charts;
import dev.concerto.bench.report.Stats;
import dev.concerto.bench.report.Table;
import dev.concerto.bench.run.LoopbackPorts;
import dev.concerto.bench.run.LauncherJvmOptions;
import dev.concerto.bench.run.ManagedProcess;
import dev.concerto.bench.run.PlayerProcesses;
import dev.concerto.protocol.LegacyCodec;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A player playing real notes while a bounded loopback sender floods it with 100,000 malformed
 * datagrams per second. The notes are found in the player's real-time-paced WAV; their timing is
 * compared before, during and after the flood. The player must not crash, must not sound anything
 * it was not sent, and counts what it dropped.
 *
 * <p>The player runs without an events file (logging 100,000 lines a second would measure the
 * log, not the player), so the WAV's wall-clock origin is unknown: each note's error is its onset
 * minus its send time, both relative, minus the median of the notes before the flood. That is the
 * error the flood adds; the absolute latency of an unflooded player is in the onset suite.
 */
public final class FloodSuite implements Suite {

    private static final int TARGET_RATE = 100_000;
    private static final long NOTE_NANOS = 125_000_000L; // 8 notes a second
    private static final int[] SCALE = {262, 330, 392, 523};
    private static final Pattern STOPPED = Pattern.compile(
            "stopped: datagrams=(\\d+) tone-changes=(\\d+) watchdog-silences=\\d+ dropped=(\\d+)(.*)");
    /** Payloads the players must refuse, one of each rejection kind the legacy codec knows. */
    private static final List<byte[]> GARBAGE = List.of(
            "abc".getBytes(StandardCharsets.US_ASCII), new byte[0], "-440".getBytes(StandardCharsets.US_ASCII),
            "99999".getBytes(StandardCharsets.US_ASCII), "12345678901234".getBytes(StandardCharsets.US_ASCII),
            new byte[] {(byte) 0xC3, (byte) 0xA9, '4', '4', '0'}, "4.40e2".getBytes(StandardCharsets.US_ASCII),
            // Timed-protocol look-alikes with bad syntax (no valid sequence number: a well-formed
            // message could make the real notes look stale).
            "T 1 2".getBytes(StandardCharsets.US_ASCII), "T x y 440 100".getBytes(StandardCharsets.US_ASCII));

    @Override
    public String name() {
        return "flood";
    }

    @Override
    public String description() {
        return "a player under 100,000 garbage datagrams/s while playing plain-integer, then timed notes: onset error, drops, no crash";
    }

    @Override
    public List<Table> run(BenchContext ctx) throws Exception {
        List<Table> tables = new ArrayList<>();
        for (boolean timed : new boolean[] {false, true}) {
            tables.add(measure(ctx, timed));
        }
        return tables;
    }

    /** Lead of the timed notes: each is sent this long before it is due (the director's default). */
    private static final long LEAD_NANOS = 100_000_000L;

    private Table measure(BenchContext ctx, boolean timed) throws Exception {
        String protocol = timed ? "timed" : "legacy";
        ctx.log().printf("   %s notes ...%n", protocol);
        int before = 24;                       // 3 s of notes without flood
        int during = ctx.quick() ? 80 : 400;   // 10 s (quick) or 50 s with flood
        int after = 16;                        // 2 s after it
        int port = LoopbackPorts.freeRange(1);
        java.nio.file.Path wav = ctx.file("flood/" + protocol + ".wav");
        long[] sendNanos = new long[before + during + after]; // when each note is due to sound
        long floodSent;
        double floodRate;
        String counters;
        boolean aliveAtEnd;
        int exitCode;
        try (ManagedProcess player = ManagedProcess.startJava("player", ctx.jar("player-node"), null, LauncherJvmOptions.player("128m"),
                List.of("--bind", "127.0.0.1:" + port, "--name", "flooded", "--synth", "wav", "--wav", wav.toString(),
                        "--watchdog", "0"), ctx.file("flood/" + protocol + ".log"))) {
            player.awaitLine(PlayerProcesses.READY, Duration.ofSeconds(30));
            Thread.sleep(500);
            InetSocketAddress dst = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            AtomicBoolean flooding = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong sent = new AtomicLong();
            AtomicLong floodNanos = new AtomicLong();
            Thread flooder = new Thread(() -> flood(dst, flooding, stop, sent, floodNanos), "bench-flooder");
            flooder.start();
            try (DatagramSocket socket = new DatagramSocket()) {
                byte[] buf = new byte[LegacyCodec.MAX_DATAGRAM_BYTES];
                long next = System.nanoTime();
                for (int i = 0; i < sendNanos.length; i++) {
                    flooding.set(i >= before && i < before + during);
                    long left;
                    while ((left = next - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(left);
                    }
                    if (timed) {
                        // Stamped with its due time in the player's clock: monotonic µs, the same
                        // clock in every process on this machine, so no clock sync is needed here.
                        sendNanos[i] = System.nanoTime() + LEAD_NANOS;
                        byte[] msg = TimedCodec.encode(new TimedMessage.Tone(i + 1, sendNanos[i] / 1000,
                                SCALE[i % SCALE.length] * 1000L, 1000), null);
                        socket.send(new DatagramPacket(msg, msg.length, dst));
                    } else {
                        sendNanos[i] = System.nanoTime();
                        socket.send(new DatagramPacket(buf, LegacyCodec.encode(SCALE[i % SCALE.length], buf, 0), dst));
                    }
                    next += NOTE_NANOS;
                }
                flooding.set(false);
                LockSupport.parkNanos(NOTE_NANOS);
                if (timed) {
                    byte[] msg = TimedCodec.encode(new TimedMessage.Tone(sendNanos.length + 1,
                            (System.nanoTime() + LEAD_NANOS) / 1000, 0, 1000), null);
                    socket.send(new DatagramPacket(msg, msg.length, dst));
                    LockSupport.parkNanos(LEAD_NANOS);
                } else {
                    socket.send(new DatagramPacket(buf, LegacyCodec.encode(0, buf, 0), dst));
                }
            } finally {
                stop.set(true);
                flooder.join(5_000);
            }
            floodSent = sent.get();
            floodRate = floodSent / Math.max(1e-9, floodNanos.get() / 1e9);
            Thread.sleep(300);
            aliveAtEnd = player.isAlive();
            player.close();
            exitCode = player.awaitExit(Duration.ofSeconds(5));
            Matcher m = STOPPED.matcher(player.logText());
            counters = m.find() ? m.group(0) : null;
            if (counters == null) {
                throw new IOException("the flooded player printed no counters at exit (crashed?); see " + player.log());
            }
            return analyse(ctx, protocol, wav, sendNanos, before, during, after, floodSent, floodRate, m, aliveAtEnd,
                    exitCode);
        }
    }

    /** Sends garbage in bursts of 100 every millisecond while {@code flooding}, until {@code stop}. */
    private static void flood(InetSocketAddress dst, AtomicBoolean flooding, AtomicBoolean stop, AtomicLong sent,
                              AtomicLong floodNanos) {
        try (DatagramSocket socket = new DatagramSocket()) {
            List<DatagramPacket> packets = new ArrayList<>();
            for (byte[] g : GARBAGE) {
                packets.add(new DatagramPacket(g, g.length, dst));
            }
            int burst = TARGET_RATE / 1000;
            long next = System.nanoTime();
            int k = 0;
            while (!stop.get()) {
                if (!flooding.get()) {
                    LockSupport.parkNanos(1_000_000);
                    next = System.nanoTime();
                    continue;
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < burst; i++) {
                    socket.send(packets.get(k++ % packets.size()));
                }
                sent.addAndGet(burst);
                next += 1_000_000;
                long left = next - System.nanoTime();
                if (left > 0) {
                    LockSupport.parkNanos(left);
                }
                floodNanos.addAndGet(System.nanoTime() - t0);
            }
        } catch (IOException e) {
            // the sender only stops early; the table shows what it managed to send
        }
    }

    private static Table analyse(BenchContext ctx, String protocol, java.nio.file.Path wavPath, long[] sendNanos, int before, int during,
                                 int after, long floodSent, double floodRate, Matcher counters, boolean aliveAtEnd,
                                 int exitCode) throws IOException {
        WavFile wav = WavFile.read(wavPath);
        int rate = wav.sampleRate();
        OnsetDetector detector = new OnsetDetector(rate, 1.5f / 32768, (int) Math.round(0.002 * rate));
        // The first note, from silence: it fixes where send time 0 lies in the WAV.
        OptionalDouble first = detector.find(wav.samples(), 0, SCALE[0], 0, wav.samples().length);
        if (first.isEmpty()) {
            throw new IOException(wavPath + ": the first note is not in the recording");
        }
        double[] offset = new double[sendNanos.length]; // onset minus send, µs, relative to note 0
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int i = 0; i < sendNanos.length; i++) {
            double expected = first.getAsDouble() + (sendNanos[i] - sendNanos[0]) / 1e9 * rate;
            OptionalDouble f = i == 0 ? first : detector.find(wav.samples(), SCALE[(i - 1) % SCALE.length],
                    SCALE[i % SCALE.length], (int) (expected - 0.05 * rate), (int) (expected + 0.05 * rate));
            offset[i] = f.isPresent() ? (f.getAsDouble() - first.getAsDouble()) / rate * 1e6
                    - (sendNanos[i] - sendNanos[0]) / 1e3 : Double.NaN;
        }
        List<Double> calm = new ArrayList<>();
        for (int i = 0; i < before; i++) {
            if (!Double.isNaN(offset[i])) {
                calm.add(offset[i]);
            }
        }
        java.util.Collections.sort(calm);
        double reference = calm.isEmpty() ? 0 : calm.get(calm.size() / 2);
        Table table = new Table(String.format("Flood: %s notes at 8/s while %,d garbage datagrams/s arrive (error vs the"
                + " median before the flood, µs)", protocol, TARGET_RATE), "phase", "notes found", "error p50 / p99 / max");
        int[][] phases = {{0, before}, {before, before + during}, {before + during, sendNanos.length}};
        String[] names = {"before flood", "during flood", "after flood"};
        for (int p = 0; p < 3; p++) {
            Stats s = new Stats();
            int found = 0;
            for (int i = phases[p][0]; i < phases[p][1]; i++) {
                if (!Double.isNaN(offset[i])) {
                    s.record(offset[i] - reference);
                    xs.add((sendNanos[i] - sendNanos[0]) / 1e9);
                    ys.add((offset[i] - reference) / 1000);
                    found++;
                }
            }
            table.row(names[p], found + " / " + (phases[p][1] - phases[p][0]), s.summary());
        }
        long datagrams = Long.parseLong(counters.group(1));
        long toneChanges = Long.parseLong(counters.group(2));
        long dropped = Long.parseLong(counters.group(3));
        long realSent = sendNanos.length + 1L;
        table.note(String.format("Flood sender: %,d garbage datagrams at %,.0f/s (target %,d/s; one thread in the bench"
                + " JVM, bursts of 100 per ms, loopback only).", floodSent, floodRate, TARGET_RATE));
        long accepted = datagrams - dropped;
        table.note(String.format("Player: received %,d datagrams of %,d sent (%,d lost in the kernel's socket buffer or"
                        + " never read); dropped %,d as malformed%s; accepted %d of the %d real notes and silences"
                        + " (%d real ones lost under the flood); %d tone changes for %d accepted (%s); %s, exit code %d"
                        + " after SIGTERM.",
                datagrams, floodSent + realSent, floodSent + realSent - datagrams, dropped,
                counters.group(4).trim().isEmpty() ? "" : " " + counters.group(4).trim(), accepted, realSent,
                realSent - accepted, toneChanges, accepted,
                toneChanges == accepted ? "garbage never changed the tone" : "MISMATCH: garbage may have changed the tone",
                aliveAtEnd ? "alive at the end" : "NOT ALIVE at the end", exitCode));
        table.note("A note is looked for as a change from the note before it, so a lost note also hides the next one"
                + " from the detector: 'notes found' can be lower than the notes accepted.");
        if (protocol.equals("legacy")) {
            table.note("Notes are 125 ms apart and the player applies plain-integer changes at 10 ms synthesis blocks,"
                    + " so errors sit near two values about 5 ms apart; what matters is whether the flood moves them.");
        } else {
            table.note("Timed notes are sent " + LEAD_NANOS / 1_000_000 + " ms ahead, stamped with their due time;"
                    + " the player schedules each at its frame.");
        }
        table.note(Charts.scatter(ctx.file("flood-" + protocol + ".png"), "Onset error of " + protocol + " notes, flood from "
                        + String.format("%.0f", before * NOTE_NANOS / 1e9) + " s to "
                        + String.format("%.0f", (before + during) * NOTE_NANOS / 1e9) + " s",
                "time (s)", "error vs median before the flood (ms)", List.of(new Charts.Series("notes", xs, ys))));
        return table;
    }
}
