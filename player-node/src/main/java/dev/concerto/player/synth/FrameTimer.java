package dev.concerto.player.synth;

import dev.concerto.protocol.Clock;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that applies the scheduled changes of generators without samples (null, PWM) at
 * their frame's time, waiting for the earliest deadline the one precise way ({@link PreciseWait}:
 * park, then spin). One timer may serve many generators
 * (an {@code ensemble} of 250 null players shares one): changes due at the same instant — every
 * player of a chord — are applied in one wake-up and one spin, instead of one thread per player
 * each spinning before each of its notes.
 *
 * <p>The thread ({@code frames-<name>}) starts with the first scheduled change and is stopped by
 * {@link #close()}; the timer's owner closes it (a generator closes only a timer it made for itself).
 * Thread-safe: {@link #schedule} and {@link #cancel} may be called from any thread.
 */
public final class FrameTimer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FrameTimer.class);
    /** Longest park while nothing is scheduled, ns (a new change wakes the thread at once). */
    private static final long IDLE_PARK_NANOS = 100_000_000L;

    /** What a scheduled change does when its time has come; runs on the timer's thread. */
    interface Action {
        void run(Object owner, double hz, Object tag);
    }

    /** A scheduled change; withdrawn ones stay queued, marked, and are skipped when their time comes. */
    private static final class Pending {
        final long order;
        final long dueNanos;
        final Object owner;
        final Action action;
        final double hz;
        final Object tag;
        /** The next pending change with the same tag (identity), or null. */
        Pending sameTag;
        boolean withdrawn;

        Pending(long order, long dueNanos, Object owner, Action action, double hz, Object tag) {
            this.order = order;
            this.dueNanos = dueNanos;
            this.owner = owner;
            this.action = action;
            this.hz = hz;
            this.tag = tag;
        }
    }

    private final String name;
    private final Clock clock;
    // Guarded by 'pending'.
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(
            (a, b) -> a.dueNanos != b.dueNanos ? Long.compare(a.dueNanos, b.dueNanos) : Long.compare(a.order, b.order));
    /** The pending changes by tag (identity), so a withdrawal costs O(1), not a pass over the queue. */
    private final Map<Object, Pending> byTag = new IdentityHashMap<>();
    private int live;
    private long nextOrder;
    private Thread thread;
    private boolean stopped;

    /**
     * @param name  names the thread ({@code frames-<name>})
     * @param clock the monotonic clock deadlines are read on
     */
    public FrameTimer(String name, Clock clock) {
        this.name = name;
        this.clock = clock;
    }

    /**
     * Runs {@code action} with {@code owner, hz, tag} at {@code dueNanos} on the clock (or at once
     * when that has passed), after every change scheduled earlier for the same time.
     *
     * @throws IllegalStateException when the timer is closed
     */
    void schedule(long dueNanos, Object owner, Action action, double hz, Object tag) {
        Thread wake = null;
        synchronized (pending) {
            if (stopped) {
                throw new IllegalStateException("frame timer " + name + " closed");
            }
            Pending p = new Pending(++nextOrder, dueNanos, owner, action, hz, tag);
            Pending head = pending.peek();
            pending.add(p);
            p.sameTag = byTag.put(tag, p);
            live++;
            if (thread == null) {
                thread = new Thread(this::run, "frames-" + name);
                thread.setDaemon(true);
                thread.setPriority(Thread.MAX_PRIORITY);
                thread.start();
            } else if (head == null || dueNanos < head.dueNanos) {
                wake = thread; // a new earliest deadline: the thread may be parked past it
            }
        }
        if (wake != null) {
            LockSupport.unpark(wake);
        }
    }

    /** Withdraws the changes of {@code owner} scheduled with {@code tag} (identity). O(1) for a unique tag. */
    void cancel(Object owner, Object tag) {
        synchronized (pending) {
            Pending kept = null;
            for (Pending p = byTag.remove(tag); p != null; ) {
                Pending next = p.sameTag;
                if (p.owner == owner) {
                    withdraw(p);
                } else {
                    p.sameTag = kept; // another generator's change with an equal tag stays
                    kept = p;
                }
                p = next;
            }
            if (kept != null) {
                byTag.put(tag, kept);
            }
        }
    }

    /** Withdraws every change of {@code owner} (a generator closing). */
    void cancelAll(Object owner) {
        synchronized (pending) {
            for (Pending p : pending) {
                if (p.owner == owner && !p.withdrawn) {
                    cancel(owner, p.tag);
                }
            }
        }
    }

    /** Changes waiting for their time (withdrawn ones not counted). */
    int pendingCount() {
        synchronized (pending) {
            return live;
        }
    }

    /** Marks a change withdrawn; the caller holds the lock and has taken it out of {@link #byTag}. */
    private void withdraw(Pending p) {
        if (!p.withdrawn) {
            p.withdrawn = true;
            live--;
        }
    }

    /** Takes a change that is leaving the queue out of {@link #byTag}; the caller holds the lock. */
    private void forget(Pending p) {
        Pending first = byTag.get(p.tag);
        if (first == p) {
            if (p.sameTag == null) {
                byTag.remove(p.tag);
            } else {
                byTag.put(p.tag, p.sameTag);
            }
            return;
        }
        for (Pending q = first; q != null; q = q.sameTag) {
            if (q.sameTag == p) {
                q.sameTag = p.sameTag;
                return;
            }
        }
    }

    /** Stops the thread; pending changes are dropped. Idempotent. */
    @Override
    public void close() {
        Thread t;
        synchronized (pending) {
            stopped = true;
            pending.clear();
            byTag.clear();
            live = 0;
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
            if (t != Thread.currentThread()) {
                try {
                    t.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void run() {
        while (true) {
            long due;
            synchronized (pending) {
                if (stopped) {
                    return;
                }
                Pending head = pending.peek();
                while (head != null && head.withdrawn) {
                    pending.poll(); // withdrawn: dropped when it reaches the head
                    head = pending.peek();
                }
                due = head == null ? Long.MAX_VALUE : head.dueNanos;
            }
            if (due == Long.MAX_VALUE) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            long left = due - clock.nanoTime();
            if (left > 0) {
                PreciseWait.step(left, PreciseWait.SPIN_NANOS, this); // woken early by an earlier change: re-check
                continue;
            }
            runDue();
        }
    }

    /** Applies every change whose time has come, in order, each taken off the queue before it runs. */
    private void runDue() {
        while (true) {
            Pending p;
            synchronized (pending) {
                Pending head = pending.peek();
                if (stopped || head == null || head.dueNanos > clock.nanoTime()) {
                    return;
                }
                p = pending.poll();
                if (p.withdrawn) {
                    continue;
                }
                forget(p);
                live--;
            }
            try {
                p.action.run(p.owner, p.hz, p.tag);
            } catch (RuntimeException e) {
                LOG.warn("scheduled tone change failed: {}", e.toString());
            }
        }
    }
}
