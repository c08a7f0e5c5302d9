package dev.concerto.netem;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The datagrams one or more {@link PathProxy}s hold, and the one thread that sends each at its
 * release time: it parks until about {@value #SPIN_NANOS} ns before the earliest is due, then spins,
 * then sends every datagram whose time has come (sub-millisecond release times). Datagrams due at the
 * same instant leave in the order they were held. The proxies of a {@link PathEmulator} share one
 * queue (one thread spinning for a chord's datagrams, not one per path).
 *
 * <p>Bounded: at most {@value #MAX_HELD} held (more are counted as overflow and dropped); the
 * thread stops by itself at {@code endNanos}. Threads: any thread may {@link #hold}; the queue is
 * guarded by a lock; the releasing thread is the only one that sends.
 */
final class ReleaseQueue {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseQueue.class);
    /** Park until this long before a release, then spin, ns. */
    static final long SPIN_NANOS = 200_000;
    /** Datagrams held at most. */
    static final int MAX_HELD = 10_000;
    /** The longest the releasing thread parks without looking at the clock, ns. */
    private static final long MAX_PARK_NANOS = 100_000_000;

    /**
     * One datagram to send at {@code releaseNanos} through {@code via}: to {@code to}, or on the
     * channel's connection when {@code to} is null; counted as forwarded in {@code counters}, its
     * lateness recorded in {@code lateness}.
     */
    private record Held(long releaseNanos, long order, DatagramChannel via, SocketAddress to, byte[] bytes,
                        PathCounters counters, ReleaseLateness lateness) {
    }

    private final String name;
    private final long endNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Held> queue = new PriorityQueue<>((a, b) -> a.releaseNanos != b.releaseNanos
            ? Long.compare(a.releaseNanos, b.releaseNanos) : Long.compare(a.order, b.order)); // guarded by lock
    private long order; // guarded by lock
    private final Thread thread;
    private volatile boolean closed;

    /** @param endNanos when the releasing thread stops by itself ({@link System#nanoTime()}) */
    ReleaseQueue(String name, long endNanos) {
        this.name = name;
        this.endNanos = endNanos;
        this.thread = new Thread(this::run, "netem-release-" + name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Holds {@code bytes} until {@code releaseNanos}, then sends them through {@code via} (to
     * {@code to}, or on its connection when null).
     *
     * @return false when {@value #MAX_HELD} are already held (counted as overflow in {@code counters})
     */
    boolean hold(long releaseNanos, DatagramChannel via, SocketAddress to, byte[] bytes, PathCounters counters,
                 ReleaseLateness lateness) {
        lock.lock();
        try {
            if (queue.size() >= MAX_HELD) {
                counters.overflow.incrementAndGet();
                return false;
            }
            Held h = new Held(releaseNanos, order++, via, to, bytes, counters, lateness);
            queue.add(h);
            if (queue.peek() == h) {
                changed.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            while (!closed && System.nanoTime() < endNanos) {
                Held due = null;
                lock.lock();
                try {
                    Held head = queue.peek();
                    long now = System.nanoTime();
                    if (head == null) {
                        changed.awaitNanos(MAX_PARK_NANOS);
                    } else if (head.releaseNanos - now > SPIN_NANOS) {
                        changed.awaitNanos(Math.min(MAX_PARK_NANOS, head.releaseNanos - now - SPIN_NANOS));
                    } else {
                        due = head;
                    }
                } finally {
                    lock.unlock();
                }
                if (due == null) {
                    continue;
                }
                while (System.nanoTime() < due.releaseNanos) {
                    Thread.onSpinWait(); // at most SPIN_NANOS
                }
                sendDue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closed = true;
        }
    }

    /** Sends every held datagram whose time has come. */
    private void sendDue() {
        while (true) {
            Held h;
            lock.lock();
            try {
                h = queue.peek();
                if (h == null || h.releaseNanos > System.nanoTime()) {
                    return;
                }
                queue.poll();
            } finally {
                lock.unlock();
            }
            try {
                int sent = h.to != null ? h.via.send(ByteBuffer.wrap(h.bytes), h.to) : h.via.write(ByteBuffer.wrap(h.bytes));
                if (sent > 0) {
                    h.counters.forwarded.incrementAndGet();
                }
            } catch (IOException e) {
                // The far end is gone (port unreachable) or the proxy is closing: a loss, as on a real path.
                LOG.debug("path emulator {}: could not forward: {}", name, e.toString());
            }
            h.lateness.record(System.nanoTime() - h.releaseNanos);
        }
    }

    /** Whether the releasing thread has stopped (or is stopping): its lifetime is over, or it was closed. Any thread. */
    boolean stopped() {
        return closed;
    }

    /** Stops the releasing thread (waiting up to 1 s); what is still held is dropped. Idempotent. */
    void close() {
        closed = true;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
