package dev.concerto.player.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.concerto.protocol.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * One {@link FrameTimer} shared by many null generators (an ensemble's): each change is applied to
 * its own generator once its frame is due, in frame order, changes of one instant together; a
 * withdrawn change never sounds; closing a generator withdraws only its own changes.
 */
class FrameTimerTest {

    /** A clock the test moves by hand: nothing is due until the test says so. */
    private static final class HandClock implements Clock {
        final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        @Override
        public long nanoTime() {
            return nanos.get();
        }

        @Override
        public long epochMicros() {
            return 1_700_000_000_000_000L + nanos.get() / 1000;
        }
    }

    @Test
    void oneTimerAppliesTheChangesOfManyGeneratorsAtTheirFramesInOrder() {
        HandClock clock = new HandClock();
        List<String> applied = new CopyOnWriteArrayList<>();
        try (FrameTimer timer = new FrameTimer("test", clock)) {
            NullGenerator a = new NullGenerator(clock, timer);
            NullGenerator b = new NullGenerator(clock, timer);
            a.setListener((hz, frame, sound, tag) -> applied.add("a" + (int) hz + "@" + frame));
            b.setListener((hz, frame, sound, tag) -> applied.add("b" + (int) hz + "@" + frame));
            long chord = a.frameAt(clock.nanoTime()) + 4_800; // 100 ms ahead
            b.schedule(330, chord + 480, "b-later");
            a.schedule(220, chord, "a-chord");
            b.schedule(110, chord, "b-chord");
            Object withdrawn = "a-withdrawn";
            a.schedule(999, chord, withdrawn);
            a.cancel(withdrawn);
            assertThat(timer.pendingCount()).isEqualTo(3);
            assertThat(applied).isEmpty();

            clock.nanos.addAndGet(100_000_000L); // the chord's frame has come
            awaitSize(applied, 2);
            assertThat(applied).containsExactly("a220@" + chord, "b110@" + chord); // in the order scheduled
            assertThat(a.frequency()).isEqualTo(220);
            assertThat(b.frequency()).isEqualTo(110);

            b.close(); // withdraws b's own change only
            a.schedule(440, chord + 480, "a-later");
            clock.nanos.addAndGet(10_000_000L);
            awaitSize(applied, 3);
            assertThat(applied).last().isEqualTo("a440@" + (chord + 480));
            assertThat(timer.pendingCount()).isZero();
            assertThatThrownBy(() -> b.schedule(1, chord + 960, "closed")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aGeneratorWithoutASharedTimerHasItsOwnAndStopsIt() {
        HandClock clock = new HandClock();
        List<Double> applied = new CopyOnWriteArrayList<>();
        NullGenerator g = new NullGenerator(clock);
        g.setListener((hz, frame, sound, tag) -> applied.add(hz));
        g.schedule(220, g.frameAt(clock.nanoTime()) + 48, "soon");
        clock.nanos.addAndGet(2_000_000L);
        awaitSize(applied, 1);
        g.close();
        assertThat(applied).containsExactly(220.0);
        assertThatThrownBy(() -> g.schedule(1, 0, "closed")).isInstanceOf(IllegalStateException.class);
    }

    private static void awaitSize(List<?> list, int size) {
        long end = System.nanoTime() + 10_000_000_000L;
        while (list.size() < size && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        assertThat(list).hasSizeGreaterThanOrEqualTo(size);
    }
}
