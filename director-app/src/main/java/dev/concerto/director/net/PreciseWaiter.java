package dev.concerto.director.net;

import dev.concerto.director.engine.Waiter;
import dev.concerto.protocol.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The director's precise-wait strategy, defined here only: parks until about {@value #DEFAULT_SPIN_NANOS} ns before a deadline, then
 * spins. On JDK 17 {@code Thread.sleep} rounds to whole milliseconds and {@code parkNanos}
 * overshoots by ~50 µs (timer slack) or more, so the last stretch is a busy wait; it costs one core
 * for a fraction of a millisecond per note.
 *
 * <p>Thread-safety: one waiting thread (the first to wait owns it); {@link #wake()} from any thread.
 */
public final class PreciseWaiter implements Waiter {

    /** How long before a deadline parking stops and spinning starts, in nanoseconds. */
    public static final long DEFAULT_SPIN_NANOS = 200_000;

    private final Clock clock;
    private final long spinNanos;
    private final AtomicBoolean woken = new AtomicBoolean();
    private volatile Thread owner;

    public PreciseWaiter(Clock clock) {
        this(clock, DEFAULT_SPIN_NANOS);
    }

    /** @param spinNanos how long before a deadline to stop parking and spin, &ge; 0 */
    public PreciseWaiter(Clock clock, long spinNanos) {
        if (spinNanos < 0) {
            throw new IllegalArgumentException("spinNanos < 0");
        }
        this.clock = clock;
        this.spinNanos = spinNanos;
    }

    @Override
    public boolean awaitDeadline(long deadlineNanos) {
        owner = Thread.currentThread();
        while (true) {
            if (woken.get() && woken.getAndSet(false)) {
                return false;
            }
            long remaining = deadlineNanos - clock.nanoTime();
            if (remaining <= 0) {
                return true;
            }
            if (remaining > spinNanos) {
                LockSupport.parkNanos(this, remaining - spinNanos);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public boolean awaitRoughly(long deadlineNanos) {
        owner = Thread.currentThread();
        while (true) {
            if (woken.get() && woken.getAndSet(false)) {
                return false;
            }
            long remaining = deadlineNanos - clock.nanoTime();
            if (remaining <= 0) {
                return true;
            }
            LockSupport.parkNanos(this, remaining);
        }
    }

    @Override
    public void awaitWake() {
        owner = Thread.currentThread();
        while (!woken.getAndSet(false)) {
            LockSupport.park(this);
        }
    }

    @Override
    public void wake() {
        woken.set(true);
        Thread t = owner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
