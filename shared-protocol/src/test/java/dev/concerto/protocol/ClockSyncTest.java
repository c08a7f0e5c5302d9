package dev.concerto.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The estimator against simulated networks on a deterministic clock (no sleeping). */
class ClockSyncTest {

    /** A player clock: offset + drift relative to the director's, sampled through a simulated path. */
    private static final class SimulatedPath {
        final long offsetMicros;
        final double driftPpm;
        final Random random = new Random(846);

        SimulatedPath(long offsetMicros, double driftPpm) {
            this.offsetMicros = offsetMicros;
            this.driftPpm = driftPpm;
        }

        long player(long director) {
            return Math.round(director + offsetMicros + director * driftPpm * 1e-6);
        }

        /** One exchange at director time t1 with the given one-way delays and player turnaround. */
        void exchange(ClockSync sync, long t1, long outMicros, long backMicros) {
            long t2 = player(t1 + outMicros);
            long t3 = t2 + 30;
            long t4 = t1 + outMicros + 30 + backMicros;
            sync.add(t1, t2, t3, t4);
        }
    }

    @Test
    void symmetricPathGivesTheOffsetExactly() {
        var path = new SimulatedPath(5_000_000, 0);
        var sync = new ClockSync();
        for (int i = 0; i < 10; i++) {
            path.exchange(sync, 1_000_000L + i * 100_000L, 150, 150);
        }
        ClockSync.Estimate e = sync.estimate();
        assertThat(e.offsetMicros()).isCloseTo(5_000_000, within(1.0));
        assertThat(e.rttMicros()).isEqualTo(300);
        assertThat(e.toPlayerMicros(3_000_000)).isCloseTo(path.player(3_000_000), within(2L));
    }

    @Test
    void asymmetryBiasesByHalfTheDifferenceAndNoMore() {
        var path = new SimulatedPath(-2_000_000, 0);
        var sync = new ClockSync();
        for (int i = 0; i < 20; i++) {
            path.exchange(sync, 10_000_000L + i * 250_000L, 1_000, 3_000); // 1 ms out, 3 ms back
        }
        // NTP's inherent bias: (out - back) / 2 = -1 ms. The roster's latency offset corrects it.
        assertThat(sync.estimate().offsetMicros()).isCloseTo(-2_000_000 - 1_000, within(1.0));
    }

    @Test
    void queueingDelaysAreFilteredByPreferringShortRoundTrips() {
        var path = new SimulatedPath(123_456, 0);
        var sync = new ClockSync();
        for (int i = 0; i < ClockSync.WINDOW; i++) {
            // Mostly 200 µs each way, but with heavy one-sided queueing bursts (Wi-Fi): up to 40 ms.
            boolean burst = path.random.nextInt(4) != 0;
            long out = 200 + (burst ? path.random.nextInt(40_000) : path.random.nextInt(20));
            long back = 200 + path.random.nextInt(20);
            path.exchange(sync, 1_000_000L + i * 500_000L, out, back);
        }
        ClockSync.Estimate e = sync.estimate();
        assertThat(e.offsetMicros()).isCloseTo(123_456, within(30.0));
        assertThat(e.jitterMicros()).isLessThan(50); // the bursts are filtered out, not counted as jitter
    }

    @Test
    void noisySamplesOverAFewSecondsInventNoDrift() {
        // What the director saw on loopback: exchanges every 0.5 s, RTT 0.3-1 ms, no true drift.
        // Before the significance test, such noise produced a "drift" of 12-33 ppm.
        var path = new SimulatedPath(0, 0);
        var sync = new ClockSync();
        for (int i = 0; i < 30; i++) {
            path.exchange(sync, 1_000_000L + i * 500_000L, 150 + path.random.nextInt(400), 150 + path.random.nextInt(400));
        }
        ClockSync.Estimate e = sync.estimate();
        assertThat(e.driftPpm()).isZero();
        assertThat(e.offsetMicros()).isCloseTo(0, within(250.0));
    }

    @Test
    void tracksDriftBetweenTheClocks() {
        var path = new SimulatedPath(700_000, 50); // the player's crystal runs 50 ppm fast
        var sync = new ClockSync();
        long t = 0;
        for (int i = 0; i < 60; i++) { // one exchange a second for a minute
            t = 1_000_000L + i * 1_000_000L;
            path.exchange(sync, t, 300 + path.random.nextInt(50), 300 + path.random.nextInt(50));
        }
        ClockSync.Estimate e = sync.estimate();
        assertThat(e.driftPpm()).isCloseTo(50, within(3.0));
        // Ten seconds ahead, the prediction is still within a few tens of microseconds.
        long later = t + 10_000_000L;
        assertThat(e.toPlayerMicros(later)).isCloseTo(path.player(later), within(60L));
    }

    @Test
    void impossibleSamplesAreIgnored() {
        var sync = new ClockSync();
        assertThat(sync.add(100, 50, 40, 200)).isFalse(); // t3 before t2
        assertThat(sync.add(100, 50, 60, 90)).isFalse();  // t4 before t1
        assertThat(sync.estimate()).isNull();
        assertThat(sync.add(100, 5_000, 5_010, 300)).isTrue();
        assertThat(sync.samples()).isEqualTo(1);
    }
}
