package dev.concerto.bench.suites;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The clock-sync columns: both halves of every exchange, the stamping error only while the music played. */
class SyncExchangesTest {

    @Test
    void theStampingErrorCountsFromTheFirstDatagramOfTheMusic() {
        // Two exchanges while the clocks settled (5 ms off: stamped nothing), two during the music.
        List<DirectorEvents.Sync> syncs = List.of(
                new DirectorEvents.Sync("a", 1_000, 0, 300, 310, 600, "USED", 5_000),
                new DirectorEvents.Sync("a", 2_000, 1_000, 1_200, 1_210, 1_400, "USED", -5_000),
                new DirectorEvents.Sync("a", 4_000, 3_000, 3_100, 3_110, 3_220, "USED", -40),
                new DirectorEvents.Sync("a", 5_000, 4_000, 4_150, 4_160, 4_300, "USED", 20));
        List<DirectorEvents.Send> sends = List.of(new DirectorEvents.Send("a", 3_000, 440, 3_100, OptionalLong.empty()));
        SyncExchanges x = SyncExchanges.of(new DirectorEvents(sends, syncs, List.of()), List.of("a"));
        assertThat(x.request().get("a").count()).isEqualTo(4);
        assertThat(x.reply().get("a").count()).isEqualTo(4);
        assertThat(x.stampedOffset().get("a").count()).isEqualTo(2);
        assertThat(x.stampedOffset().get("a").percentile(100)).isBetween(39.0, 41.0);
    }
}
