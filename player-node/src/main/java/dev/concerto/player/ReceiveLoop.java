package dev.concerto.player;

import dev.concerto.player.stamp.StampedSocket;
import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive thread of one or many {@link PlayerNode}s: one {@link Selector} over their
 * non-blocking channels. Each ready channel is drained (every waiting datagram handed to its node
 * with the time it was read), and every node is told that time passes at least every
 * {@code tickMillis} when nothing arrives. A player on its own has a loop of its own; an ensemble
 * shares one among its 250 players, so a chord the director sends to all of them wakes one thread
 * once, not 250 threads one by one.
 *
 * <p>Threads: the loop's thread (named as given) is the only reader of the channels, the
 * only writer (a node's replies are sent from {@link PlayerNode}'s handling, on this thread) and the
 * only caller of the nodes' cores while they are registered. {@link #add} and {@link #remove} may be
 * called from any thread; {@link #close()} stops the thread (the channels stay open: their nodes
 * close them).
 */
public final class ReceiveLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiveLoop.class);
    /** Datagrams read from one channel per wake-up, at most: a flooded player does not starve the others. */
    static final int MAX_BATCH = 64;

    /** A change to the set of channels, made on the loop's thread. */
    private record Change(PlayerNode node, DatagramChannel channel, boolean add, CountDownLatch done) {
    }

    private final String name;
    private final Clock clock;
    private final long tickMillis;
    private final Selector selector;
    private final Queue<Change> changes = new ConcurrentLinkedQueue<>();
    // One wake-up's datagrams, read (and stamped) before any is handled: this loop's thread only.
    private final ByteBuffer[] batch = new ByteBuffer[MAX_BATCH];
    private final InetSocketAddress[] batchSources = new InetSocketAddress[MAX_BATCH];
    private final long[] batchReceived = new long[MAX_BATCH];
    private final Thread thread;
    private volatile boolean closed;
    private long lastTickMicros;

    /**
     * Opens the selector and starts the thread.
     *
     * @param name       names the thread
     * @param tickMillis how often, at most, the nodes see time pass without a datagram (the watchdog's
     *                   resolution), ms
     */
    public ReceiveLoop(String name, Clock clock, long tickMillis) {
        this.name = name;
        this.clock = clock;
        this.tickMillis = Math.max(1, tickMillis);
        for (int i = 0; i < MAX_BATCH; i++) {
            batch[i] = ByteBuffer.allocate(PlayerNode.RECEIVE_BUFFER_BYTES);
        }
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the players' receive loop", e);
        }
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts reading {@code channel} (non-blocking) for {@code node}. Any thread. */
    void add(PlayerNode node, DatagramChannel channel) {
        submit(new Change(node, channel, true, null));
    }

    /**
     * Stops reading {@code channel}; when this returns, the loop no longer calls {@code node} (unless
     * called on the loop's thread, where that holds once the call returns to the loop). Any thread.
     */
    void remove(PlayerNode node, DatagramChannel channel) {
        CountDownLatch done = new CountDownLatch(1);
        submit(new Change(node, channel, false, done));
        if (Thread.currentThread() == thread || !thread.isAlive()) {
            return;
        }
        try {
            if (!done.await(5, TimeUnit.SECONDS)) {
                LOG.warn("receive loop {} did not let go of player {} within 5 s", name, node.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void submit(Change c) {
        changes.add(c);
        selector.wakeup();
    }

    /** Whether the calling thread is this loop's. */
    boolean isLoopThread() {
        return Thread.currentThread() == thread;
    }

    /** Stops the thread (waiting for it up to 5 s) and closes the selector. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        selector.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        lastTickMicros = now();
        try {
            while (!closed) {
                applyChanges();
                selector.select(this::drain, tickMillis);
                long now = now();
                if (now - lastTickMicros >= tickMillis * 1000) {
                    lastTickMicros = now;
                    for (SelectionKey k : selector.keys()) {
                        if (k.isValid()) {
                            ((PlayerNode) k.attachment()).tick(now);
                        }
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) {
                LOG.error("receive loop {} failed, its players stop receiving: {}", name, e.toString());
            }
        } finally {
            applyChanges(); // release anyone waiting in remove
            try {
                selector.close();
            } catch (IOException e) {
                LOG.debug("closing the selector of {}: {}", name, e.toString());
            }
        }
    }

    private void applyChanges() {
        Change c;
        while ((c = changes.poll()) != null) {
            if (c.add()) {
                try {
                    c.channel().register(selector, SelectionKey.OP_READ, c.node());
                } catch (ClosedChannelException e) {
                    LOG.debug("player {} closed before its loop took it", c.node().name());
                }
            } else {
                SelectionKey k = c.channel().keyFor(selector);
                if (k != null) {
                    k.cancel();
                }
                c.done().countDown();
            }
        }
    }

    /**
     * Hands every datagram waiting on a ready channel to its node. All of them are read first, each
     * stamped as it is read, and handled after: a sync request that arrived behind a tone must carry
     * the time it was read ({@code t2}), not the time the tone's handling left it waiting (that would
     * lengthen the request's half of the exchange alone, an offset error no two-way exchange can see).
     * A node with kernel stamps ({@link PlayerNode#stamped()}) is read through them instead: each
     * datagram then carries the time the kernel received it, before this thread even woke, and the
     * send stamps of its replies are taken off the error queue first (they too make the channel ready).
     */
    private void drain(SelectionKey key) {
        if (!key.isValid() || !key.isReadable()) {
            return;
        }
        DatagramChannel channel = (DatagramChannel) key.channel();
        PlayerNode node = (PlayerNode) key.attachment();
        StampedSocket stamped = node.stamped();
        if (stamped != null) {
            node.takeSendStamps(); // a waiting send stamp also makes the channel look readable
        }
        int read = 0;
        boolean failed = false;
        while (read < MAX_BATCH) {
            ByteBuffer buffer = batch[read];
            buffer.clear();
            InetSocketAddress from;
            try {
                if (stamped != null) {
                    int n = stamped.receive(buffer.array(), clock);
                    if (n == StampedSocket.NOTHING) {
                        break;
                    }
                    buffer.position(n);
                    from = stamped.source();
                    if (from == null) {
                        continue; // not an IP source: cannot be answered or allowed
                    }
                    // t2 of a sync exchange: when the kernel received it (not when this thread woke)
                    batchReceived[read] = PlayerNode.playerMicros(stamped.arrivalNanos());
                    batchSources[read] = from;
                    read++;
                    continue;
                }
                from = (InetSocketAddress) channel.receive(buffer);
            } catch (IOException e) {
                if (channel.isOpen()) {
                    LOG.warn("player {}: receiving failed: {}", node.name(), e.toString());
                }
                failed = true;
                break;
            }
            if (from == null) {
                break; // drained (a channel with more waiting is selected again at once)
            }
            batchReceived[read] = now(); // t2 of a sync exchange: as early as possible
            batchSources[read] = from;
            read++;
        }
        for (int i = 0; i < read; i++) {
            node.handle(batch[i].array(), batch[i].position(), batchSources[i], batchReceived[i]);
            batchSources[i] = null;
        }
        if (failed) {
            key.cancel();
        }
    }

    private long now() {
        return PlayerNode.playerMicros(clock.nanoTime());
    }
}
