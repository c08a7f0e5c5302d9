package dev.concerto.director.net;

import dev.concerto.director.engine.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.player.PlayerNode;
import dev.concerto.player.synth.SynthOutput;
import dev.concerto.player.synth.SynthSettings;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.RejectReason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The embedded ensemble: real player nodes on 127.0.0.1 ephemeral ports, a virtual (silent) output. */
class LocalPlayersTest {

    @Test
    void playsEveryVoiceToItsOwnLocalPlayerAndLeavesThemSilent() throws Exception {
        var timeline = Timelines.twoVoices(1);
        SynthOutput quiet = SynthOutput.virtual(SynthSettings.defaults(), 2, null, Clock.SYSTEM);
        try (LocalPlayers local = LocalPlayers.start(timeline, quiet);
             DirectorEngine engine = DirectorEngine.builder(timeline, local.roster())
                     .tempo(dev.concerto.director.score.TempoRange.MAX_BPM).shutdownHook(false).build()) {
            assertThat(local.roster().entries()).extracting(RosterEntry::voice).containsExactly("bass", "melody");
            assertThat(local.roster().entries()).allSatisfy(e -> assertThat(e.host()).isEqualTo("127.0.0.1"));
            engine.play();
            assertThat(engine.awaitState(s -> s.state() == PlayState.STOPPED && s.notesSent() > 0,
                    Duration.ofSeconds(20))).isTrue();
            PlayerNode bass = local.ensemble().players().get(0);
            PlayerNode melody = local.ensemble().players().get(1);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            // Timed tone messages: bass: 100, 105, end, 3 silences; melody: 4 notes, end, 3 silences
            // (the other datagrams are clock-sync requests, each answered).
            while ((bass.counters().timedTones() < 6 || melody.counters().timedTones() < 8) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(local.roster().entries()).extracting(RosterEntry::protocol).containsOnly(Protocol.TIMED);
            assertThat(engine.streams()).extracting(PlayerStream::protocolInUse).containsOnly(Protocol.TIMED);
            assertThat(bass.counters().timedTones()).isEqualTo(6);
            assertThat(melody.counters().timedTones()).isEqualTo(8);
            assertThat(melody.counters().syncReplies()).isGreaterThanOrEqualTo(DirectorEngine.WANTED_ANSWERS);
            // Nothing refused but the copies of messages the player already had (the automatic redundancy
            // starts with several copies until the path's loss is known).
            for (RejectReason r : RejectReason.values()) {
                if (r != RejectReason.DUPLICATE) {
                    assertThat(melody.counters().dropped(r)).as(r.toString()).isZero();
                }
            }
            // The silences are stamped a lead ahead and applied by each player's audio thread at their
            // frame: received is not yet sounded, and a busy machine applies them later (a bound, not a time).
            while ((bass.currentHz() != 0 || melody.currentHz() != 0) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(bass.currentHz()).isZero();
            assertThat(melody.currentHz()).isZero();
        }
    }
}
