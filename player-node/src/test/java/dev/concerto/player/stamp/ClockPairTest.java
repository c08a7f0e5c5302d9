package dev.concerto.player.stamp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.protocol.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockPairTest {

    /** A monotonic clock that returns the readings given, in order. */
    private static Clock readings(Long... nanos) {
        Deque<Long> left = new ArrayDeque<>(List.of(nanos));
        return new Clock() {
            @Override
            public long nanoTime() {
                return left.removeFirst();
            }

            @Override
            public long epochMicros() {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void anUndisturbedReadIsTakenAtTheMidpointOfItsTwoSides() {
        ClockPair pair = new ClockPair(() -> 9_000_000L);
        pair.read(readings(1_000L, 1_400L));
        assertThat(pair.clockNanos()).isEqualTo(1_200L);
        assertThat(pair.realNanos()).isEqualTo(9_000_000L);
        assertThat(pair.widthNanos()).isEqualTo(400L);
    }

    @Test
    void aPreemptionBetweenTheReadsIsReadAgainAndTheTightestPairKept() {
        // The first read was pre-empted for 1.3 ms after the wall clock; the next one was not. Taken as
        // it came, a stamp's age would have been 1.3 ms too long (the bench's sync reply that seemed to
        // arrive before its request left).
        long[] wall = {50_000_000L, 51_310_000L};
        int[] call = {0};
        ClockPair pair = new ClockPair(() -> wall[call[0]++]);
        pair.read(readings(1_000_000L, 2_300_000L, 2_310_000L, 2_310_400L));
        assertThat(pair.clockNanos()).isEqualTo(2_310_200L);
        assertThat(pair.realNanos()).isEqualTo(51_310_000L);
        assertThat(pair.widthNanos()).isEqualTo(400L);
    }

    @Test
    void aMachineBusyAtEveryTryKeepsItsTightestOfFour() {
        long[] n = {0};
        ClockPair pair = new ClockPair(() -> n[0]++);
        pair.read(readings(0L, 900_000L, 1_000_000L, 1_050_000L, 2_000_000L, 2_500_000L, 3_000_000L, 3_300_000L));
        assertThat(pair.widthNanos()).isEqualTo(50_000L);
        assertThat(pair.clockNanos()).isEqualTo(1_025_000L);
        assertThat(pair.realNanos()).isEqualTo(1L);
    }
}
