package dev.concerto.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockPairTest {

    /** A clock that returns scripted monotonic readings and a wall clock at 1e9 µs + monotonic µs. */
    private static Clock scripted(List<Long> nanos) {
        Deque<Long> q = new ArrayDeque<>(nanos);
        long[] last = {0};
        return new Clock() {
            @Override
            public long nanoTime() {
                last[0] = q.isEmpty() ? last[0] : q.poll();
                return last[0];
            }

            @Override
            public long epochMicros() {
                return 1_000_000_000L + last[0] / 1000;
            }
        };
    }

    @Test
    void aTightBracketIsTakenAtOnceAndPairsTheWallClockWithItsMiddle() {
        ClockPair p = ClockPair.read(scripted(List.of(1_000_000L, 1_001_000L)));
        assertThat(p.nanos()).isEqualTo(1_000_500L);
        assertThat(p.spanNanos()).isEqualTo(1_000L);
        assertThat(p.epochMicros()).isEqualTo(1_000_001_000L);
        assertThat(p.epochMinusMonotonicMicros()).isEqualTo(1_000_000_000L);
    }

    @Test
    void aPreemptedReadingIsRetriedAndTheTightestKept() {
        // first try preempted for 5 ms between its readings, second 1 ms, third tight
        ClockPair p = ClockPair.read(scripted(List.of(0L, 5_000_000L, 6_000_000L, 7_000_000L, 8_000_000L, 8_010_000L)));
        assertThat(p.spanNanos()).isEqualTo(10_000L);
        assertThat(p.nanos()).isEqualTo(8_005_000L);
    }

    @Test
    void afterEveryTryIsPreemptedTheTightestIsUsed() {
        ClockPair p = ClockPair.read(scripted(List.of(0L, 9_000_000L, 10_000_000L, 10_100_000L, 11_000_000L, 19_000_000L,
                20_000_000L, 29_000_000L)));
        assertThat(p.spanNanos()).isEqualTo(100_000L);
        assertThat(p.nanos()).isEqualTo(10_050_000L);
    }
}
