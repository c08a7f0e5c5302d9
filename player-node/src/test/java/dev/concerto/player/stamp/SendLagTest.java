package dev.concerto.player.stamp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.protocol.Clock;
import org.junit.jupiter.api.Test;

class SendLagTest {

    @Test
    void theEstimateIsALowQuantileOfTheLastWindowAndIgnoresTheImpossible() {
        SendLag lag = new SendLag();
        assertThat(lag.estimate()).isZero();
        for (int i = 0; i < SendLag.WINDOW - 1; i++) {
            lag.add(30_000 + 1_000 * i);
        }
        assertThat(lag.estimate()).as("nothing added until the window is full").isZero();
        lag.add(5_000_000); // one preempted send moves nothing
        assertThat(lag.estimate()).isEqualTo(31_000); // the second smallest
        lag.add(10_000); // one lucky send alone does not either (it replaces the oldest, 30 µs)
        assertThat(lag.estimate()).isEqualTo(31_000);
        lag.add(12_000);
        assertThat(lag.estimate()).isEqualTo(12_000);
        assertThat(lag.add(-1)).isFalse();
        assertThat(lag.add(SendLag.MAX_SAMPLE_NANOS + 1)).isFalse();
        assertThat(lag.count()).isEqualTo(SendLag.WINDOW);
        for (int i = 0; i < SendLag.WINDOW; i++) {
            lag.add(15_000 + 1_000 * (i % 4));
        }
        assertThat(lag.estimate()).isEqualTo(15_000); // the old samples have left the window
    }

    @Test
    void aBusyStartsLongLagsAreNotTakenWhole() {
        // The first replies of a busy start left ms after their stamps: a t3 that late would shorten the
        // round trip the director trusts by as much.
        SendLag lag = new SendLag();
        for (int i = 0; i < SendLag.WINDOW; i++) {
            lag.add(1_600_000 + i);
        }
        assertThat(lag.estimate()).isEqualTo(SendLag.MAX_ESTIMATE_NANOS);
        lag.add(20_000);
        lag.add(25_000);
        assertThat(lag.estimate()).isEqualTo(25_000);
    }

    @Test
    void theDepartureClockReadsTheClockPlusTheLagAndRemembersTheRawReading() {
        long[] now = {1_000_000};
        Clock fake = new Clock() {
            @Override
            public long nanoTime() {
                return now[0];
            }

            @Override
            public long epochMicros() {
                return 42;
            }
        };
        DepartureClock d = new DepartureClock(fake);
        assertThat(d.nanoTime()).isEqualTo(1_000_000); // nothing learnt: the clock as it is
        for (int i = 0; i < SendLag.WINDOW; i++) {
            d.lag().add(25_000);
        }
        now[0] = 2_000_000;
        assertThat(d.nanoTime()).isEqualTo(2_025_000);
        assertThat(d.lastRawNanos()).isEqualTo(2_000_000);
        assertThat(d.epochMicros()).isEqualTo(42);
    }
}
