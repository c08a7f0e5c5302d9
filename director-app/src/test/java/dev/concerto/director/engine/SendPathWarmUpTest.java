package dev.concerto.director.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.protocol.Authenticator;
import org.junit.jupiter.api.Test;

class SendPathWarmUpTest {

    @Test
    void playsTheScoreToThrowawayTimedPlayersUntilEnoughDatagramsWereWritten() {
        long written = SendPathWarmUp.run(Timelines.twoVoices(2), 120, TimedOptions.defaults(), 1000, 5_000);
        assertThat(written).isGreaterThanOrEqualTo(5_000);
    }

    @Test
    void signsWithTheRealKeyAndStaysBoundedOnAnEmptyScore() {
        TimedOptions keyed = TimedOptions.defaults().withAuthenticator(new Authenticator("a shared key of at least 16 bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertThat(SendPathWarmUp.run(Timelines.twoVoices(1), 120, keyed, 4, 2_000)).isGreaterThanOrEqualTo(2_000);
        // Nothing to play: the sync burst and the silences are all there is, and the warm-up ends.
        assertThat(SendPathWarmUp.run(Timelines.of(1), 120, TimedOptions.defaults(), 4, 2_000)).isPositive();
    }
}
