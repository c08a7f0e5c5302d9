package dev.concerto.director.net;

import dev.concerto.director.engine.Waiter;
import dev.concerto.player.synth.PreciseWait;
import dev.concerto.protocol.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The director's {@link Waiter} on the one precise-wait strategy ({@link PreciseWait}: park until
 * {@value #DEFAULT_SPIN_NANOS} ns before a deadline, then spin), with wake-ups from other threads.
 *
 * <p>Thread-safety: one waiting thread (the first to wait owns it); {@link #wake()} from any thread.
 */
public final class PreciseWaiter implements Waiter {

    /** How long before a deadline parking stops and spinning starts, in nanoseconds. */
    public static final long DEFAULT_SPIN_NANOS = PreciseWait.SPIN_NANOS;

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
        return await(deadlineNanos, spinNanos);
    }

    @Override
    public boolean awaitRoughly(long deadlineNanos) {
        return await(deadlineNanos, 0); // no spinning: parks all the way
    }

    private boolean await(long deadlineNanos, long spinBeforeNanos) {
        owner = Thread.currentThread();
        while (true) {
            if (woken.get() && woken.getAndSet(false)) {
                return false;
            }
            long remaining = deadlineNanos - clock.nanoTime();
            if (remaining <= 0) {
                return true;
            }
            PreciseWait.step(remaining, spinBeforeNanos, this);
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
