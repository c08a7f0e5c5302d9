package dev.concerto.bench.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The director's events file as the analyses see it: sends, sync exchanges and live notes, each line read once. */
class DirectorEventsTest {

    @TempDir
    Path dir;

    /** Lines as the director writes them (EventLog, LiveEventLines), one of each kind, and an older live line. */
    private Path file() throws IOException {
        return Files.writeString(dir.resolve("director.events.jsonl"), String.join("\n",
                "{\"event\":\"sync\",\"t_us\":500,\"player\":\"bass\",\"t1\":100,\"t2\":340,\"t3\":350,\"t4\":560,"
                        + "\"outcome\":\"USED\",\"stamped_offset_us\":-12.5}",
                "{\"t_us\":900,\"player\":\"bass\",\"dst\":\"127.0.0.1:1\",\"hz\":261.6255653005986,\"deadline_us\":1000,"
                        + "\"send_at_us\":900}",
                "{\"t_us\":901,\"player\":\"bass\",\"dst\":\"127.0.0.1:1\",\"hz\":261.6255653005986,\"deadline_us\":1000,"
                        + "\"send_at_us\":900}",
                "{\"t_us\":905,\"player\":\"alto\",\"dst\":\"127.0.0.1:2\",\"hz\":0,\"deadline_us\":1000,\"send_at_us\":900}",
                "{\"event\":\"live-note\",\"t_us\":950,\"player\":\"k0\",\"index\":0,\"hz\":440,\"key\":69,\"at_us\":1100,"
                        + "\"in_us\":940,\"source\":\"keyboard\"}",
                "{\"event\":\"stolen\",\"t_us\":960,\"player\":\"k0\",\"index\":0,\"key\":67,\"stolen_key\":60,\"channel\":1,"
                        + "\"in_us\":955}",
                "{\"t_us\":970,\"player\":\"k1\",\"index\":1,\"hz\":330,\"in_us\":965,\"due_us\":1150}",
                "",
                "{\"t_us\":1900,\"player\":\"bass\",\"dst\":\"127.0.0.1:1\",\"hz\":329.6275569128699,\"deadline_us\":2000,"
                        + "\"send_at_us\":1900}",
                "{\"t_us\":2500,\"player\":\"bass\",\"dst\":\"127.0.0.1:1\",\"hz\":0,\"deadline_us\":2500}") + "\n");
    }

    @Test
    void readsEachKindOfLine() throws Exception {
        DirectorEvents e = DirectorEvents.read(file());

        assertThat(e.sends()).hasSize(5);
        assertThat(e.sends().get(0)).isEqualTo(new DirectorEvents.Send("bass", 900, 261.6255653005986, 1000,
                OptionalLong.of(900)));
        assertThat(e.sends().get(4).sendAtMicros()).isEmpty();
        assertThat(e.syncs()).containsExactly(new DirectorEvents.Sync("bass", 500, 100, 340, 350, 560, "USED", -12.5));
        assertThat(e.syncs().get(0).requestMicros()).isEqualTo(240);
        assertThat(e.syncs().get(0).replyMicros()).isEqualTo(210);
        assertThat(e.liveNotes()).containsExactly(new DirectorEvents.LiveNote("k0", 0, 940, 1100, 440),
                new DirectorEvents.LiveNote("k1", 1, 965, 1150, 330));
    }

    @Test
    void aSendAtItsDeadlineIsNotScheduled() throws Exception {
        DirectorEvents e = DirectorEvents.read(file());

        assertThat(e.scheduledSends()).extracting(DirectorEvents.Send::sentMicros).containsExactly(900L, 901L, 905L, 1900L);
        assertThat(e.sends().get(4).scheduled()).as("the silence on stop: deadline = sent").isFalse();
    }

    @Test
    void changesLeaveOutRepeatsAndAFirstSilence() throws Exception {
        DirectorEvents e = DirectorEvents.read(file());

        assertThat(e.scheduledChanges()).containsOnlyKeys("bass");
        assertThat(e.scheduledChanges().get("bass")).extracting(DirectorEvents.Send::deadlineMicros)
                .containsExactly(1000L, 2000L);
        assertThat(e.sendsByPlayer().keySet()).containsExactly("bass", "alto");
        assertThat(e.sendsByPlayer().get("bass")).hasSize(4);
    }

    @Test
    void theListsCannotBeChanged() throws Exception {
        DirectorEvents e = DirectorEvents.read(file());

        assertThatThrownBy(() -> e.sends().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> e.scheduledChanges().get("bass").clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anUnreadableLineNamesTheFileAndTheLine() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"t_us\":1,\"player\":\"p\"}\n{\"t_us\":2,\n");

        assertThatThrownBy(() -> DirectorEvents.read(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining("bad.jsonl:2");
    }

    @Test
    void anEmptyFileHasNothing() throws Exception {
        DirectorEvents e = DirectorEvents.read(Files.writeString(dir.resolve("empty.jsonl"), ""));

        assertThat(e.sends()).isEmpty();
        assertThat(e.scheduledChanges()).isEqualTo(java.util.Map.of());
        assertThat(List.of(e.syncs(), e.liveNotes())).allMatch(List::isEmpty);
    }
}
