package dev.concerto.player.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.RejectReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared player conformance fixture ({@code shared-protocol/src/test/resources/conformance/
 * player-conformance.jsonl}), which the MicroPython firmware runs too: the same datagrams, from the
 * same sources at the same player times, must give the same outcomes and the same tone changes.
 * Drives the in-memory {@link PlayerCore} (one frame per microsecond) and renders its tone changes
 * in time order, as a generator would.
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
    void javaPlayerCoreGivesTheFixturesToneChanges(String name, List<JsonNode> lines) {
        long[] nowMicros = {0};
        Clock clock = new Clock() {
            @Override
            public long nanoTime() {
                return nowMicros[0] * 1000;
            }

            @Override
            public long epochMicros() {
                return 1_700_000_000_000_000L + nowMicros[0];
            }
        };
        PlayerCore core = new PlayerCore(new PlayerCore.Settings("conformance", SourceFilter.ANYONE, null, 0,
                PlayerLimits.DEFAULTS, 20_000, false), clock, micros -> micros);
        Renderer out = new Renderer();
        List<List<List<Number>>> changes = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode d = lines.get(i);
            long rx = d.get("rx_us").asLong();
            out.renderBefore(rx);
            changes.add(new ArrayList<>());
            out.into = changes.get(i);
            nowMicros[0] = rx;
            Peer source = new Peer(new byte[] {127, 0, 0, 1}, "a".equals(d.get("src").asText()) ? 40001 : 40002,
                    d.get("src").asText());
            PlayerCounters before = core.counters();
            byte[] data = d.get("datagram").asText().getBytes(StandardCharsets.ISO_8859_1);
            out.now = rx;
            core.receive(data, 0, data.length, source, rx, out);
            String where = name + " #" + i + " '" + d.get("datagram").asText() + "'";
            assertThat(outcome(before, core.counters())).as(where + " outcome").isEqualTo(d.get("outcome").asText());
            if (d.has("reply")) {
                assertThat(out.replies).as(where + " reply").hasSize(1);
                assertThat(new String(out.replies.remove(0), StandardCharsets.US_ASCII)).as(where + " reply")
                        .isEqualTo(d.get("reply").asText());
            }
            out.renderBefore(rx + 1); // a late start scheduled at the receive frame
        }
        out.renderBefore(Long.MAX_VALUE);
        for (int i = 0; i < lines.size(); i++) {
            List<List<Number>> expected = new ArrayList<>();
            for (JsonNode c : lines.get(i).get("changes")) {
                expected.add(List.of(c.get(0).asLong(), c.get(1).asDouble()));
            }
            assertThat(changes.get(i)).as(name + " #" + i + " changes").isEqualTo(expected);
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

    /** Applies the core's tone changes in frame order (one frame per µs) and records what sounds. */
    private static final class Renderer implements PlayerEffects {
        final TreeMap<Long, ToneChange> pending = new TreeMap<>(); // by id
        final List<byte[]> replies = new ArrayList<>();
        List<List<Number>> into = new ArrayList<>();
        long now;
        private double sounding;

        void renderBefore(long limit) {
            while (true) {
                ToneChange next = null;
                for (ToneChange c : pending.values()) {
                    if (c.frame() < limit && (next == null || c.frame() < next.frame())) {
                        next = c;
                    }
                }
                if (next == null) {
                    return;
                }
                pending.remove(next.id());
                apply(next.frame(), next.hz());
            }
        }

        private void apply(long frame, double hz) {
            if (hz != sounding) {
                sounding = hz;
                into.add(List.of(frame, hz));
            }
        }

        @Override
        public void sound(ToneChange change) {
            if (change.frame() == ToneChange.AT_ONCE) {
                apply(now, change.hz());
            } else {
                pending.put(change.id(), change);
            }
        }

        @Override
        public void withdraw(ToneChange change) {
            pending.remove(change.id());
        }

        @Override
        public void reply(byte[] datagram) {
            replies.add(datagram);
        }

        @Override
        public void event(PlayerEvent event) {
        }
    }
}
