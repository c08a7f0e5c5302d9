package dev.concerto.protocol;

import java.util.Objects;

/**
 * A testing aid: a monotonic clock that runs {@code ppm} parts per million fast (negative: slow)
 * against another, and optionally steps once by a given amount at a given time — as the crystal of
 * a real board runs off, and as a rebooted board's monotonic clock starts again elsewhere. Used by
 * a player started with {@code --clock-skew-ppm} / {@code --clock-step} so that the director's clock
 * estimator meets clocks that are not the machine's one CLOCK_MONOTONIC.
 *
 * <p>Only {@link #nanoTime()} is skewed and stepped: it is the clock the protocol runs on (sync
 * replies, start times, leases). {@link #epochMicros()} stays the base clock's wall time, so event
 * files remain comparable with other processes' (a bench measures against them).
 *
 * <p>Immutable apart from the base clock; thread-safe.
 */
public final class SkewedClock implements Clock {

    private final Clock base;
    private final double rate;
    private final long originNanos;
    private final long stepAtNanos;
    private final long stepByNanos;

    /**
     * @param base           the clock to skew
     * @param ppm            how much faster this clock runs, parts per million (−1000..1000)
     * @param stepAfterNanos when the step happens, base nanoseconds after this clock is made
     *                       ({@code Long.MAX_VALUE}: never)
     * @param stepByNanos    how far it steps (negative: back), ns
     */
    public SkewedClock(Clock base, double ppm, long stepAfterNanos, long stepByNanos) {
        this.base = Objects.requireNonNull(base, "base");
        if (!(ppm >= -1000 && ppm <= 1000)) {
            throw new IllegalArgumentException("clock skew " + ppm + " ppm is outside -1000..1000");
        }
        if (stepAfterNanos < 0) {
            throw new IllegalArgumentException("a clock step cannot happen before the clock starts");
        }
        this.rate = 1 + ppm * 1e-6;
        this.originNanos = base.nanoTime();
        this.stepAtNanos = stepAfterNanos == Long.MAX_VALUE ? Long.MAX_VALUE : originNanos + stepAfterNanos;
        this.stepByNanos = stepByNanos;
    }

    /** This clock's reading at base instant {@code baseNanos}. */
    public long fromBaseNanos(long baseNanos) {
        long skewed = originNanos + Math.round((baseNanos - originNanos) * rate);
        return baseNanos >= stepAtNanos ? skewed + stepByNanos : skewed;
    }

    /**
     * The base instant at which this clock reads {@code nanos}, as the clock is now (after a step,
     * its readings map through the stepped clock): turns a time in this clock back into the base
     * clock's, e.g. to find the audio frame of a start time.
     */
    public long toBaseNanos(long nanos) {
        boolean stepped = base.nanoTime() >= stepAtNanos;
        long unstepped = stepped ? nanos - stepByNanos : nanos;
        return originNanos + Math.round((unstepped - originNanos) / rate);
    }

    @Override
    public long nanoTime() {
        return fromBaseNanos(base.nanoTime());
    }

    /** As its base: a skew of at most 1000 ppm changes a µs-long age by a ns. */
    @Override
    public boolean followsRealTime() {
        return base.followsRealTime();
    }

    @Override
    public long epochMicros() {
        return base.epochMicros();
    }

    @Override
    public String toString() {
        return String.format("SkewedClock[%+.1f ppm%s]", (rate - 1) * 1e6,
                stepAtNanos == Long.MAX_VALUE ? "" : String.format(", step %+d ms", stepByNanos / 1_000_000));
    }
}
