package dev.concerto.player;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.player.synth.ToneGenerator;
import dev.concerto.player.synth.ToneListener;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.RejectReason;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared player conformance fixture ({@code shared-protocol/src/test/resources/conformance/
 * player-conformance.jsonl}), which the MicroPython firmware runs too: the same datagrams, from the
 * same sources at the same player times, must give the same outcomes and the same tone changes.
 * Drives a real {@link PlayerNode} on loopback, on a fake clock, with a generator that records
 * what would sound at each microsecond (one frame per microsecond).
 */
class PlayerConformanceTest {

    static final Path FIXTURE = Path.of("..", "shared-protocol", "src", "test", "resources", "conformance",
            "player-conformance.jsonl");

    static Stream<Arguments> cases() throws IOException {
        Map<String, List<JsonNode>> cases = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(FIXTURE, StandardCharsets.UTF_8)) {
            JsonNode n = json.readTree(line);
            if (n.has("case")) {
                cases.computeIfAbsent(n.get("case").asText(), k -> new ArrayList<>()).add(n);
            }
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(15);
        return cases.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void javaPlayerGivesTheFixturesToneChanges(String name, List<JsonNode> lines) throws Exception {
        AtomicLong nanos = new AtomicLong();
        Clock clock = new Clock() {
            @Override
            public long nanoTime() {
                return nanos.get();
            }

            @Override
            public long epochMicros() {
                return 1_700_000_000_000_000L + nanos.get() / 1000;
            }
        };
        MicrosecondRecorder generator = new MicrosecondRecorder(clock);
        PlayerConfig config = PlayerConfig.of(generator).withLoopbackEphemeral().withName("conformance")
                .withWatchdogSeconds(0).withClock(clock);
        Map<String, DatagramSocket> sources = new HashMap<>();
        try (PlayerNode node = new PlayerNode(config).start()) {
            InetSocketAddress player = node.localAddress();
            List<List<List<Number>>> changes = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                JsonNode d = lines.get(i);
                long rx = d.get("rx_us").asLong();
                generator.renderBefore(rx, i > 0 ? changes.get(i - 1) : new ArrayList<>());
                changes.add(new ArrayList<>());
                generator.recordInto(changes.get(i)); // what this datagram changes at once
                nanos.set(rx * 1000);
                DatagramSocket socket = sources.computeIfAbsent(d.get("src").asText(), s -> openSocket());
                PlayerCounters before = node.counters();
                byte[] data = d.get("datagram").asText().getBytes(StandardCharsets.ISO_8859_1);
                socket.send(new DatagramPacket(data, data.length, player));
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (node.counters().datagrams() == before.datagrams()) {
                    assertThat(System.nanoTime()).as("the player handled datagram #%d", i).isLessThan(deadline);
                    Thread.onSpinWait();
                }
                PlayerCounters after = node.counters();
                String where = name + " #" + i + " '" + d.get("datagram").asText() + "'";
                assertThat(outcome(before, after)).as(where + " outcome").isEqualTo(d.get("outcome").asText());
                if (d.has("reply")) {
                    byte[] buf = new byte[256];
                    DatagramPacket reply = new DatagramPacket(buf, buf.length);
                    socket.setSoTimeout(10_000);
                    socket.receive(reply);
                    assertThat(new String(buf, 0, reply.getLength(), StandardCharsets.US_ASCII)).as(where + " reply")
                            .isEqualTo(d.get("reply").asText());
                }
                generator.renderNow(rx, changes.get(i));
            }
            generator.renderBefore(Long.MAX_VALUE, changes.get(changes.size() - 1));
            for (int i = 0; i < lines.size(); i++) {
                List<List<Number>> expected = new ArrayList<>();
                for (JsonNode c : lines.get(i).get("changes")) {
                    expected.add(List.of(c.get(0).asLong(), c.get(1).asDouble()));
                }
                assertThat(changes.get(i)).as(name + " #" + i + " changes").isEqualTo(expected);
            }
        } finally {
            sources.values().forEach(DatagramSocket::close);
        }
    }

    private static DatagramSocket openSocket() {
        try {
            return new DatagramSocket(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String outcome(PlayerCounters before, PlayerCounters after) {
        for (RejectReason r : RejectReason.values()) {
            if (after.dropped(r) > before.dropped(r)) {
                return r.key();
            }
        }
        if (after.syncReplies() > before.syncReplies()) {
            return "sync";
        }
        if (after.late() > before.late()) {
            return "late";
        }
        return after.toneChanges() > before.toneChanges() ? "ok" : "none";
    }

    /**
     * Records what sounds, one frame per microsecond of the player clock: {@link #set} changes the
     * sound at the fake clock's present; scheduled changes wait until the test renders past them.
     */
    static final class MicrosecondRecorder implements ToneGenerator {
        private final Clock clock;
        private final TreeMap<Long, double[]> pending = new TreeMap<>(); // handle -> {frame, hz}
        private long handles;
        private double sounding;
        private List<List<Number>> out = new ArrayList<>();

        MicrosecondRecorder(Clock clock) {
            this.clock = clock;
        }

        /** Applies the scheduled changes before frame {@code limit}, recording into {@code into}. */
        synchronized void renderBefore(long limit, List<List<Number>> into) {
            out = into;
            while (true) {
                Map.Entry<Long, double[]> next = null;
                for (Map.Entry<Long, double[]> e : pending.entrySet()) {
                    if (e.getValue()[0] < limit && (next == null || e.getValue()[0] < next.getValue()[0])) {
                        next = e;
                    }
                }
                if (next == null) {
                    return;
                }
                pending.remove(next.getKey());
                apply((long) next.getValue()[0], next.getValue()[1]);
            }
        }

        /** Where changes made by {@link #set} are recorded from now on. */
        synchronized void recordInto(List<List<Number>> into) {
            out = into;
        }

        /** Applies what is due at {@code now} (a late start scheduled at the present frame). */
        synchronized void renderNow(long now, List<List<Number>> into) {
            renderBefore(now + 1, into);
        }

        private void apply(long frame, double hz) {
            if (hz != sounding) {
                sounding = hz;
                out.add(List.of(frame, hz));
            }
        }

        @Override
        public synchronized void set(double hz) {
            apply(frameAt(clock.nanoTime()), hz);
        }

        @Override
        public synchronized void setAtFrame(double hz, long frame) {
            schedule(hz, frame);
        }

        @Override
        public synchronized long schedule(double hz, long frame) {
            pending.put(++handles, new double[] {frame, hz});
            return handles;
        }

        @Override
        public synchronized void cancel(long handle) {
            pending.remove(handle);
        }

        @Override
        public long frameAt(long nanoTime) {
            return Math.floorDiv(nanoTime, 1000);
        }

        @Override
        public long framePosition() {
            return frameAt(clock.nanoTime());
        }

        @Override
        public int sampleRate() {
            return 1_000_000;
        }

        @Override
        public String description() {
            return "microsecond recorder";
        }

        @Override
        public void setListener(ToneListener listener) {
        }

        @Override
        public long frameZeroEpochMicros() {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
