package dev.concerto.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SkewedClockTest {

    private static final class FakeClock implements Clock {
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
    void runsFastBySomePartsPerMillion() {
        FakeClock base = new FakeClock();
        SkewedClock c = new SkewedClock(base, 200, Long.MAX_VALUE, 0);
        long start = c.nanoTime();
        base.nanos.addAndGet(10_000_000_000L); // 10 s
        assertThat(c.nanoTime() - start).isEqualTo(10_002_000_000L);
        assertThat(c.epochMicros()).isEqualTo(base.epochMicros()); // wall time untouched
    }

    @Test
    void stepsOnceAtItsTime() {
        FakeClock base = new FakeClock();
        SkewedClock c = new SkewedClock(base, 0, 5_000_000_000L, -3_000_000_000L);
        long start = c.nanoTime();
        base.nanos.addAndGet(4_999_999_999L);
        assertThat(c.nanoTime() - start).isEqualTo(4_999_999_999L);
        base.nanos.addAndGet(1);
        assertThat(c.nanoTime() - start).isEqualTo(2_000_000_000L);
    }

    @Test
    void mapsItsReadingsBackToTheBaseClock() {
        FakeClock base = new FakeClock();
        SkewedClock c = new SkewedClock(base, -150, 2_000_000_000L, 7_000_000_000L);
        base.nanos.addAndGet(1_000_000_000L);
        long future = c.nanoTime() + 500_000_000L;
        assertThat(Math.abs(c.fromBaseNanos(c.toBaseNanos(future)) - future)).isLessThanOrEqualTo(1);
        base.nanos.addAndGet(5_000_000_000L); // after the step
        long later = c.nanoTime() + 500_000_000L;
        assertThat(Math.abs(c.fromBaseNanos(c.toBaseNanos(later)) - later)).isLessThanOrEqualTo(1);
    }

    @Test
    void refusesAbsurdSkews() {
        assertThatThrownBy(() -> new SkewedClock(Clock.SYSTEM, 5000, Long.MAX_VALUE, 0))
                .hasMessageContaining("outside");
    }
}
