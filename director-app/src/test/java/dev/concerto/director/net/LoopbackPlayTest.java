package dev.concerto.director.net;

import dev.concerto.director.engine.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real thing on loopback: UDP datagrams to capture receivers on ephemeral ports, real clock. */
class LoopbackPlayTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Fast, so a test lasts a fraction of a second: one beat is 30 ms. */
    private static final double FAST_BPM = 2000;

    private static boolean ended(TransportState s) {
        return s.state() == PlayState.STOPPED && s.notesSent() > 0;
    }

    private static int deadPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort(); // closed again: nothing listens there
        }
    }

    @Test
    void playsToCaptureReceiversWhileADeadPlayerDelaysNoOne(@TempDir Path dir) throws Exception {
        try (CaptureReceiver bass = new CaptureReceiver();
             CaptureReceiver melody = new CaptureReceiver();
             CaptureReceiver doubling = new CaptureReceiver()) {
            Roster roster = new Roster("test roster", List.of(
                    new RosterEntry("bass", "127.0.0.1", bass.port(), Protocol.LEGACY, "bass"),
                    new RosterEntry("dead", "127.0.0.1", deadPort(), Protocol.LEGACY, "melody"),
                    new RosterEntry("melody", "localhost", melody.port(), Protocol.LEGACY, "melody"),
                    new RosterEntry("doubling", "127.0.0.1", doubling.port(), Protocol.LEGACY, "melody")));
            Path events = dir.resolve("events.jsonl");
            try (DirectorEngine engine = DirectorEngine.builder(Timelines.twoVoices(2), roster)
                    .tempo(FAST_BPM).eventLog(events).shutdownHook(false).build()) {
                engine.play();
                assertThat(engine.awaitState(LoopbackPlayTest::ended, WAIT)).isTrue();
                List<Integer> expectedMelody = List.of(200, 201, 202, 203, 204, 205, 206, 207, 0, 0, 0, 0); // the end, then three silences
                assertThat(melody.await(r -> r.size() >= expectedMelody.size(), WAIT)).isTrue();
                assertThat(doubling.await(r -> r.size() >= expectedMelody.size(), WAIT)).isTrue();
                assertThat(bass.await(r -> r.size() >= 8, WAIT)).isTrue();
                assertThat(melody.received()).isEqualTo(expectedMelody);
                assertThat(doubling.received()).isEqualTo(expectedMelody);
                assertThat(bass.received()).containsExactly(100, 105, 110, 115, 0, 0, 0, 0);
                assertThat(engine.unreachableCount()).isPositive(); // counted, not fatal
                assertThat(engine.lastError()).isEmpty();
                assertThat(engine.accuracy().count()).isEqualTo(5 + 3 * 9);
                assertThat(engine.links().get(1).unreachablePeriods()).isNotEmpty();
            }
            List<String> lines = Files.readAllLines(events);
            assertThat(lines).hasSize(5 + 3 * 9 + 2 * 3 * 4); // scheduled + three silences to four players at the end and at close
            JsonNode first = new ObjectMapper().readTree(lines.get(0));
            assertThat(first.fieldNames()).toIterable().containsExactly("t_us", "player", "dst", "hz", "deadline_us");
            assertThat(first.get("player").asText()).isEqualTo("bass");
            assertThat(first.get("dst").asText()).isEqualTo("127.0.0.1:" + bass.port());
            assertThat(first.get("hz").asInt()).isEqualTo(100);
            assertThat(first.get("t_us").asLong()).isGreaterThanOrEqualTo(first.get("deadline_us").asLong());
            List<Integer> melodyHz = new ArrayList<>();
            for (String line : lines) {
                JsonNode n = new ObjectMapper().readTree(line);
                if (n.get("player").asText().equals("melody")) {
                    melodyHz.add(n.get("hz").asInt());
                }
            }
            assertThat(melodyHz).isEqualTo(melody.received());
        }
    }

    @Test
    void playsToAnIpv6Receiver() throws Exception {
        CaptureReceiver v6;
        try {
            v6 = new CaptureReceiver("::1");
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 loopback here: " + e);
            return;
        }
        try (v6) {
            Roster roster = new Roster("v6", List.of(new RosterEntry("m", "[::1]", v6.port(), Protocol.LEGACY, "melody")));
            try (DirectorEngine engine = DirectorEngine.builder(Timelines.twoVoices(1), roster)
                    .tempo(FAST_BPM).shutdownHook(false).build()) {
                assertThat(engine.streams().get(0).destination()).isEqualTo("[::1]:" + v6.port());
                engine.play();
                assertThat(engine.awaitState(LoopbackPlayTest::ended, WAIT)).isTrue();
                assertThat(v6.await(r -> r.size() >= 8, WAIT)).isTrue();
                assertThat(v6.received()).containsExactly(200, 201, 202, 203, 0, 0, 0, 0);
            }
        }
    }
}
