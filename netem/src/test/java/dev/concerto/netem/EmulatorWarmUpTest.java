package dev.concerto.netem;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Real UDP on loopback; behaviour only (a busy machine only makes it slower, within its bound). */
class EmulatorWarmUpTest {

    @Test
    void sendsThroughAPathAndTheEchoesComeBackWithinItsBounds() throws Exception {
        EmulatorWarmUp.Result r = EmulatorWarmUp.run(200, Duration.ofSeconds(10));

        assertThat(r.sent()).isEqualTo(200);
        assertThat(r.echoed()).isPositive().isLessThanOrEqualTo(200); // lan loses nothing, but a late echo may miss the drain
        assertThat(r.nanos()).isLessThan(Duration.ofSeconds(11).toNanos());
    }

    @Test
    void stopsAtItsTimeLimit() throws Exception {
        EmulatorWarmUp.Result r = EmulatorWarmUp.run(Integer.MAX_VALUE, Duration.ofMillis(300));

        assertThat(r.sent()).isLessThan(Integer.MAX_VALUE);
        assertThat(r.nanos()).isLessThan(Duration.ofSeconds(5).toNanos());
    }
}
