package dev.concerto.director.engine;

import dev.concerto.protocol.ClockSync;
import dev.concerto.protocol.Clock;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Lets a sender that sends each change when it is due (the plain integer) play in an engine that
 * hands changes over one lead ahead (because other players of the roster speak the timed
 * protocol): changes wait on a queue and this sender's own thread sends each at its due time
 * (precise wait: park, then spin). So a mixed roster stays together: the timed players sound at
 * the due time, the plain-integer ones are sent to at the due time, as before.
 *
 * <p>The thread is owned by this sender and stopped by {@link #close()} (which also closes the
 * wrapped sender). Thread-safe.
 */
final class DelayedSender implements Sender {

    private record Change(int hz, long dueNanos) {
    }

    private final Sender inner;
    private final java.util.function.LongSupplier leadNanos;
    private final Clock clock;
    private final PreciseWaiter waiter;
    private final ConcurrentLinkedQueue<Change> queue = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    DelayedSender(Sender inner, java.util.function.LongSupplier leadNanos, Clock clock) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.leadNanos = leadNanos;
        this.clock = clock;
        this.waiter = new PreciseWaiter(clock);
        this.thread = new Thread(this::run, "concerto-delay-" + inner.entry().name());
        thread.setDaemon(true);
        thread.start();
    }

    Sender inner() {
        return inner;
    }

    private void run() {
        while (!closed) {
            Change c = queue.peek();
            if (c == null) {
                waiter.awaitWake();
                continue;
            }
            if (!waiter.awaitDeadline(c.dueNanos())) {
                continue; // woken: a new change, a silence or close; look again
            }
            synchronized (this) {
                if (queue.peek() == c) {
                    queue.poll();
                    inner.send(c.hz());
                }
            }
        }
    }

    @Override
    public RosterEntry entry() {
        return inner.entry();
    }

    @Override
    public String destination() {
        return inner.destination();
    }

    @Override
    public long leadNanos() {
        return leadNanos.getAsLong();
    }

    @Override
    public boolean send(int hz) {
        return send(hz, clock.nanoTime(), Long.MAX_VALUE);
    }

    @Override
    public boolean send(int hz, long dueNanos, long endNanos) {
        if (closed) {
            return false;
        }
        queue.add(new Change(hz, dueNanos));
        waiter.wake();
        return true;
    }

    @Override
    public synchronized boolean silenceNow() {
        queue.clear();
        waiter.wake();
        return inner.silenceNow();
    }

    @Override
    public long unreachableCount() {
        return inner.unreachableCount();
    }

    @Override
    public long droppedCount() {
        return inner.droppedCount();
    }

    @Override
    public PlayerActivity.Liveness liveness() {
        return inner.liveness();
    }

    @Override
    public ClockSync.Estimate clockEstimate() {
        return inner.clockEstimate();
    }

    @Override
    public PathTracker.Status pathStatus() {
        return inner.pathStatus();
    }

    @Override
    public String protocolInUse() {
        return inner.protocolInUse();
    }

    @Override
    public void close() {
        closed = true;
        waiter.wake();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        inner.close();
    }
}
