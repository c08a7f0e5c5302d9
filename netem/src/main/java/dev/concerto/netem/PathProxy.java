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
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP proxy in front of one player, on loopback: a director sends to {@link #address()} instead
 * of the player; each datagram is decided by a {@link PathDecider} (director → player) and
 * released at its time from a socket of the proxy's own, one per director socket, so the player's
 * replies come back through the proxy and are decided by the other direction's decider.
 *
 * <p>Threads: one receiver (a selector over every socket of the proxy: reads, decides, hands each
 * datagram to the {@link ReleaseQueue}) and the queue's releasing thread (sends each at its time),
 * its own ({@link #start}) or shared with the other proxies of a {@link PathEmulator}.
 * {@link #close()} stops the receiver, and the queue when it is the proxy's own, and closes every
 * socket.
 *
 * <p>Bounded: at most {@value ReleaseQueue#MAX_HELD} datagrams held, at most {@value #MAX_CLIENTS}
 * director sockets, and the proxy stops by itself after its lifetime. Loopback only: the player's
 * address must be a loopback address.
 */
public final class PathProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PathProxy.class);
    /** Director sockets served at most. */
    public static final int MAX_CLIENTS = 16;
    private static final int MAX_DATAGRAM = 2048;
    /** Datagrams read per socket per wake-up at most. */
    private static final int READS_PER_WAKEUP = 64;

    private final InetSocketAddress player;
    private final PathProfile profile;
    private final DatagramChannel front;
    private final Selector selector;
    private final PathDecider toPlayer;
    private final PathDecider fromPlayer;
    private final long originNanos;
    private final long endNanos;
    private final Map<SocketAddress, DatagramChannel> backByClient = new HashMap<>(); // receiver thread only
    private long lastToPlayerArrival = Long.MIN_VALUE; // receiver thread only
    private long lastFromPlayerArrival = Long.MIN_VALUE; // receiver thread only
    private final PathCounters toPlayerCounters = new PathCounters();
    private final PathCounters fromPlayerCounters = new PathCounters();
    private final ReleaseLateness lateness = new ReleaseLateness();
    /** How long after its arrival the receiver read each datagram, per direction (0 without kernel stamps). */
    private final ReleaseLateness toPlayerWake = new ReleaseLateness();
    private final ReleaseLateness fromPlayerWake = new ReleaseLateness();
    private final ReleaseQueue releases;
    private final boolean ownsReleases;
    private final Thread receiver;
    private volatile boolean closed;

    /** A proxy whose datagrams {@code releases} sends; it stops that queue on {@link #close()} when {@code ownsReleases}. */
    PathProxy(InetSocketAddress player, PathProfile profile, long seed, Duration lifetime, ReleaseQueue releases,
              boolean ownsReleases) throws IOException {
        if (!player.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the path emulator only proxies to loopback, not " + player);
        }
        this.player = player;
        this.profile = Objects.requireNonNull(profile, "profile");
        SplittableRandom seeds = new SplittableRandom(seed); // independent seeds for the two directions
        this.toPlayer = new PathDecider(profile.toPlayer(), seeds.nextLong());
        this.fromPlayer = new PathDecider(profile.fromPlayer(), seeds.nextLong());
        this.selector = Selector.open();
        DatagramChannel f = null;
        try {
            f = DatagramChannel.open();
            f.bind(new InetSocketAddress(player.getAddress(), 0));
            f.configureBlocking(false);
            KernelArrival.enable(f);
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
        this.releases = releases;
        this.ownsReleases = ownsReleases;
        this.receiver = new Thread(this::receive, "netem-recv-" + player.getPort());
        receiver.setDaemon(true);
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
        ReleaseQueue own = new ReleaseQueue(Integer.toString(player.getPort()), System.nanoTime() + lifetime.toNanos());
        PathProxy p = new PathProxy(player, profile, seed, lifetime, own, true);
        own.start();
        p.startReceiving();
        return p;
    }

    /** Starts the receiving thread. */
    void startReceiving() {
        receiver.start();
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

    /**
     * When the path's clock started, {@link System#nanoTime()}: its outages ({@link BurstLoss}) count
     * from here, so a measurement can say which notes fell in one.
     */
    public long originNanos() {
        return originNanos;
    }

    /** Director → player. */
    public PathCounters toPlayer() {
        return toPlayerCounters;
    }

    /** Player → director. */
    public PathCounters fromPlayer() {
        return fromPlayerCounters;
    }

    /** How late datagrams left against their decided release times (both directions). */
    public ReleaseLateness lateness() {
        return lateness;
    }

    /**
     * How long after arriving the datagrams towards the player were read by the receiver thread (the
     * wake-up the emulated delay no longer includes); all 0 when arrivals are not the kernel's
     * ({@link #arrivalSource()}).
     */
    public ReleaseLateness toPlayerWake() {
        return toPlayerWake;
    }

    /** As {@link #toPlayerWake()}, for the player's datagrams back. */
    public ReleaseLateness fromPlayerWake() {
        return fromPlayerWake;
    }

    /** What the proxies take a datagram's arrival time from (the kernel's receive stamps, or user space and why). */
    public static String arrivalSource() {
        return KernelArrival.describe();
    }

    // ---------------------------------------------------------------- receiver thread

    private void receive() {
        ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);
        try {
            // The releaser stopping (its lifetime, an error) stops the receiver too, within a select's 100 ms.
            while (!closed && !releases.stopped() && System.nanoTime() < endNanos) {
                if (selector.select(100) == 0) {
                    continue;
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    DatagramChannel ch = (DatagramChannel) key.channel();
                    SocketAddress client = (SocketAddress) key.attachment(); // null: the front socket
                    for (int n = 0; n < READS_PER_WAKEUP; n++) {
                        buf.clear();
                        SocketAddress from = ch.receive(buf);
                        if (from == null) {
                            break;
                        }
                        long read = System.nanoTime();
                        long now = KernelArrival.arrivalNanos(ch, read); // the emulated delay counts from the arrival
                        (client == null ? toPlayerWake : fromPlayerWake).record(read - now);
                        // A decider takes arrivals in order: several sockets' stamps, or one stamp missing, must not go back.
                        if (client == null) {
                            now = lastToPlayerArrival = Math.max(now, lastToPlayerArrival);
                        } else {
                            now = lastFromPlayerArrival = Math.max(now, lastFromPlayerArrival);
                        }
                        buf.flip();
                        byte[] bytes = new byte[buf.remaining()];
                        buf.get(bytes);
                        if (client == null) {
                            DatagramChannel back = backFor(from);
                            if (back != null) {
                                admit(toPlayer, toPlayerCounters, now, back, null, bytes);
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
            if (ownsReleases) {
                releases.close();
            }
        }
    }

    /** The proxy's socket towards the player for one director socket (connected to the player). */
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
        KernelArrival.enable(back);
        back.register(selector, SelectionKey.OP_READ, client);
        backByClient.put(client, back);
        return back;
    }

    /** Decides one datagram's fate and holds it (and its duplicate) for release; {@code to} null: via's connection. */
    private void admit(PathDecider decider, PathCounters counters, long nowNanos, DatagramChannel via, SocketAddress to,
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
                releases.hold(originNanos + d.releaseMicros() * 1_000, via, to, bytes, counters, lateness);
                if (d.duplicateReleaseMicros() >= 0) {
                    counters.duplicated.incrementAndGet();
                    releases.hold(originNanos + d.duplicateReleaseMicros() * 1_000, via, to, bytes, counters, lateness);
                }
            }
        }
    }

    /**
     * Stops the receiver, and the releaser when it is the proxy's own (waiting up to 1 s each), and
     * closes every socket. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        if (ownsReleases) {
            releases.close();
        }
        if (Thread.currentThread() != receiver && receiver.isAlive()) {
            try {
                receiver.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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

    @Override
    public String toString() {
        return "PathProxy[" + profile.name() + " " + address() + " -> " + player + "]";
    }
}
