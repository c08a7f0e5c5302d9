package dev.concerto.player.stamp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KernelTimeTest {

    @Test
    void aStampIsMovedToTheClockByItsAge() {
        // Stamped 70 µs before the wall clock was read: 70 µs before the monotonic reading, whatever its origin.
        assertThat(KernelTime.onClock(5_000_000L, 1_700_000_000_000_070_000L, 1_700_000_000_000_000_000L))
                .isEqualTo(4_930_000L);
        assertThat(KernelTime.onClock(-3L, 100L, 100L)).isEqualTo(-3L); // age 0
    }

    @Test
    void noStampANegativeOrAnUnbelievableAgeKeepTheReading() {
        assertThat(KernelTime.onClock(5_000L, 1_000L, ControlMessages.NONE)).isEqualTo(5_000L);
        assertThat(KernelTime.onClock(5_000L, 1_000L, 2_000L)).isEqualTo(5_000L); // the wall clock stepped back
        assertThat(KernelTime.onClock(5_000L, KernelTime.MAX_AGE_NANOS + 1, 0L + 1)).isEqualTo(5_000L - KernelTime.MAX_AGE_NANOS);
        assertThat(KernelTime.onClock(5_000L, KernelTime.MAX_AGE_NANOS + 2, 1L)).isEqualTo(5_000L);
    }

    @Test
    void aTestClocksMonotonicTimeIsPairedWithTheRealWallClock() {
        dev.concerto.protocol.Clock skewed = new dev.concerto.protocol.Clock() {
            @Override
            public long nanoTime() {
                return 42_000L;
            }

            @Override
            public long epochMicros() {
                return 7L; // a test clock's own wall clock: not what the kernel stamps with
            }
        };
        dev.concerto.protocol.Clock paired = KernelTime.withRealWallClock(skewed);
        assertThat(paired.nanoTime()).isEqualTo(42_000L);
        assertThat(paired.epochMicros()).isCloseTo(dev.concerto.protocol.Clock.SYSTEM.epochMicros(),
                org.assertj.core.data.Offset.offset(5_000_000L));
    }
}
