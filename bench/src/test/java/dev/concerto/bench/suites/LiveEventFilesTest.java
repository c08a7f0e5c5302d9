package dev.concerto.bench.suites;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live suite's reading of the events files: where a start took effect, what it was stamped for, the matching. */
class LiveEventFilesTest {

    @TempDir
    Path dir;

    @Test
    void aStartAppliedAfterItsFrameIsMovedByTheFramesItWasLateAndKeepsItsStamp() throws Exception {
        Path events = Files.writeString(dir.resolve("k0.events.jsonl"), String.join("\n",
                "{\"t_us\":1000,\"event\":\"wav-start\",\"sample_rate\":48000,\"file\":\"k0.wav\"}",
                "{\"t_us\":2000,\"event\":\"tone\",\"hz\":440,\"frame\":960,\"cause\":\"start\",\"seq\":1,\"at_us\":5,"
                        + "\"scheduled_t_us\":21000,\"scheduled_frame\":960,\"late\":false}",
                "{\"t_us\":3000,\"event\":\"tone\",\"hz\":0,\"frame\":1000,\"cause\":\"lease-end\",\"seq\":1}",
                "{\"t_us\":4000,\"event\":\"tone\",\"hz\":330,\"frame\":1440,\"cause\":\"start\",\"seq\":2,\"at_us\":6,"
                        + "\"scheduled_t_us\":30000,\"scheduled_frame\":1392,\"late\":true}") + "\n");

        List<LiveEventFiles.Start> starts = LiveEventFiles.playerStarts(events);

        assertThat(starts).containsExactly(new LiveEventFiles.Start(21000, 21000, 440, false),
                new LiveEventFiles.Start(31000, 30000, 330, true)); // 48 frames late = 1 ms
        List<LiveEventFiles.Note> asked = List.of(new LiveEventFiles.Note(0, 21000, 330, "k0"),
                new LiveEventFiles.Note(0, 30000, 523.251, "k0"));
        assertThat(LiveEventFiles.matched(asked, starts)).containsExactly(starts.get(1), null);
        assertThat(LiveEventFiles.spread(List.of(30000L, 31000L, 30200L))).isEqualTo(1000);
    }
}
