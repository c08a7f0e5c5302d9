package dev.concerto.director.net;

import dev.concerto.director.engine.Scheduler;
import dev.concerto.director.engine.TransportState;
import dev.concerto.director.engine.Waiter;
import dev.concerto.director.score.Timeline;
import dev.concerto.protocol.Clock;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The director's one scheduler thread: the only thread that touches the {@link Scheduler} and so
 * the only one that writes the players' sockets. It waits for the scheduler's next deadline
 * ({@link Waiter}: park then spin for precise work, park only for sync requests and lease
 * renewals), runs what is due, takes transport commands and arriving replies from two lock-free
 * queues that any thread may fill, and publishes {@link TransportState} snapshots to listeners
 * (on this thread; they must return quickly).
 *
 * <p>Closing asks the scheduler to silence every player (unless told not to) and ends the thread
 * once the silence rounds are out.
 */
final class SchedulerThread {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerThread.class);
    /** How often a snapshot is published while nothing else publishes (new clock-sync figures), ns. */
    private static final long REFRESH_NANOS = 1_000_000_000L;

    /** Work for the scheduler, applied on this thread with the clock's reading. */
    @FunctionalInterface
    interface Command {
        void apply(Scheduler scheduler, long nowNanos);
    }

    /** A datagram from a player, with its arrival time on the engine's clock. */
    private record Arrival(int player, byte[] datagram, long nanos) {
    }

    private static final Command CLOSE = (s, now) -> { };

    private final Scheduler scheduler;
    private final Timeline timeline;
    private final Clock clock;
    private final Waiter waiter;
    /** Whether snapshots are refreshed now and then for new clock-sync figures (timed players only). */
    private final boolean refreshes;
    private final Queue<Command> commands = new ConcurrentLinkedQueue<>();
    private final Queue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    private final List<Consumer<TransportState>> listeners = new CopyOnWriteArrayList<>();
    private final Set<Consumer<TransportState>> failedListeners = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Thread thread;
    private volatile TransportState state;
    private volatile Throwable lastError;
    private volatile boolean closed;
    private volatile boolean silenceOnClose = true;
    private long lastPublishNanos;

    SchedulerThread(Scheduler scheduler, Timeline timeline, Clock clock, Waiter waiter, boolean refreshes) {
        this.scheduler = scheduler;
        this.timeline = timeline;
        this.clock = clock;
        this.waiter = waiter;
        this.refreshes = refreshes;
        this.state = scheduler.snapshot(clock.nanoTime());
        this.thread = new Thread(this::run, "concerto-scheduler");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues a command and wakes the thread. Any thread. */
    void submit(Command c) {
        if (closed) {
            throw new IllegalStateException("the engine is closed");
        }
        commands.add(c);
        waiter.wake();
    }

    /** Queues a datagram that arrived from a player (roster index). Any thread, lock-free. */
    void received(int player, byte[] datagram, long arrivalNanos) {
        arrivals.add(new Arrival(player, datagram, arrivalNanos));
    }

    /** Asks the thread to end, silencing every player first when {@code silence}. Idempotent. Any thread. */
    void close(boolean silence) {
        if (!closed) {
            silenceOnClose = silence;
            closed = true;
            commands.add(CLOSE);
            waiter.wake();
        }
    }

    boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    /** Waits for the thread to end; returns whether it did. */
    boolean join(long millis) {
        if (!thread.isAlive()) {
            return true;
        }
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    TransportState state() {
        return state;
    }

    Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError);
    }

    void addListener(Consumer<TransportState> l) {
        listeners.add(l);
    }

    void removeListener(Consumer<TransportState> l) {
        listeners.remove(l);
    }

    private void run() {
        boolean closing = false;
        try {
            while (!(closing && !scheduler.silencing())) {
                try {
                    drainArrivals();
                    if (!scheduler.silencing() && !closing) {
                        closing = drainCommands();
                    }
                    scheduler.runDue(clock.nanoTime());
                    publishIfWanted();
                    if (closing) {
                        if (scheduler.silencing()) {
                            waiter.awaitDeadline(scheduler.nextPreciseNanos());
                        }
                        continue;
                    }
                    waitForWork();
                } catch (RuntimeException | Error e) {
                    lastError = e;
                    LOG.error("the scheduler failed at {}s (measure {}); silencing every player",
                            String.format("%.3f", scheduler.positionSeconds()),
                            timeline.measureAt(scheduler.positionSeconds()), e);
                    scheduler.halt(clock.nanoTime());
                    if (e instanceof VirtualMachineError) {
                        throw e;
                    }
                }
            }
        } finally {
            publish();
        }
    }

    private void waitForWork() {
        long precise = scheduler.nextPreciseNanos();
        long rough = refreshes ? Math.min(scheduler.nextRoughNanos(), lastPublishNanos + REFRESH_NANOS)
                : scheduler.nextRoughNanos();
        if (precise == Long.MAX_VALUE && rough == Long.MAX_VALUE) {
            waiter.awaitWake();
        } else if (precise <= rough) {
            waiter.awaitDeadline(precise);
        } else {
            waiter.awaitRoughly(rough);
        }
    }

    private void drainArrivals() {
        Arrival a;
        while ((a = arrivals.poll()) != null) {
            scheduler.onDatagram(a.player(), a.datagram(), a.datagram().length, a.nanos());
        }
    }

    /** @return true when the engine is to close (the scheduler then silences everyone, unless told not to) */
    private boolean drainCommands() {
        Command c;
        while ((c = commands.poll()) != null) {
            long now = clock.nanoTime();
            if (c == CLOSE) {
                if (silenceOnClose) {
                    scheduler.halt(now);
                }
                return true;
            }
            c.apply(scheduler, now);
            if (scheduler.silencing()) {
                break; // the rest waits until the silence is complete
            }
        }
        return false;
    }

    /** Publishes when the scheduler asks, or now and then for fresh clock-sync figures; never mid-silence. */
    private void publishIfWanted() {
        if (scheduler.silencing()) {
            return; // a stop, pause or end is published once every player has been silenced
        }
        long now = clock.nanoTime();
        if (scheduler.takePublishRequest() || (refreshes && now - lastPublishNanos >= REFRESH_NANOS)) {
            publish();
        }
    }

    /** Publishes a snapshot now. This thread only (commands may call it). */
    void publish() {
        long now = clock.nanoTime();
        lastPublishNanos = now;
        TransportState s = scheduler.snapshot(now);
        state = s;
        for (Consumer<TransportState> l : listeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                if (failedListeners.add(l)) {
                    LOG.warn("a transport listener failed (ignored; playing goes on; further failures of it are logged at DEBUG)", e);
                } else {
                    LOG.debug("a transport listener failed again: {}", e.toString());
                }
            }
        }
    }
}
