package dev.concerto.director.live;

import dev.concerto.director.net.PreciseWaiter;
import dev.concerto.director.engine.Waiter;
import dev.concerto.protocol.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that drives a {@link LiveConductor}: runs what is due, then waits (parking, then
 * spinning the last 0.2 ms, {@link PreciseWaiter}) until the next action or until an input wakes
 * it. {@link #close()} ends it.
 *
 * <p>It writes no socket: the notes it hands over go to a {@link LiveNoteSink}, in the running
 * director an {@link EngineNoteSink} that queues them for the engine's scheduler thread, the one
 * thread that writes the players' sockets.
 */
public final class LiveLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveLoop.class);

    private final LiveConductor conductor;
    private final Clock clock;
    private final Waiter waiter;
    private final Thread thread;
    private volatile boolean closed;

    public LiveLoop(LiveConductor conductor, Clock clock) {
        this.conductor = Objects.requireNonNull(conductor, "conductor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.waiter = new PreciseWaiter(clock);
        conductor.setWakeUp(waiter::wake);
        this.thread = new Thread(this::run, "concerto-live");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
    }

    public LiveLoop start() {
        thread.start();
        return this;
    }

    private void run() {
        while (!closed) {
            long next;
            try {
                next = conductor.runDue(clock.nanoTime());
            } catch (RuntimeException e) {
                LOG.error("live input: {}", e.toString(), e); // one bad command must not end live input
                continue;
            }
            if (closed) {
                break;
            }
            if (next == Long.MAX_VALUE) {
                waiter.awaitWake();
            } else {
                waiter.awaitDeadline(next);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        waiter.wake();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
