package dev.concerto.director.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The scheduler's lateness margin on a fake clock. */
class LatenessMarginTest {

    private static final long MS = 1_000_000L;

    @Test
    void risesAtOnceToTheLatenessSeenHoldsAndComesDownSlowerThanTimePasses() {
        LatenessMargin m = new LatenessMargin();
        assertThat(m.handedOver(1_000 * MS, 1_000 * MS)).isFalse();
        assertThat(m.nanos()).isZero();
        assertThat(m.handedOver(1_100 * MS, 1_120 * MS)).isTrue(); // 20 ms late
        assertThat(m.nanos()).isEqualTo(20 * MS);
        // A change pulled forward by the raise (its send time before the raise) does not count.
        m.handedOver(1_090 * MS, 1_160 * MS);
        assertThat(m.nanos()).isEqualTo(20 * MS);
        // On time from then on: held for the hold, then down by 5 % of the time that passed.
        long horizon = 1_160 * MS + m.nanos();
        for (long t = 1_200 * MS; t <= 13_000 * MS; t += 62_500_000) {
            m.handedOver(t, t);
            assertThat(t + m.nanos()).isGreaterThanOrEqualTo(horizon);
            horizon = t + m.nanos();
            if (t < 1_120 * MS + LatenessMargin.HOLD_NANOS) {
                assertThat(m.nanos()).isEqualTo(20 * MS);
            }
        }
        assertThat(m.nanos()).isZero();
    }

    @Test
    void aBurstThatKeepsNeedingItKeepsIt() {
        LatenessMargin m = new LatenessMargin();
        for (long t = 0; t < 60_000 * MS; t += 62_500_000) { // every chord's last hand-over 15 ms after its time
            m.handedOver(t - m.nanos(), t - m.nanos() + 15 * MS);
        }
        assertThat(m.nanos()).isEqualTo(15 * MS);
    }

    @Test
    void isCapped() {
        LatenessMargin m = new LatenessMargin();
        m.handedOver(0, 3_000 * MS);
        assertThat(m.nanos()).isEqualTo(LatenessMargin.MAX_NANOS);
    }
}
