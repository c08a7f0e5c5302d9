package dev.concerto.netem;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP proxy in front of one player, on loopback: a director sends to {@link #address()} instead
 * of the player; each datagram is decided by a {@link PathDecider} (director → player) and
 * released at its time from a socket of the proxy's own, one per director socket, so the player's
 * replies come back through the proxy and are decided by the other direction's decider.
 *
 * <p>Threads: one receiver (a selector over every socket of the proxy: reads, decides, queues)
 * and one releaser (parks until about {@value #SPIN_NANOS} ns before the head of the queue is due,
 * then spins, then sends: sub-millisecond release times). The queue between them is guarded by a
 * lock. {@link #close()} stops both and closes every socket.
 *
 * <p>Bounded: at most {@value #MAX_HELD} datagrams held (more are dropped and counted as
 * overflow), at most {@value #MAX_CLIENTS} director sockets, and the proxy stops by itself after
 * its lifetime. Loopback only: the player's address must be a loopback address.
 */
public final class PathProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PathProxy.class);
    /** Park until this long before a release, then spin, ns. */
    static final long SPIN_NANOS = 200_000;
    /** Datagrams held at most. */
    public static final int MAX_HELD = 10_000;
    /** Director sockets served at most. */
    public static final int MAX_CLIENTS = 16;
    private static final int MAX_DATAGRAM = 2048;
    /** Release lateness histogram: 10 µs buckets up to 10 ms, the last one counts everything above. */
    private static final int LATENESS_BUCKETS = 1_001;

    /** Counters of one direction. Thread-safe. */
    public static final class Counters {
        private final AtomicLong received = new AtomicLong();
        private final AtomicLong forwarded = new AtomicLong();
        private final AtomicLong lostRandom = new AtomicLong();
        private final AtomicLong lostBurst = new AtomicLong();
        private final AtomicLong duplicated = new AtomicLong();
        private final AtomicLong reordered = new AtomicLong();
        private final AtomicLong overflow = new AtomicLong();

        public long received() {
            return received.get();
        }

        /** Datagrams sent on (a duplicate counts twice). */
        public long forwarded() {
            return forwarded.get();
        }

        public long lostRandom() {
            return lostRandom.get();
        }

        public long lostBurst() {
            return lostBurst.get();
        }

        public long duplicated() {
            return duplicated.get();
        }

        public long reordered() {
            return reordered.get();
        }

        /** Dropped because {@value PathProxy#MAX_HELD} were already held. */
        public long overflow() {
            return overflow.get();
        }

        @Override
        public String toString() {
            return String.format("received %d, forwarded %d, lost %d + %d in outages, duplicated %d, reordered %d%s",
                    received(), forwarded(), lostRandom(), lostBurst(), duplicated(), reordered(),
                    overflow() > 0 ? ", overflow " + overflow() : "");
        }
    }

    private record Held(long releaseNanos, long order, DatagramChannel via, SocketAddress to, byte[] bytes) {
    }

    private final InetSocketAddress player;
    private final PathProfile profile;
    private final DatagramChannel front;
    private final Selector selector;
    private final PathDecider toPlayer;
    private final PathDecider fromPlayer;
    private final long originNanos;
    private final long endNanos;
    private final Map<SocketAddress, DatagramChannel> backByClient = new HashMap<>(); // receiver thread only
    private final Counters toPlayerCounters = new Counters();
    private final Counters fromPlayerCounters = new Counters();
    private final AtomicLongArray lateness = new AtomicLongArray(LATENESS_BUCKETS);
    private final AtomicLong latenessMaxNanos = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Held> queue = new PriorityQueue<>((a, b) -> a.releaseNanos != b.releaseNanos
            ? Long.compare(a.releaseNanos, b.releaseNanos) : Long.compare(a.order, b.order)); // guarded by lock
    private long order; // guarded by lock

    private final Thread receiver;
    private final Thread releaser;
    private volatile boolean closed;

    private PathProxy(InetSocketAddress player, PathProfile profile, long seed, Duration lifetime) throws IOException {
        if (!player.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the path emulator only proxies to loopback, not " + player);
        }
        this.player = player;
        this.profile = Objects.requireNonNull(profile, "profile");
        SplitSeeds seeds = new SplitSeeds(seed);
        this.toPlayer = new PathDecider(profile.toPlayer(), seeds.next());
        this.fromPlayer = new PathDecider(profile.fromPlayer(), seeds.next());
        this.selector = Selector.open();
        DatagramChannel f = null;
        try {
            f = DatagramChannel.open();
            f.bind(new InetSocketAddress(player.getAddress(), 0));
            f.configureBlocking(false);
            f.register(selector, SelectionKey.OP_READ, null);
        } catch (IOException | RuntimeException e) {
            if (f != null) {
                f.close();
            }
            selector.close();
            throw e;
        }
        this.front = f;
        this.originNanos = System.nanoTime();
        this.endNanos = originNanos + lifetime.toNanos();
        this.receiver = new Thread(this::receive, "netem-recv-" + player.getPort());
        this.releaser = new Thread(this::release, "netem-release-" + player.getPort());
        receiver.setDaemon(true);
        releaser.setDaemon(true);
    }

    /**
     * Starts a proxy in front of {@code player} (a loopback address).
     *
     * @param seed     the seed of every decision (the same seed and arrivals, the same fates)
     * @param lifetime the proxy stops by itself after this
     * @throws IOException when no socket can be bound
     */
    public static PathProxy start(InetSocketAddress player, PathProfile profile, long seed, Duration lifetime)
            throws IOException {
        PathProxy p = new PathProxy(player, profile, seed, lifetime);
        p.receiver.start();
        p.releaser.start();
        return p;
    }

    /** Where a director sends instead of the player. */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) front.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("proxy closed", e);
        }
    }

    public InetSocketAddress player() {
        return player;
    }

    public PathProfile profile() {
        return profile;
    }

    /** Director → player. */
    public Counters toPlayer() {
        return toPlayerCounters;
    }

    /** Player → director. */
    public Counters fromPlayer() {
        return fromPlayerCounters;
    }

    /**
     * A percentile of how late datagrams left against their decided release time, µs (10 µs
     * resolution; 10 ms or more reads as 10000).
     */
    public long releaseLatenessMicros(double percentile) {
        long total = 0;
        for (int i = 0; i < LATENESS_BUCKETS; i++) {
            total += lateness.get(i);
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(percentile / 100.0 * total);
        long seen = 0;
        for (int i = 0; i < LATENESS_BUCKETS; i++) {
            seen += lateness.get(i);
            if (seen >= rank) {
                return i * 10L;
            }
        }
        return (LATENESS_BUCKETS - 1) * 10L;
    }

    /** The latest any datagram left against its release time, µs. */
    public long releaseLatenessMaxMicros() {
        return latenessMaxNanos.get() / 1_000;
    }

    // ---------------------------------------------------------------- receiver thread

    private void receive() {
        ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);
        try {
            while (!closed && System.nanoTime() < endNanos) {
                if (selector.select(100) == 0) {
                    continue;
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    DatagramChannel ch = (DatagramChannel) key.channel();
                    SocketAddress client = (SocketAddress) key.attachment(); // null: the front socket
                    for (int n = 0; n < 64; n++) { // bounded per wake-up
                        buf.clear();
                        SocketAddress from = ch.receive(buf);
                        if (from == null) {
                            break;
                        }
                        long now = System.nanoTime();
                        buf.flip();
                        byte[] bytes = new byte[buf.remaining()];
                        buf.get(bytes);
                        if (client == null) {
                            DatagramChannel back = backFor(from);
                            if (back != null) {
                                admit(toPlayer, toPlayerCounters, now, back, player, bytes);
                            }
                        } else {
                            admit(fromPlayer, fromPlayerCounters, now, front, client, bytes);
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (ClosedSelectorException | ClosedChannelException e) {
            // closed: the way this loop ends
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.error("path emulator for {} stopped receiving: {}", player, e.toString(), e);
            }
        } finally {
            closed = true;
            signal();
        }
    }

    private DatagramChannel backFor(SocketAddress client) throws IOException {
        DatagramChannel back = backByClient.get(client);
        if (back != null) {
            return back;
        }
        if (backByClient.size() >= MAX_CLIENTS) {
            LOG.warn("path emulator for {}: more than {} director sockets, ignoring {}", player, MAX_CLIENTS, client);
            return null;
        }
        back = DatagramChannel.open();
        back.bind(new InetSocketAddress(player.getAddress(), 0));
        back.connect(player);
        back.configureBlocking(false);
        back.register(selector, SelectionKey.OP_READ, client);
        backByClient.put(client, back);
        return back;
    }

    private void admit(PathDecider decider, Counters counters, long nowNanos, DatagramChannel via, SocketAddress to,
                       byte[] bytes) {
        counters.received.incrementAndGet();
        PathDecider.Decision d = decider.decide((nowNanos - originNanos) / 1_000, bytes.length);
        switch (d.fate()) {
            case LOST_RANDOM -> counters.lostRandom.incrementAndGet();
            case LOST_BURST -> counters.lostBurst.incrementAndGet();
            case FORWARDED -> {
                if (d.reordered()) {
                    counters.reordered.incrementAndGet();
                }
                hold(counters, originNanos + d.releaseMicros() * 1_000, via, to, bytes);
                if (d.duplicateReleaseMicros() >= 0) {
                    counters.duplicated.incrementAndGet();
                    hold(counters, originNanos + d.duplicateReleaseMicros() * 1_000, via, to, bytes);
                }
            }
        }
    }

    private void hold(Counters counters, long releaseNanos, DatagramChannel via, SocketAddress to, byte[] bytes) {
        lock.lock();
        try {
            if (queue.size() >= MAX_HELD) {
                counters.overflow.incrementAndGet();
                return;
            }
            Held h = new Held(releaseNanos, order++, via, to, bytes);
            queue.add(h);
            if (queue.peek() == h) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- releaser thread

    private void release() {
        try {
            while (!closed && System.nanoTime() < endNanos) {
                Held due = null;
                lock.lock();
                try {
                    Held head = queue.peek();
                    long now = System.nanoTime();
                    if (head == null) {
                        changed.awaitNanos(100_000_000);
                    } else if (head.releaseNanos - now > SPIN_NANOS) {
                        changed.awaitNanos(Math.min(100_000_000, head.releaseNanos - now - SPIN_NANOS));
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
            selector.wakeup();
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
                int sent = h.via == front ? front.send(ByteBuffer.wrap(h.bytes), h.to) : h.via.write(ByteBuffer.wrap(h.bytes));
                if (sent > 0) {
                    (h.via == front ? fromPlayerCounters : toPlayerCounters).forwarded.incrementAndGet();
                }
            } catch (IOException e) {
                // The far end is gone (port unreachable) or the proxy is closing: a loss, as on a real path.
                LOG.debug("path emulator for {}: could not forward: {}", player, e.toString());
            }
            long late = Math.max(0, System.nanoTime() - h.releaseNanos);
            lateness.incrementAndGet((int) Math.min(LATENESS_BUCKETS - 1, late / 10_000));
            latenessMaxNanos.accumulateAndGet(late, Math::max);
        }
    }

    /** Stops both threads (waiting up to 1 s each) and closes every socket. Idempotent. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        signal();
        for (Thread t : new Thread[] {receiver, releaser}) {
            if (Thread.currentThread() != t && t.isAlive()) {
                try {
                    t.join(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing the selector: {}", e.toString());
        }
        closeQuietly(front);
        backByClient.values().forEach(PathProxy::closeQuietly);
    }

    private static void closeQuietly(DatagramChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("closing a socket: {}", e.toString());
        }
    }

    /** Independent seeds for the two directions from one. */
    private static final class SplitSeeds {
        private final java.util.SplittableRandom r;

        SplitSeeds(long seed) {
            r = new java.util.SplittableRandom(seed);
        }

        long next() {
            return r.nextLong();
        }
    }

    @Override
    public String toString() {
        return "PathProxy[" + profile.name() + " " + address() + " -> " + player + "]";
    }
}
