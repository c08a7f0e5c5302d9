package dev.concerto.player.synth;

import dev.concerto.protocol.Clock;
import java.util.concurrent.locks.LockSupport;

/**
 * The precise-wait strategy, defined once for the director and the player: park until
 * {@value #SPIN_NANOS} ns before a deadline, then spin. On JDK 17 {@code Thread.sleep} rounds to
 * whole milliseconds and {@code parkNanos} overshoots by ~50 µs (timer slack) or more, so the last
 * stretch is a busy wait; it costs one core for a fraction of a millisecond per deadline.
 *
 * <p>Thread-safety: stateless; each call waits on the calling thread.
 */
public final class PreciseWait {

    /** How long before a deadline parking stops and spinning starts, in nanoseconds. */
    public static final long SPIN_NANOS = 200_000;

    private PreciseWait() {
    }

    /**
     * One step of a wait that re-checks its own conditions (a wake-up, a changed deadline) between
     * steps: parks until {@code spinNanos} before the deadline, or spins once when closer.
     *
     * @param remainingNanos time left to the deadline, ns (&gt; 0)
     * @param spinNanos      how long before the deadline to stop parking, ns (&ge; 0)
     * @param blocker        what the thread parks on (shown by thread dumps), or null
     */
    public static void step(long remainingNanos, long spinNanos, Object blocker) {
        if (remainingNanos > spinNanos) {
            LockSupport.parkNanos(blocker, remainingNanos - spinNanos);
        } else {
            Thread.onSpinWait();
        }
    }

    /**
     * Waits until {@code clock.nanoTime() >= deadlineNanos}.
     *
     * @throws InterruptedException when the thread is interrupted (the wait ends at once)
     */
    public static void until(Clock clock, long deadlineNanos) throws InterruptedException {
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long left = deadlineNanos - clock.nanoTime();
            if (left <= 0) {
                return;
            }
            step(left, SPIN_NANOS, null);
        }
    }
}
