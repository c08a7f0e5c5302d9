package dev.concerto.director.net;

import dev.concerto.director.engine.DatagramSink;
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
 * <p>Threads: the scheduler thread is the only writer ({@link #send}); the reply receive loop is
 * the only reader ({@link #read}); counters and periods are thread-safe.
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
    private final Clock clock;
    /** Direct, so a send does not copy through a temporary native buffer; the writer's only. */
    private final ByteBuffer out = ByteBuffer.allocateDirect(2048);
    private final AtomicLong unreachable = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final RateLimitedLog<RateLimitedLog.Only> problems = RateLimitedLog.single(LOG, LOG_INTERVAL_NANOS);
    private final List<UnreachablePeriod> periods = new ArrayList<>(); // guarded by itself
    private long lastUnreachableNanos = Long.MIN_VALUE;                 // guarded by periods

    private UdpLink(ResolvedPlayer player, DatagramChannel channel, Clock clock) {
        this.player = player;
        this.channel = channel;
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
            return new UdpLink(player, channel, clock);
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
        for (int attempt = 0; attempt < 2; attempt++) {
            out.clear();
            out.put(datagram, 0, length).flip();
            try {
                if (channel.write(out) == length) {
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

    /**
     * Reads one waiting datagram into {@code dst} (cleared first). Port-unreachable reports are
     * counted and skipped. Receive loop only.
     *
     * @return the datagram's length, 0 when nothing is waiting, -1 when the channel is closed
     */
    int read(ByteBuffer dst) {
        while (true) {
            dst.clear();
            try {
                return channel.read(dst) < 0 ? -1 : dst.position();
            } catch (PortUnreachableException e) {
                unreachableReported();
            } catch (ClosedChannelException e) {
                return -1;
            } catch (IOException e) {
                return 0; // an error the next write reports
            }
        }
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
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the channel to {}: {}", player.destination(), e.toString());
        }
    }
}
