package dev.concerto.director.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler with a sender that wants changes ahead (as a timed player's does), on virtual
 * time: each change is handed over exactly one lead before it is due, with its due time and the
 * due time of the voice's next change; the piece ends only once its last change is due; pause
 * silences at once and resume hands over again what had been sent ahead but not heard.
 */
class EngineLeadTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long SECOND = 1_000_000_000L;
    private static final long LEAD = 100_000_000L;
    private final VirtualTime time = new VirtualTime();
    private final List<DirectorEngine> engines = new ArrayList<>();

    @AfterEach
    void closeEngines() {
        engines.forEach(DirectorEngine::close);
    }

    /** Records (clock, hz, due, end) of every change and every silence. */
    static final class AheadSender implements Sender {
        record Change(long nanos, int hz, long due, long end) {
        }

        final RosterEntry entry;
        final VirtualTime time;
        final List<Change> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Long> silences = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** Runs on the scheduler thread after each change, with the number of changes so far. */
        volatile java.util.function.IntConsumer hook = n -> { };

        AheadSender(String voice, VirtualTime time) {
            this.entry = new RosterEntry(voice, "127.0.0.1", 9, Protocol.TIMED, voice);
            this.time = time;
        }

        @Override
        public RosterEntry entry() {
            return entry;
        }

        @Override
        public String destination() {
            return "127.0.0.1:9";
        }

        @Override
        public long leadNanos() {
            return LEAD;
        }

        @Override
        public boolean send(int hz) {
            throw new AssertionError("a sender with a lead gets due times");
        }

        @Override
        public boolean send(int hz, long dueNanos, long endNanos) {
            changes.add(new Change(time.nanoTime(), hz, dueNanos, endNanos));
            hook.accept(changes.size());
            return true;
        }

        @Override
        public boolean silenceNow() {
            silences.add(time.nanoTime());
            return true;
        }

        @Override
        public long unreachableCount() {
            return 0;
        }

        @Override
        public long droppedCount() {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    private DirectorEngine engine(List<? extends Sender> senders) {
        DirectorEngine e = DirectorEngine.builder(Timelines.twoVoices(1), senders).clock(time).waiter(time)
                .shutdownHook(false).startLead(0).build();
        engines.add(e);
        return e;
    }

    @Test
    void changesAreHandedOverOneLeadAheadWithTheirDueAndEndTimes() throws Exception {
        AheadSender bass = new AheadSender("bass", time);
        AheadSender melody = new AheadSender("melody", time);
        DirectorEngine engine = engine(List.of(bass, melody));
        assertThat(engine.leadNanos()).isEqualTo(LEAD);
        long start = time.nanoTime();
        engine.play();
        assertThat(engine.awaitState(s -> s.state() == PlayState.STOPPED && s.notesSent() > 0, WAIT)).isTrue();

        long t0 = start + LEAD; // the first note sounds one lead after play
        assertThat(melody.changes).extracting(AheadSender.Change::hz).containsExactly(200, 201, 202, 203, 0);
        for (int k = 0; k < 5; k++) {
            AheadSender.Change c = melody.changes.get(k);
            assertThat(c.due()).isEqualTo(t0 + k * SECOND);
            assertThat(c.nanos()).isEqualTo(c.due() - LEAD);
            assertThat(c.end()).isEqualTo(k < 4 ? t0 + (k + 1) * SECOND : Long.MAX_VALUE);
        }
        // The bass: 100 Hz for two beats, 105 Hz for two, then its end.
        assertThat(bass.changes).extracting(AheadSender.Change::hz).containsExactly(100, 105, 0);
        assertThat(bass.changes.get(0).end()).isEqualTo(t0 + 2 * SECOND);
        // The end of the piece (and its silence) comes once the last change is due, not a lead early.
        assertThat(melody.silences).hasSize(DirectorEngine.SILENCE_REPEATS);
        assertThat(melody.silences.get(0)).isEqualTo(t0 + 4 * SECOND);
        // Accuracy is measured against the send time (due - lead): on virtual time, exact.
        assertThat(engine.accuracy().maxMicros()).isZero();
    }

    @Test
    void pauseSilencesAtOnceAndResumeHandsOverAgainWhatWasSentAheadButNotHeard() throws Exception {
        AheadSender melody = new AheadSender("melody", time);
        DirectorEngine engine = engine(List.of(melody));
        // Pause right after the second note was handed over, a lead before it sounds.
        melody.hook = n -> {
            if (n == 2) {
                engines.get(0).pause();
            }
        };
        engine.play();
        assertThat(engine.awaitState(s -> s.state() == PlayState.PAUSED, WAIT)).isTrue();
        double pos = engine.state().positionSeconds();
        assertThat(pos).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9)); // heard: the first note only
        assertThat(melody.silences).hasSize(DirectorEngine.SILENCE_REPEATS);
        engine.resume();
        assertThat(engine.awaitState(s -> s.state() == PlayState.STOPPED, WAIT)).isTrue();
        // After resume: the first note again (held across the position), then 201 again, then on.
        List<Integer> hz = melody.changes.stream().map(AheadSender.Change::hz).toList();
        assertThat(hz).containsExactly(200, 201, 200, 201, 202, 203, 0);
    }
}
