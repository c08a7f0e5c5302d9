package dev.concerto.director.net;

import dev.concerto.director.engine.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.concerto.director.engine.PlayState;
import dev.concerto.director.engine.PlayerActivity;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.Scheduler;
import dev.concerto.director.engine.Timelines;
import dev.concerto.director.engine.TransportState;
import dev.concerto.director.engine.VirtualTime;
import dev.concerto.director.score.Timeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scheduler's logic on virtual time: no sleeping, no timing assertions against the real clock. */
class DirectorEngineTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long SECOND = 1_000_000_000L;

    private final VirtualTime time = new VirtualTime();
    private final List<DirectorEngine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(DirectorEngine::close);
    }

    private DirectorEngine engine(Timeline timeline, List<RecordingSink> sinks) throws Exception {
        Roster roster = new Roster("test", sinks.stream().map(RecordingSink::entry).toList());
        DirectorEngine e = DirectorEngine.builder(timeline, roster).sinks(sinks).clock(time).waiter(time)
                .shutdownHook(false).build();
        engines.add(e);
        return e;
    }

    private static boolean ended(TransportState s) {
        return s.state() == PlayState.STOPPED && s.notesSent() > 0;
    }

    /** Seconds since the origin of the virtual clock. */
    private static double at(RecordingSink.Sent s) {
        return (s.nanos() - VirtualTime.ORIGIN) / 1e9;
    }

    @Test
    void playsEveryVoiceToItsPlayersOnTimeAndEndsInSilenceForEveryone() throws Exception {
        RecordingSink bass = new RecordingSink("b", "bass", time);
        RecordingSink melody = new RecordingSink("m", "melody", time);
        RecordingSink doubled = new RecordingSink("m2", "melody", time);
        RecordingSink idle = new RecordingSink("idle", "nobody", time);
        DirectorEngine engine = engine(Timelines.twoVoices(2), List.of(bass, melody, doubled, idle));
        engine.play();
        assertThat(engine.awaitState(DirectorEngineTest::ended, WAIT)).isTrue();

        assertThat(bass.hzCollapsed()).containsExactly(100, 105, 110, 115, 0);
        assertThat(melody.hzCollapsed()).containsExactly(200, 201, 202, 203, 204, 205, 206, 207, 0);
        assertThat(doubled.hz()).isEqualTo(melody.hz());
        assertThat(idle.hz()).containsExactly(0, 0, 0);
        // Deadlines are absolute: note k of the melody goes out exactly k seconds after the first.
        List<RecordingSink.Sent> m = melody.sent();
        for (int k = 0; k < 8; k++) {
            assertThat(at(m.get(k)) - at(m.get(0))).isEqualTo(k, org.assertj.core.data.Offset.offset(1e-6));
        }
        // Stop means silence: the last three datagrams of every player are zeros.
        for (RecordingSink s : List.of(bass, melody, doubled, idle)) {
            List<Integer> hz = s.hz();
            assertThat(hz.subList(hz.size() - 3, hz.size())).containsOnly(0);
        }
        assertThat(engine.state().state()).isEqualTo(PlayState.STOPPED);
        assertThat(engine.accuracy().count()).isEqualTo((4 + 1) + 2 * (8 + 1)); // scheduled datagrams only
    }

    @Test
    void pauseAndResumeKeepTheMusicalPositionAndSoundTheHeldNoteAgain() throws Exception {
        RecordingSink bass = new RecordingSink("b", "bass", time);
        RecordingSink melody = new RecordingSink("m", "melody", time);
        DirectorEngine engine = engine(Timelines.twoVoices(1), List.of(bass, melody));
        // Pause half a beat after the third melody note (202 at 2 s): the bass holds 105 from 2 s.
        melody.onSend(n -> {
            if (n == 3) {
                time.advance(SECOND / 2);
                engine.pause();
            }
        });
        engine.play();
        assertThat(engine.awaitState(s -> s.state() == PlayState.PAUSED, WAIT)).isTrue();
        assertThat(engine.state().positionSeconds()).isEqualTo(2.5);
        assertThat(engine.state().measure()).isEqualTo(1);
        time.advance(7 * SECOND); // paused for a while
        long resumedAt = time.nanoTime();
        engine.resume();
        assertThat(engine.awaitState(DirectorEngineTest::ended, WAIT)).isTrue();

        assertThat(melody.hzCollapsed()).containsExactly(200, 201, 202, 0, 202, 203, 0);
        assertThat(bass.hzCollapsed()).containsExactly(100, 105, 0, 105, 0);
        // 203 is due at 3 s: half a second after resuming at 2.5 s.
        RecordingSink.Sent n203 = melody.sent().stream().filter(s -> s.hz() == 203).findFirst().orElseThrow();
        assertThat(n203.nanos() - resumedAt).isEqualTo(SECOND / 2 + Scheduler.DEFAULT_START_LEAD_NANOS);
    }

    @Test
    void aTempoChangeKeepsThePositionAndScalesWhatFollows() throws Exception {
        RecordingSink melody = new RecordingSink("m", "melody", time);
        DirectorEngine engine = engine(Timelines.twoVoices(1), List.of(melody));
        melody.onSend(n -> {
            if (n == 2) { // 201 at 1 s; change half a beat later, at 1.5 s
                time.advance(SECOND / 2);
                engine.setTempo(120);
            }
        });
        engine.play();
        assertThat(engine.awaitState(DirectorEngineTest::ended, WAIT)).isTrue();
        List<RecordingSink.Sent> s = melody.sent();
        assertThat(s.subList(0, 4).stream().map(RecordingSink.Sent::hz)).containsExactly(200, 201, 202, 203);
        long t0 = s.get(0).nanos();
        assertThat(s.get(1).nanos() - t0).isEqualTo(SECOND);
        // From 1.5 s (real 1.5 s) at double speed: 202 (score 2 s) at 1.75 s, 203 at 2.25 s, end at 2.75 s.
        assertThat(s.get(2).nanos() - t0).isEqualTo(1_750_000_000L);
        assertThat(s.get(3).nanos() - t0).isEqualTo(2_250_000_000L);
        assertThat(s.get(4).nanos() - t0).isEqualTo(2_750_000_000L);
        assertThat(engine.state().tempoBpm()).isEqualTo(120);
    }

    @Test
    void seekStartsFromTheMeasureAndSoundsWhatIsHeldThere() throws Exception {
        RecordingSink bass = new RecordingSink("b", "bass", time);
        RecordingSink melody = new RecordingSink("m", "melody", time);
        DirectorEngine engine = engine(Timelines.twoVoices(3), List.of(bass, melody));
        engine.seekToMeasure(3);
        assertThat(engine.awaitState(s -> s.measure() == 3, WAIT)).isTrue();
        engine.play();
        assertThat(engine.awaitState(DirectorEngineTest::ended, WAIT)).isTrue();
        assertThat(bass.hzCollapsed()).containsExactly(120, 125, 0);
        assertThat(melody.hzCollapsed()).containsExactly(208, 209, 210, 211, 0);
    }

    @Test
    void seekWhilePlayingJumpsAndSilencesWhatShouldNotSound() throws Exception {
        RecordingSink melody = new RecordingSink("m", "melody", time);
        DirectorEngine engine = engine(Timelines.of(3,
                Timelines.voice("melody", Timelines.note(0, 1, 300), Timelines.note(4, 1, 400), Timelines.note(9, 1, 500))),
                List.of(melody));
        melody.onSend(n -> {
            if (n == 1) {
                engine.seekToMeasure(3); // measure 3 starts at 8 s, where the voice rests
            }
        });
        engine.play();
        assertThat(engine.awaitState(DirectorEngineTest::ended, WAIT)).isTrue();
        assertThat(melody.hzCollapsed()).containsExactly(300, 0, 500, 0);
        List<RecordingSink.Sent> s = melody.sent();
        assertThat(s.get(2).nanos() - s.get(1).nanos()) // 500 at 9 s, one second after 8 s (and the start lead)
                .isEqualTo(SECOND + Scheduler.DEFAULT_START_LEAD_NANOS);
    }

    @Test
    void aLoopRepeatsItsMeasuresOnAnUnbrokenScheduleUntilStopped() throws Exception {
        RecordingSink bass = new RecordingSink("b", "bass", time);
        RecordingSink melody = new RecordingSink("m", "melody", time);
        DirectorEngine engine = engine(Timelines.twoVoices(3), List.of(bass, melody));
        melody.onSend(n -> {
            if (n == 12) { // after three times round measure 2
                engine.stop();
            }
        });
        engine.setLoop(2, 2);
        engine.seekToMeasure(2);
        engine.play();
        assertThat(engine.awaitState(DirectorEngineTest::ended, WAIT)).isTrue();
        assertThat(melody.hzCollapsed()).containsExactly(204, 205, 206, 207, 204, 205, 206, 207, 204, 205, 206, 207, 0);
        assertThat(bass.hzCollapsed()).containsExactly(110, 115, 110, 115, 110, 115, 0);
        List<RecordingSink.Sent> s = melody.sent();
        for (int k = 0; k < 12; k++) {
            assertThat(s.get(k).nanos() - s.get(0).nanos()).isEqualTo(k * SECOND);
        }
        // Stop returns to the loop's first measure.
        assertThat(engine.state().measure()).isEqualTo(2);
        assertThat(engine.state().loopFromMeasure()).isEqualTo(2);
    }

    @Test
    void aLoopSetBehindThePositionJumpsBackAtOnceWithoutABurst() throws Exception {
        RecordingSink melody = new RecordingSink("m", "melody", time);
        DirectorEngine engine = engine(Timelines.twoVoices(3), List.of(melody));
        melody.onSend(n -> {
            if (n == 10) { // 209, in measure 3
                engine.setLoop(1, 1);
            } else if (n == 16) {
                engine.stop();
            }
        });
        engine.play();
        assertThat(engine.awaitState(DirectorEngineTest::ended, WAIT)).isTrue();
        assertThat(melody.hzCollapsed()).containsExactly(200, 201, 202, 203, 204, 205, 206, 207, 208, 209,
                200, 201, 202, 203, 200, 201, 0);
        List<RecordingSink.Sent> s = melody.sent();
        assertThat(s.get(10).nanos()).isEqualTo(s.get(9).nanos()); // jumped at once
        assertThat(s.get(11).nanos() - s.get(10).nanos()).isEqualTo(SECOND); // then on schedule
    }

    @Test
    void anExceptionMidPieceSilencesEveryPlayerAndTheEngineStaysUsable() throws Exception {
        RecordingSink bass = new RecordingSink("b", "bass", time);
        AtomicInteger calls = new AtomicInteger();
        RecordingSink melody = new RecordingSink("m", "melody", time);
        RecordingSink broken = new RecordingSink("x", "melody", time) {
            @Override
            public boolean send(byte[] datagram, int length) {
                super.send(datagram, length);
                if (calls.incrementAndGet() == 3) {
                    throw new IllegalStateException("boom");
                }
                return true;
            }
        };
        DirectorEngine engine = engine(Timelines.twoVoices(2), List.of(bass, melody, broken));
        engine.play();
        assertThat(engine.awaitState(s -> s.state() == PlayState.STOPPED && s.notesSent() > 0, WAIT)).isTrue();
        assertThat(engine.lastError()).get().extracting(Throwable::getMessage).isEqualTo("boom");
        assertThat(bass.hz()).endsWith(0, 0, 0);
        assertThat(melody.hz()).endsWith(0, 0, 0);
        assertThat(bass.hzCollapsed()).containsExactly(100, 105, 0);

        int before = melody.hz().size();
        engine.play();
        assertThat(engine.awaitState(s -> s.state() == PlayState.STOPPED && melody.hz().size() > before + 3, WAIT)).isTrue();
        assertThat(melody.hz()).endsWith(0, 0, 0);
    }

    @Test
    void aFailingListenerDoesNotStopTheMusic() throws Exception {
        RecordingSink melody = new RecordingSink("m", "melody", time);
        DirectorEngine engine = engine(Timelines.twoVoices(1), List.of(melody));
        engine.addListener(s -> {
            throw new IllegalStateException("a buggy view");
        });
        engine.play();
        assertThat(engine.awaitState(DirectorEngineTest::ended, WAIT)).isTrue();
        assertThat(melody.hzCollapsed()).containsExactly(200, 201, 202, 203, 0);
    }

    @Test
    void closeAndTheShutdownHookSilenceEveryPlayer() throws Exception {
        RecordingSink a = new RecordingSink("a", "melody", time);
        RecordingSink b = new RecordingSink("b", "bass", time);
        List<TransportState> states = new CopyOnWriteArrayList<>();
        DirectorEngine engine = engine(Timelines.twoVoices(4), List.of(a, b));
        engine.addListener(states::add);
        a.onSend(n -> {
            if (n == 2) {
                engine.silenceOnExit(); // as the JVM's shutdown hook does, here from the scheduler thread
            }
        });
        engine.play();
        assertThat(engine.awaitState(s -> s.state() == PlayState.STOPPED && s.notesSent() > 0, WAIT)).isTrue();
        engine.close();
        assertThat(a.hz()).endsWith(0, 0, 0);
        assertThat(b.hz()).endsWith(0, 0, 0);
        assertThat(a.hzCollapsed()).containsExactly(200, 201, 0);
        assertThatThrownBy(engine::play).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void pauseAndStopSilenceEveryoneAndStopReturnsToTheStart() throws Exception {
        RecordingSink melody = new RecordingSink("m", "melody", time);
        DirectorEngine engine = engine(Timelines.twoVoices(2), List.of(melody));
        melody.onSend(n -> {
            if (n == 5) {
                engine.stop();
            }
        });
        engine.play();
        assertThat(engine.awaitState(DirectorEngineTest::ended, WAIT)).isTrue();
        assertThat(melody.hz()).containsExactly(200, 201, 202, 203, 204, 0, 0, 0);
        assertThat(engine.state().positionSeconds()).isZero();
        assertThat(engine.state().players().get(0).hz()).isZero();
    }

    @Test
    void badArgumentsAreRejectedOnTheCallersThread() throws Exception {
        DirectorEngine engine = engine(Timelines.twoVoices(2), List.of(new RecordingSink("m", "melody", time)));
        assertThatThrownBy(() -> engine.seekToMeasure(3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> engine.setLoop(2, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> engine.setTempo(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> engine.setTempo(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStateNamesEveryPlayerWithWhatItPlaysAndLegacyPlayersAreOfUnknownLiveness() throws Exception {
        RecordingSink melody = new RecordingSink("m", "melody", time);
        List<TransportState> states = new CopyOnWriteArrayList<>();
        DirectorEngine engine = engine(Timelines.twoVoices(1), List.of(melody));
        engine.addListener(states::add);
        engine.play();
        assertThat(engine.awaitState(DirectorEngineTest::ended, WAIT)).isTrue();
        assertThat(states).anySatisfy(s -> {
            assertThat(s.state()).isEqualTo(PlayState.PLAYING);
            assertThat(s.players().get(0).hz()).isEqualTo(202);
            assertThat(s.players().get(0).noteName()).isEqualTo("n202");
            assertThat(s.players().get(0).liveness()).isEqualTo(PlayerActivity.Liveness.UNKNOWN);
        });
        assertThat(states.get(states.size() - 1).notesSent()).isEqualTo(5 + 3);
    }

    @Test
    void theStartUpWarmUpSendsAndCountsNothing() throws Exception {
        RecordingSink bass = new RecordingSink("b", "bass", time);
        RecordingSink melody = new RecordingSink("m", "melody", time);
        List<Integer> observed = new CopyOnWriteArrayList<>();
        AtomicInteger cpuReads = new AtomicInteger();
        dev.concerto.protocol.Clock clock = new dev.concerto.protocol.Clock() {
            @Override
            public long nanoTime() {
                return time.nanoTime();
            }

            @Override
            public long epochMicros() {
                return time.epochMicros();
            }

            @Override
            public long threadCpuNanos() {
                cpuReads.incrementAndGet();
                return time.nanoTime();
            }
        };
        Roster roster = new Roster("test", List.of(bass.entry(), melody.entry()));
        DirectorEngine engine = DirectorEngine.builder(Timelines.twoVoices(2), roster).sinks(List.of(bass, melody))
                .clock(clock).waiter(time).shutdownHook(false)
                .observer((player, hz, deadline, sendAt, sent) -> observed.add(player)).build();
        engines.add(engine);

        assertThat(engine.warmUp.datagrams()).isGreaterThanOrEqualTo(SendPathWarmUp.DEFAULT_SENDS); // it ran
        assertThat(cpuReads.get()).isPositive(); // the real clock's CPU-time reader is looked up before the first note
        assertThat(bass.sent()).isEmpty();
        assertThat(melody.sent()).isEmpty();
        assertThat(observed).isEmpty();
        assertThat(engine.accuracy().count()).isZero();
        assertThat(engine.state().notesSent()).isZero();

        engine.play();
        assertThat(engine.awaitState(DirectorEngineTest::ended, WAIT)).isTrue();
        assertThat(bass.hzCollapsed()).containsExactly(100, 105, 110, 115, 0); // the piece, from its first note
        assertThat(engine.accuracy().count()).isEqualTo((4 + 1) + (8 + 1));
    }
}
