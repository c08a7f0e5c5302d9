package dev.concerto.player.stamp;

import dev.concerto.protocol.Clock;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Reads a monotonic clock and {@code CLOCK_REALTIME} together, for turning a kernel stamp (wall-clock
 * time) into monotonic time by its age ({@link KernelTime}). Two plain reads one after the other are
 * as far apart as any pre-emption between them: a thread descheduled for 1.3 ms there made a
 * datagram look 1.3 ms older than it was (a sync reply whose request seemed to arrive before it was
 * sent, on the bench's busy two cores). So the monotonic clock is read on both sides of the wall
 * clock, the pair is taken at their midpoint, and it is read again while the two sides are more than
 * {@value #TIGHT_NANOS} ns apart, up to {@value #TRIES} times, keeping the tightest.
 *
 * <p>Not thread-safe: one owner (a socket's reader), allocation-free but for {@link Instant#now()}.
 */
final class ClockPair {

    /** A pair read within this is kept at once, ns (an undisturbed read takes well under a µs). */
    static final long TIGHT_NANOS = 20_000;
    /** Reads at most. */
    static final int TRIES = 4;

    private final LongSupplier wallNanos;
    private long clockNanos;
    private long realNanos;
    private long widthNanos;

    /** Reading {@code CLOCK_REALTIME} through {@link Instant#now()}. */
    ClockPair() {
        this(ClockPair::instantNowNanos);
    }

    /** Reading the wall clock from {@code wallNanos} (ns since the epoch): for tests. */
    ClockPair(LongSupplier wallNanos) {
        this.wallNanos = wallNanos;
    }

    /** Reads {@code clock} and the wall clock together (see the class). */
    void read(Clock clock) {
        widthNanos = Long.MAX_VALUE;
        for (int i = 0; i < TRIES; i++) {
            long before = clock.nanoTime();
            long real = wallNanos.getAsLong();
            long after = clock.nanoTime();
            long width = after - before;
            if (width < widthNanos) {
                widthNanos = width;
                clockNanos = before + width / 2;
                realNanos = real;
            }
            if (width <= TIGHT_NANOS) {
                return;
            }
        }
    }

    /** The monotonic clock of the last {@link #read}, ns. */
    long clockNanos() {
        return clockNanos;
    }

    /** The wall clock read with it, ns since the epoch. */
    long realNanos() {
        return realNanos;
    }

    /** How far apart the monotonic reads around the kept wall-clock read were, ns (its uncertainty). */
    long widthNanos() {
        return widthNanos;
    }

    private static long instantNowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
