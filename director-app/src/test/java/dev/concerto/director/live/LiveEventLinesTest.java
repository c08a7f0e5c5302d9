package dev.concerto.director.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.director.net.EventLog;
import dev.concerto.protocol.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live notes and allocation decisions in the director's events file, beside the datagrams it sends. */
class LiveEventLinesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A fixed clock: monotonic 1 s reads as wall-clock 1,700,000,000 s. */
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
    private static final long BASE_US = 1_700_000_000_000_000L - 1_000_000L; // wall µs at monotonic 0

    @TempDir
    Path dir;

    private List<JsonNode> lines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    @Test
    void eachNoteAndDecisionIsOneLineWithWallClockTimesBesideTheDatagramLines() throws Exception {
        Path file = dir.resolve("events.jsonl");
        EventLog log = new EventLog(file, List.of("k0", "k1"), List.of("127.0.0.1:10001", "127.0.0.1:10002"), CLOCK);
        LiveEventLines lines = new LiveEventLines(log);
        lines.onChange(new LiveNote(1, 261.6255653005986, 60, 2_020_000_000L, 2_000_000_000L, 2_000_100_000L,
                LiveNote.Source.KEYBOARD));
        log.onSend(1, 261.6255653005986, 2_020_000_000L, 2_000_100_000L, 2_000_150_000L);
        lines.onDecision(new VoiceDecision(VoiceDecision.Kind.STOLEN, 0, 67, 0, 55), 3_000_000_000L, 3_000_050_000L);
        lines.onDecision(new VoiceDecision(VoiceDecision.Kind.DROPPED, -1, 69, 9, -1), 4_000_000_000L, 4_000_050_000L);
        lines.onDecision(new VoiceDecision(VoiceDecision.Kind.OUT_OF_RANGE, -1, 20, 0, -1), 5_000_000_000L, 5_000_050_000L);
        lines.onChange(new LiveNote(0, 0, -1, 6_000_000_000L, 6_000_000_000L, 6_000_000_000L, LiveNote.Source.ALL_OFF));
        log.close();

        List<JsonNode> l = lines(file);
        assertThat(l).hasSize(6);
        JsonNode note = l.get(0);
        assertThat(note.get("event").asText()).isEqualTo("live-note");
        assertThat(note.get("player").asText()).isEqualTo("k1");
        assertThat(note.get("index").asInt()).isEqualTo(1);
        assertThat(note.get("hz").asDouble()).isEqualTo(261.6255653005986);
        assertThat(note.get("key").asInt()).isEqualTo(60);
        assertThat(note.get("at_us").asLong()).isEqualTo(BASE_US + 2_020_000);
        assertThat(note.get("in_us").asLong()).isEqualTo(BASE_US + 2_000_000);
        assertThat(note.get("t_us").asLong()).isEqualTo(BASE_US + 2_000_100);
        assertThat(note.get("source").asText()).isEqualTo("keyboard");

        JsonNode sent = l.get(1);
        assertThat(sent.has("event")).as("a datagram line, as play writes it").isFalse();
        assertThat(sent.get("dst").asText()).isEqualTo("127.0.0.1:10002");
        assertThat(sent.get("deadline_us").asLong()).isEqualTo(note.get("at_us").asLong());

        JsonNode stolen = l.get(2);
        assertThat(stolen.get("event").asText()).isEqualTo("stolen");
        assertThat(stolen.get("player").asText()).isEqualTo("k0");
        assertThat(stolen.get("key").asInt()).isEqualTo(67);
        assertThat(stolen.get("stolen_key").asInt()).isEqualTo(55);
        assertThat(stolen.get("channel").asInt()).as("1-based, as musicians count").isEqualTo(1);
        assertThat(stolen.get("in_us").asLong()).isEqualTo(BASE_US + 3_000_000);
        assertThat(stolen.get("t_us").asLong()).isEqualTo(BASE_US + 3_000_050);

        assertThat(l.get(3).get("event").asText()).isEqualTo("dropped");
        assertThat(l.get(3).get("why").asText()).isEqualTo("dropped");
        assertThat(l.get(3).get("channel").asInt()).isEqualTo(10);
        assertThat(l.get(3).has("player")).isFalse();
        assertThat(l.get(4).get("why").asText()).isEqualTo("out-of-range");

        assertThat(l.get(5).get("hz").asInt()).isZero();
        assertThat(l.get(5).get("source").asText()).isEqualTo("all-off");
        assertThat(log.written()).isEqualTo(6);
        assertThat(log.lost()).isZero();
    }

    @Test
    void aLineOfferedAfterCloseIsCountedNotWritten() throws Exception {
        Path file = dir.resolve("closed.jsonl");
        EventLog log = new EventLog(file, List.of("k0"), List.of("127.0.0.1:10001"), CLOCK);
        LiveEventLines lines = new LiveEventLines(log);
        log.close();
        lines.onChange(new LiveNote(0, 440, 69, 0, 0, 0, LiveNote.Source.KEYBOARD));
        assertThat(log.lost()).isEqualTo(1);
        assertThat(Files.readAllLines(file)).isEmpty();
    }
}
