package dev.concerto.player.stamp;

import dev.concerto.protocol.Clock;

/**
 * The clock a player's core stamps its sync replies' {@code t3} with: the player's clock moved on by
 * the {@link SendLag} estimate, so {@code t3} says when the reply is expected to leave (its kernel
 * send stamp), not when the core read the clock before handing it over. It remembers the raw reading
 * it last gave, so the shell can measure the send lag of that reply when its kernel stamp comes back.
 * With no lag learnt (no kernel stamps), it reads exactly as the clock it wraps.
 *
 * <p>Not thread-safe beyond what {@link Clock} requires of {@link #epochMicros()}: {@link #nanoTime()}
 * is read by the core's owner thread only, which also feeds the lag.
 */
public final class DepartureClock implements Clock {

    private final Clock clock;
    private final SendLag lag = new SendLag();
    private long lastRawNanos = Long.MIN_VALUE;

    public DepartureClock(Clock clock) {
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
    }

    /** The wrapped clock's reading plus the send lag learnt so far. */
    @Override
    public long nanoTime() {
        long raw = clock.nanoTime();
        lastRawNanos = raw;
        return raw + lag.estimate();
    }

    @Override
    public long epochMicros() {
        return clock.epochMicros();
    }

    @Override
    public boolean followsRealTime() {
        return clock.followsRealTime();
    }

    /** The wrapped clock's value at the last {@link #nanoTime()}, or {@code Long.MIN_VALUE} before the first. */
    public long lastRawNanos() {
        return lastRawNanos;
    }

    /** The lag learnt from the replies sent so far. */
    public SendLag lag() {
        return lag;
    }
}
