package dev.concerto.player.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The clock-to-frame fit of a javax.sound line, on synthetic observations (no real time). */
class FrameClockFitTest {

    static final int RATE = 48_000;

    @Test
    void beforeAnyObservationTheNominalRateFromTheStart() {
        FrameClockFit fit = new FrameClockFit(5_000_000_000L, RATE);
        assertThat(fit.frameAt(5_000_000_000L)).isZero();
        assertThat(fit.frameAt(6_000_000_000L)).isEqualTo(RATE);
    }

    @Test
    void followsASoundCardRunning80PpmFastThroughPeriodSizedPositionSteps() {
        long start = 1_000_000_000L;
        FrameClockFit fit = new FrameClockFit(start, RATE);
        double truePerNano = RATE * (1 + 80e-6) / 1e9;
        long t = start;
        for (int i = 0; i < 12_000; i++) {                 // 60 s of observations every 5 ms
            t += 5_000_000 + (i % 7) * 20_000;             // irregular wake-ups
            long played = (long) Math.floor((t - start) * truePerNano / 256) * 256; // moves in 256-frame steps
            fit.observe(played, t);
        }
        assertThat(fit.fit().driftPpm(RATE)).isBetween(70.0, 90.0);
        long ahead = t + 100_000_000L;                     // 100 ms ahead: where a timed tone would go
        double truth = (ahead - start) * truePerNano;
        // The steps lag the true position by half a step on average: within one step of the truth.
        assertThat((double) fit.frameAt(ahead)).isCloseTo(truth, org.assertj.core.data.Offset.offset(256.0));
    }

    @Test
    void anImplausibleRateIsClampedTo1000Ppm() {
        FrameClockFit fit = new FrameClockFit(0, RATE);
        for (int i = 1; i <= 1000; i++) {
            fit.observe(i * 500L, i * 5_000_000L);         // 100 kHz: not a 48 kHz card
        }
        assertThat(fit.fit().driftPpm(RATE)).isCloseTo(1000.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void theNullGeneratorAppliesScheduledChangesAndNeverACancelledOne() throws Exception {
        NullGenerator g = new NullGenerator();
        CopyOnWriteArrayList<String> applied = new CopyOnWriteArrayList<>();
        g.setListener((hz, frame, sound, tag) -> applied.add(tag == null ? "set " + (long) hz : tag + ":" + (long) hz));
        try {
            long soon = g.frameAt(System.nanoTime() + 20_000_000L);     // 20 ms ahead
            g.schedule(440, soon, "first");
            g.schedule(0, soon + 2_400, "second");                      // +50 ms
            g.schedule(880, soon + 1_200, "withdrawn");
            g.cancel("withdrawn");
            Audio.await(() -> applied.size() >= 2, "two scheduled changes");
            Thread.sleep(50);                                           // would the cancelled one show up?
            assertThat(applied).containsExactly("first:440", "second:0");
            assertThat(g.frequency()).isZero();
        } finally {
            g.close();
        }
    }
}
