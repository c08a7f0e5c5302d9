package dev.concerto.player.stamp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.protocol.Clock;
import org.junit.jupiter.api.Test;

class SendLagTest {

    @Test
    void theEstimateIsALowQuantileOfTheLastWindowAndIgnoresTheImpossible() {
        SendLag lag = new SendLag();
        assertThat(lag.estimate()).isZero();
        lag.add(30_000);
        assertThat(lag.estimate()).isEqualTo(30_000);
        lag.add(40_000);
        assertThat(lag.estimate()).isEqualTo(40_000); // the second smallest
        lag.add(5_000_000); // one preempted send moves nothing
        assertThat(lag.estimate()).isEqualTo(40_000);
        lag.add(10_000); // one lucky send alone does not either
        assertThat(lag.estimate()).isEqualTo(30_000);
        assertThat(lag.add(-1)).isFalse();
        assertThat(lag.add(SendLag.MAX_SAMPLE_NANOS + 1)).isFalse();
        assertThat(lag.count()).isEqualTo(4);
        for (int i = 0; i < SendLag.WINDOW; i++) {
            lag.add(12_000 + 1_000 * (i % 4));
        }
        assertThat(lag.count()).isEqualTo(SendLag.WINDOW);
        assertThat(lag.estimate()).isEqualTo(12_000); // the old samples have left the window
    }

    @Test
    void aBusyStartsLongLagsAreNotTakenWhole() {
        // The first replies of a busy start left ms after their stamps: a t3 that late would shorten the
        // round trip the director trusts by as much.
        SendLag lag = new SendLag();
        lag.add(8_000_000);
        lag.add(1_600_000);
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
        d.lag().add(25_000);
        now[0] = 2_000_000;
        assertThat(d.nanoTime()).isEqualTo(2_025_000);
        assertThat(d.lastRawNanos()).isEqualTo(2_000_000);
        assertThat(d.epochMicros()).isEqualTo(42);
    }
}
