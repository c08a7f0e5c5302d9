package dev.concerto.director.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.director.engine.SyncExchange;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.ClockEstimator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The events file's clock-sync lines ({@code play --events-sync}): written only when asked for, stamps as on the wire. */
class EventLogSyncLinesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = new Clock() {
        @Override
        public long nanoTime() {
            return 1_000_000_000L;
        }

        @Override
        public long epochMicros() {
            return 1_700_000_000_000_000L;
        }
    };
    // Request 300 µs, player 20 µs, reply 100 µs on one clock: this exchange's offset is +100 µs.
    private static final SyncExchange EXCHANGE = new SyncExchange(5_000_000, 5_000_300, 5_000_320, 5_000_420,
            ClockEstimator.Outcome.USED, 42.5);

    @TempDir
    Path dir;

    @Test
    void eachExchangeIsOneLineWithItsFourStampsWhenAskedFor() throws Exception {
        Path file = dir.resolve("events.jsonl");
        EventLog log = new EventLog(file, List.of("bass"), List.of("127.0.0.1:10001"), CLOCK, true);
        log.onSyncExchange(0, EXCHANGE);
        log.close();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        JsonNode n = JSON.readTree(lines.get(0));
        assertThat(n.get("event").asText()).isEqualTo("sync");
        assertThat(n.get("player").asText()).isEqualTo("bass");
        assertThat(List.of(n.get("t1").asLong(), n.get("t2").asLong(), n.get("t3").asLong(), n.get("t4").asLong()))
                .containsExactly(5_000_000L, 5_000_300L, 5_000_320L, 5_000_420L);
        assertThat(n.get("outcome").asText()).isEqualTo("USED");
        assertThat(n.get("stamped_offset_us").asDouble()).isEqualTo(42.5);
        assertThat(n.get("t_us").asLong()).isEqualTo(1_700_000_000_000_000L - 1_000_000L + 5_000_420L);
        assertThat(EXCHANGE.rttMicros()).isEqualTo(400);
        assertThat(EXCHANGE.offsetMicros()).isEqualTo(100.0);
    }

    @Test
    void withoutAskingNoSyncLineIsWritten() throws Exception {
        Path file = dir.resolve("events.jsonl");
        EventLog log = new EventLog(file, List.of("bass"), List.of("127.0.0.1:10001"), CLOCK);
        log.onSyncExchange(0, EXCHANGE);
        log.onSend(0, 440, 2_000_000_000L, 1_900_000_000L, 1_900_000_100L);
        log.close();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        assertThat(JSON.readTree(lines.get(0)).has("event")).isFalse();
    }
}
