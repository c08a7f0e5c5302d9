package dev.concerto.director.net;

import dev.concerto.director.engine.DatagramSink;
import dev.concerto.player.stamp.KernelStamps;
import dev.concerto.player.stamp.StampedSocket;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.log.RateLimitedLog;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One player's UDP path: its own non-blocking, connected {@link DatagramChannel}, and the
 * {@link DatagramSink} the director's streams write to. Connected, so that the kernel reports an
 * ICMP port-unreachable for a player that is not listening; such a report belongs to an earlier
 * datagram, so it is counted (and remembered as an unreachable period) and the write retried once,
 * never fatal. Non-blocking, so that a full send buffer drops a datagram instead of delaying the
 * other players. Network errors are logged at most once per {@link #LOG_INTERVAL_NANOS}.
 *
 * <p>Kernel stamps (Linux, {@link StampedSocket}): sync requests go out through
 * {@link #sendStamped}, which has the kernel stamp their departure; {@link #read} takes those send
 * stamps off the socket's error queue ({@link #lastDepartureNanos()}) and stamps each reply with the
 * kernel's receive time ({@link #lastArrivalNanos()}). Elsewhere, or when they cannot be had, the
 * channel's own calls and the clock read after each read.
 *
 * <p>Threads: the scheduler thread is the only writer ({@link #send}, {@link #sendStamped}); the
 * reply receive loop is the only reader ({@link #read}, the error queue too); counters, periods and
 * the last departure are thread-safe.
 */
public final class UdpLink implements DatagramSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpLink.class);
    /** Log a player's network errors at most once per this many nanoseconds. */
    static final long LOG_INTERVAL_NANOS = 5_000_000_000L;
    /** Port-unreachable reports closer together than this belong to one unreachable period, ns. */
    static final long PERIOD_GAP_NANOS = 2_000_000_000L;
    /** Unreachable periods remembered (the latest ones). */
    static final int MAX_PERIODS = 16;

    /** A time during which the player's port was reported unreachable, in wall-clock epoch ms. */
    public record UnreachablePeriod(long fromEpochMillis, long toEpochMillis, long reports) {
    }

    private final ResolvedPlayer player;
    private final DatagramChannel channel;
    /** Kernel stamps on the channel's socket, or null. */
    private final StampedSocket stamped;
    private final Clock clock;
    /** The reader's: when the last datagram read arrived, ns. */
    private long lastArrivalNanos;
    /** The kernel's send stamp of the last stamped datagram, as far as read (written by the reader). */
    private volatile long lastDepartureNanos = NO_DEPARTURE;
    private long lastDepartureId = -1;
    private final StampedSocket.SendStamps departures = this::departed;
    /** The largest datagram sent or read, bytes. */
    static final int MAX_DATAGRAM_BYTES = 2048;
    /** Direct, so a send does not copy through a temporary native buffer; the writer's only. */
    private final ByteBuffer out = ByteBuffer.allocateDirect(MAX_DATAGRAM_BYTES);
    private final AtomicLong unreachable = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final RateLimitedLog<RateLimitedLog.Only> problems = RateLimitedLog.single(LOG, LOG_INTERVAL_NANOS);
    private final List<UnreachablePeriod> periods = new ArrayList<>(); // guarded by itself
    private long lastUnreachableNanos = Long.MIN_VALUE;                 // guarded by periods

    private UdpLink(ResolvedPlayer player, DatagramChannel channel, StampedSocket stamped, Clock clock) {
        this.player = player;
        this.channel = channel;
        this.stamped = stamped;
        this.clock = clock;
    }

    /**
     * Opens a channel connected to the player. Connecting a UDP socket sends nothing.
     *
     * @throws IOException when no socket can be opened (out of file descriptors, no IPv6 stack)
     */
    public static UdpLink open(ResolvedPlayer player, Clock clock) throws IOException {
        DatagramChannel channel = DatagramChannel.open(player.address().getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            channel.configureBlocking(false);
            channel.connect(player.address());
            StampedSocket.Attempt stamps = StampedSocket.attach(channel, MAX_DATAGRAM_BYTES, StampedSocket.Sends.MARKED, clock);
            KernelStamps.report(LOG, "director", stamps, "sync requests' send times (t1) and replies' arrival times (t4)");
            return new UdpLink(player, channel, stamps.socket(), clock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public ResolvedPlayer player() {
        return player;
    }

    /** The channel, for the receive loop's selector. */
    DatagramChannel channel() {
        return channel;
    }

    @Override
    public boolean send(byte[] datagram, int length) {
        return deliver(datagram, length, false);
    }

    /**
     * As {@link #send}, with the kernel asked to stamp when the datagram leaves
     * ({@link #lastDepartureNanos()}): a sync request's {@code t1}.
     */
    @Override
    public boolean sendStamped(byte[] datagram, int length) {
        return deliver(datagram, length, stamped != null);
    }

    private boolean deliver(byte[] datagram, int length, boolean stampIt) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                boolean handed;
                if (stampIt) {
                    handed = stamped.sendMarked(datagram, length);
                } else {
                    out.clear();
                    out.put(datagram, 0, length).flip();
                    handed = channel.write(out) == length;
                }
                if (handed) {
                    sent.incrementAndGet();
                    return true;
                }
                drop("send buffer full: dropped a datagram");
                return false;
            } catch (PortUnreachableException e) {
                // The report belongs to an earlier datagram; this one was not sent: try once more.
                unreachableReported();
            } catch (ClosedChannelException e) {
                dropped.incrementAndGet();
                return false;
            } catch (IOException e) {
                drop(e.toString());
                return false;
            }
        }
        dropped.incrementAndGet();
        return false;
    }

    @Override
    public long lastDepartureNanos() {
        return lastDepartureNanos;
    }

    /**
     * Reads one waiting datagram into {@code dst} (a heap buffer, cleared first), and the send stamps
     * waiting on the error queue. Port-unreachable reports are counted and skipped. Receive loop only.
     *
     * @return the datagram's length, 0 when nothing is waiting, -1 when the channel is closed
     */
    int read(ByteBuffer dst) {
        if (stamped != null) {
            // A waiting send stamp also wakes the selector: take them first (a request leaves before its reply comes).
            stamped.drainSendStamps(clock, departures);
        }
        while (true) {
            dst.clear();
            try {
                return readOne(dst);
            } catch (PortUnreachableException e) {
                unreachableReported();
            } catch (ClosedChannelException e) {
                return -1;
            } catch (IOException e) {
                return 0; // an error the next write reports
            }
        }
    }

    /** One datagram into {@code dst}, its arrival time kept: the length, 0 when none waits, -1 when closed. */
    private int readOne(ByteBuffer dst) throws IOException {
        if (stamped == null) {
            int n = channel.read(dst) < 0 ? -1 : dst.position();
            lastArrivalNanos = clock.nanoTime();
            return n;
        }
        int n = stamped.receive(dst.array(), clock);
        if (n == StampedSocket.NOTHING) {
            return 0;
        }
        dst.position(n);
        lastArrivalNanos = stamped.arrivalNanos();
        return n;
    }

    /** A send stamp read off the error queue: the newest is the last stamped datagram's. The reader's. */
    private void departed(long id, long nanos) {
        if (id > lastDepartureId) {
            lastDepartureId = id;
            lastDepartureNanos = nanos;
        }
    }

    /**
     * When the datagram last {@link #read} arrived, on the link's clock, ns: the kernel's receive
     * stamp, or the clock read right after the read. Receive loop only.
     */
    long lastArrivalNanos() {
        return lastArrivalNanos;
    }

    /** Whether this link reads the kernel's stamps (else user-space ones). */
    public boolean kernelStamps() {
        return stamped != null;
    }

    private void unreachableReported() {
        unreachable.incrementAndGet();
        long now = clock.nanoTime();
        long wall = clock.epochMicros() / 1000;
        synchronized (periods) {
            int last = periods.size() - 1;
            if (last >= 0 && now - lastUnreachableNanos <= PERIOD_GAP_NANOS) {
                UnreachablePeriod p = periods.get(last);
                periods.set(last, new UnreachablePeriod(p.fromEpochMillis(), wall, p.reports() + 1));
            } else {
                if (periods.size() == MAX_PERIODS) {
                    periods.remove(0);
                }
                periods.add(new UnreachablePeriod(wall, wall, 1));
            }
            lastUnreachableNanos = now;
        }
        logRateLimited("port unreachable (nothing listens there?)");
    }

    /** Counts a datagram not sent, and logs why (rate-limited). */
    private void drop(String why) {
        dropped.incrementAndGet();
        logRateLimited(why);
    }

    /** Logs a problem with this player, at most once per {@link #LOG_INTERVAL_NANOS}. */
    private void logRateLimited(String what) {
        long more = problems.admit(clock.nanoTime());
        if (more != RateLimitedLog.SUPPRESSED) {
            LOG.warn("player '{}' at {}: {} (unreachable {} times, dropped {} so far){}", player.entry().name(),
                    player.destination(), what, unreachable.get(), dropped.get(), RateLimitedLog.moreSince(more));
        }
    }

    /** Datagrams handed to the operating system. */
    public long sentCount() {
        return sent.get();
    }

    /** Port-unreachable reports (ICMP). */
    public long unreachableCount() {
        return unreachable.get();
    }

    /** Datagrams dropped (buffer full or error), port-unreachable ones included. */
    public long droppedCount() {
        return dropped.get();
    }

    /** The periods during which the player was reported unreachable, oldest first (the last {@value #MAX_PERIODS}). */
    public List<UnreachablePeriod> unreachablePeriods() {
        synchronized (periods) {
            return List.copyOf(periods);
        }
    }

    @Override
    public void close() {
        if (stamped != null) {
            stamped.release(); // before the descriptor can be reused
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the channel to {}: {}", player.destination(), e.toString());
        }
    }
}
