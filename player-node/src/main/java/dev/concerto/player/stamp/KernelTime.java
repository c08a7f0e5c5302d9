package dev.concerto.player.stamp;

import dev.concerto.protocol.Clock;

/**
 * Converts a kernel time stamp ({@code CLOCK_REALTIME}) to any monotonic clock by its age: a
 * datagram stamped {@code age} ns before the wall clock read {@code realNowNanos} reached the
 * process {@code age} ns before the monotonic clock read {@code clockNowNanos} (both read together
 * right after the receive: {@link dev.concerto.protocol.ClockPair} over {@link #withRealWallClock};
 * two plain reads a pre-emption apart made one datagram 1.3 ms older than it was, on the bench's busy
 * two cores). Only the age comes from the wall clock, so a skewed or stepped test clock
 * ({@link dev.concerto.protocol.SkewedClock}) is served as well as the machine's, and a wall clock
 * stepped at some other time does not matter. Pure; thread-safe.
 */
public final class KernelTime {

    /**
     * Ages longer than this are not believed (a wall-clock step between the stamp and the read), ns:
     * the caller keeps its own stamp. A datagram waits in a socket a few ms at most on a busy machine.
     */
    public static final long MAX_AGE_NANOS = 1_000_000_000L;

    private KernelTime() {
    }

    /**
     * {@code clock}'s monotonic time beside the machine's real wall clock ({@code CLOCK_REALTIME}, the
     * kernel stamps' clock, to the µs), to be read together with {@link dev.concerto.protocol.ClockPair}:
     * a test clock's own wall clock may be skewed with it.
     */
    public static Clock withRealWallClock(Clock clock) {
        return new Clock() {
            @Override
            public long nanoTime() {
                return clock.nanoTime();
            }

            @Override
            public long epochMicros() {
                return Clock.SYSTEM.epochMicros();
            }
        };
    }

    /**
     * When the kernel stamped, on the monotonic clock.
     *
     * @param clockNowNanos   the monotonic clock, read right after the receive
     * @param realNowNanos    {@code CLOCK_REALTIME} ns read next to it
     * @param kernelRealNanos the kernel's stamp ({@code CLOCK_REALTIME} ns), or {@link ControlMessages#NONE}
     * @return {@code clockNowNanos - age}; {@code clockNowNanos} itself when there is no stamp or its
     *         age is negative (the wall clock stepped back) or above {@link #MAX_AGE_NANOS}
     */
    public static long onClock(long clockNowNanos, long realNowNanos, long kernelRealNanos) {
        if (kernelRealNanos == ControlMessages.NONE) {
            return clockNowNanos;
        }
        long age = realNowNanos - kernelRealNanos;
        return age >= 0 && age <= MAX_AGE_NANOS ? clockNowNanos - age : clockNowNanos;
    }
}
