package dev.concerto.bench.naive;

import dev.concerto.protocol.Clock;
import dev.concerto.protocol.LegacyCodec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The baseline the benchmarks compare against: a director written the way the 2017 ancestor was —
 * send a note, then {@code sleep} until the next one is due, relative to now. Every send's own
 * cost and every oversleep add up, so the piece drifts late. Deliberately naive; not for use.
 *
 * <p>Input is the compiled timeline as {@code concerto score dump} prints it
 * ({@code voice,start_s,duration_s,hz} per line). Sends follow the engine's rule (hz at a note's
 * start, 0 at its end unless the voice's next event starts by then) so the datagrams are the same
 * as the real director's; only the waiting differs. Loopback targets only (checked).
 */
public final class NaiveDirector {

    /** One datagram to send. */
    record Send(double atSeconds, String voice, int hz) {
    }

    private NaiveDirector() {
    }

    /**
     * Plays {@code dumpCsv} to the players in {@code voices} (voice → address), writing one JSON line
     * per datagram to {@code events} in the engine's format. Returns the number of datagrams sent.
     */
    public static int play(Path dumpCsv, Map<String, InetSocketAddress> voices, double speed, Path events)
            throws IOException, InterruptedException {
        for (InetSocketAddress a : voices.values()) {
            if (!a.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("the naive director only sends to loopback, not " + a);
            }
        }
        List<Send> sends = sends(Files.readAllLines(dumpCsv));
        Clock clock = Clock.SYSTEM;
        byte[] buf = new byte[LegacyCodec.MAX_DATAGRAM_BYTES];
        int sent = 0;
        // Timestamps go to an array and the file is written after the piece: formatting JSON between
        // sends would add its own cost to every step, which the ancestor (no logging) did not pay.
        long[] sentAt = new long[sends.size()];
        long[] deadlines = new long[sends.size()];
        try (DatagramSocket socket = new DatagramSocket()) {
            long startMicros = clock.epochMicros();
            for (int i = 0; i < sends.size(); i++) {
                Send s = sends.get(i);
                InetSocketAddress dst = voices.get(s.voice());
                if (dst != null) {
                    int n = LegacyCodec.encode(s.hz(), buf, 0);
                    socket.send(new DatagramPacket(buf, n, dst));
                    sentAt[i] = clock.epochMicros();
                    deadlines[i] = startMicros + Math.round(s.atSeconds() / speed * 1e6);
                    sent++;
                }
                if (i + 1 < sends.size()) {
                    // The ancestor's time.sleep(8*dt): a relative sleep after the send, for the exact
                    // gap (Python sleeps fractional seconds; Thread.sleep would add its own rounding to
                    // whole ms, an error the ancestor did not have).
                    double gap = (sends.get(i + 1).atSeconds() - s.atSeconds()) / speed;
                    sleepRelative(Math.round(gap * 1e9));
                }
            }
        }
        try (BufferedWriter out = Files.newBufferedWriter(events, StandardCharsets.UTF_8)) {
            for (int i = 0; i < sends.size(); i++) {
                Send s = sends.get(i);
                InetSocketAddress dst = voices.get(s.voice());
                if (dst != null) {
                    out.write(String.format("{\"t_us\":%d,\"player\":\"%s\",\"dst\":\"%s:%d\",\"hz\":%d,\"deadline_us\":%d}%n",
                            sentAt[i], s.voice(), dst.getAddress().getHostAddress(), dst.getPort(), s.hz(), deadlines[i]));
                }
            }
        }
        return sent;
    }

    /** Sleeps {@code nanos} from now, like Python's {@code time.sleep}: resumes after a spurious wake-up. */
    private static void sleepRelative(long nanos) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** The datagrams a timeline dump implies, in time order (stable for equal times). */
    static List<Send> sends(List<String> csv) {
        Map<String, List<double[]>> byVoice = new LinkedHashMap<>();
        for (String line : csv) {
            String[] f = line.split(",");
            if (f.length != 4) {
                continue;
            }
            try {
                double start = Double.parseDouble(f[1]);
                double duration = Double.parseDouble(f[2]);
                double hz = Double.parseDouble(f[3]);
                byVoice.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new double[] {start, duration, hz});
            } catch (NumberFormatException header) {
                // the header line, or a comment
            }
        }
        List<Send> sends = new ArrayList<>();
        for (var e : byVoice.entrySet()) {
            List<double[]> notes = e.getValue();
            for (int i = 0; i < notes.size(); i++) {
                double[] n = notes.get(i);
                sends.add(new Send(n[0], e.getKey(), (int) Math.round(n[2])));
                double end = n[0] + n[1];
                boolean followed = i + 1 < notes.size() && notes.get(i + 1)[0] <= end + 1e-9;
                if (n[2] != 0 && !followed) {
                    sends.add(new Send(end, e.getKey(), 0));
                }
            }
        }
        sends.sort(Comparator.comparingDouble(Send::atSeconds));
        return sends;
    }
}
