package dev.concerto.director.engine;

import dev.concerto.protocol.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake clock and waiter for tests: waiting for a deadline jumps the clock to it at once, so a
 * whole piece plays in microseconds of real time without sleeping, deterministically. Waiting
 * with no deadline blocks (really) until a wake.
 */
public final class VirtualTime implements Clock, Waiter {

    public static final long ORIGIN = 1_000_000_000_000L;
    private final AtomicLong nanos = new AtomicLong(ORIGIN);
    private boolean woken;

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public long epochMicros() {
        return 1_700_000_000_000_000L + (nanos.get() - ORIGIN) / 1_000;
    }

    /** Moves the clock on (as if the test waited). */
    public void advance(long deltaNanos) {
        nanos.addAndGet(deltaNanos);
    }

    @Override
    public synchronized boolean awaitDeadline(long deadlineNanos) {
        if (woken) {
            woken = false;
            return false;
        }
        nanos.accumulateAndGet(deadlineNanos, Math::max);
        return true;
    }

    @Override
    public synchronized void awaitWake() {
        while (!woken) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        woken = false;
    }

    @Override
    public synchronized void wake() {
        woken = true;
        notifyAll();
    }
}
