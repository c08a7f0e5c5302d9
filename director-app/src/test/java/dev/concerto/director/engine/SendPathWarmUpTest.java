package dev.concerto.director.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.protocol.Authenticator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The send path's warm-up on throwaway streams: it plays the piece, in every protocol of the roster. */
class SendPathWarmUpTest {

    private static final List<RosterEntry> ROSTER = List.of(
            new RosterEntry("b", "127.0.0.1", 9001, Protocol.TIMED, "bass"),
            new RosterEntry("m", "127.0.0.1", 9002, Protocol.AUTO, "melody"),
            new RosterEntry("old", "127.0.0.1", 9003, Protocol.LEGACY, "melody"));

    @Test
    void playsThePieceUntilTheWantedDatagramsWereWritten() {
        SendPathWarmUp.Result r = SendPathWarmUp.run(Timelines.twoVoices(2), ROSTER, TimedOptions.defaults(), 500);
        assertThat(r.datagrams()).isGreaterThanOrEqualTo(500);
        assertThat(r.notes()).isGreaterThan(100); // the piece looped
        assertThat(r.timedTones()).isGreaterThan(100); // the timed players answered clock sync and got tones
    }

    @Test
    void aKeyedRosterWarmsTheSignedPath() {
        TimedOptions keyed = TimedOptions.defaults()
                .withAuthenticator(new Authenticator("a-warm-up-key-of-16+".getBytes(StandardCharsets.US_ASCII)));
        SendPathWarmUp.Result r = SendPathWarmUp.run(Timelines.twoVoices(2), ROSTER, keyed, 300);
        assertThat(r.timedTones()).isGreaterThan(50); // signed, and accepted with the key
    }

    @Test
    void aPlainIntegerRosterNeedsNoClockSync() {
        SendPathWarmUp.Result r = SendPathWarmUp.run(Timelines.twoVoices(2),
                List.of(new RosterEntry("old", "127.0.0.1", 9003, Protocol.LEGACY, "bass")), TimedOptions.defaults(), 100);
        assertThat(r.datagrams()).isGreaterThanOrEqualTo(100);
        assertThat(r.timedTones()).isZero();
    }

    /** A live session's timeline: its voices and no note, no length. Nothing to warm, and it returns. */
    @Test
    void anEmptyTimelineReturnsAtOnce() {
        dev.concerto.director.score.Timeline empty = new dev.concerto.director.score.Timeline("live", "", 120,
                List.of(new dev.concerto.director.score.VoiceTimeline("bass", List.of(), true)), 0, 0,
                List.of(0.0), List.of(0.0));
        SendPathWarmUp.Result r = SendPathWarmUp.run(empty, ROSTER, TimedOptions.defaults(), 2000);
        assertThat(r.datagrams()).isZero();
    }
}
