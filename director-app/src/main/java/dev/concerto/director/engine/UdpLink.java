package dev.concerto.director.engine;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One player's UDP path, shared by every {@link Sender}: its own non-blocking, connected
 * {@link DatagramChannel}. Connected, so that the kernel reports an ICMP port-unreachable for a
 * player that is not listening; such a report belongs to an earlier datagram, so it is counted and
 * the write retried once, never fatal. Non-blocking, so that a full send buffer drops a datagram
 * instead of delaying the other players. Network errors are logged at most once per
 * {@link #LOG_INTERVAL_NANOS}.
 *
 * <p>Counters and the log are thread-safe; {@link #write} and {@link #read} must each be called
 * by one thread at a time (the senders serialise their writes).
 */
final class UdpLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpLink.class);
    /** Log a player's network errors at most once per this many nanoseconds. */
    static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final ResolvedPlayer player;
    private final DatagramChannel channel;
    private final AtomicLong unreachable = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lastLogNanos = new AtomicLong(Long.MIN_VALUE);

    private UdpLink(ResolvedPlayer player, DatagramChannel channel) {
        this.player = player;
        this.channel = channel;
    }

    /**
     * Opens a channel connected to the player. Connecting a UDP socket sends nothing.
     *
     * @throws IOException when no socket can be opened (out of file descriptors, no IPv6 stack)
     */
    static UdpLink open(ResolvedPlayer player) throws IOException {
        DatagramChannel channel = DatagramChannel.open(player.address().getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            channel.configureBlocking(false);
            channel.connect(player.address());
            return new UdpLink(player, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The channel, for a selector waiting on replies. */
    DatagramChannel channel() {
        return channel;
    }

    /**
     * Writes {@code bytes[0 .. length)} as one datagram through {@code buffer} (a reusable direct
     * buffer of the caller's). Never blocks.
     *
     * @return whether the datagram was handed to the kernel
     */
    boolean write(ByteBuffer buffer, byte[] bytes, int length) {
        for (int attempt = 0; attempt < 2; attempt++) {
            buffer.clear();
            buffer.put(bytes, 0, length).flip();
            try {
                if (channel.write(buffer) == length) {
                    return true;
                }
                drop("send buffer full: dropped a datagram");
                return false;
            } catch (PortUnreachableException e) {
                // The report belongs to an earlier datagram; this one was not sent: try once more.
                unreachable.incrementAndGet();
                logRateLimited("port unreachable (nothing listens there?)");
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
     * counted and skipped.
     *
     * @return the datagram's length, or 0 when nothing is waiting or the channel is closed
     */
    int read(ByteBuffer dst) {
        while (true) {
            dst.clear();
            try {
                channel.read(dst);
                return dst.position();
            } catch (PortUnreachableException e) {
                unreachable.incrementAndGet();
            } catch (IOException e) {
                return 0; // closed, or an error the next write reports
            }
        }
    }

    /** Counts a datagram the caller decided not to send, and logs why (rate-limited). */
    void drop(String why) {
        dropped.incrementAndGet();
        logRateLimited(why);
    }

    /** Logs a problem with this player, at most once per {@link #LOG_INTERVAL_NANOS}. */
    void logRateLimited(String what) {
        long now = System.nanoTime();
        long last = lastLogNanos.get();
        if ((last != Long.MIN_VALUE && now - last < LOG_INTERVAL_NANOS) || !lastLogNanos.compareAndSet(last, now)) {
            return;
        }
        LOG.warn("player '{}' at {}: {} (unreachable {} times, dropped {} so far)", player.entry().name(),
                player.destination(), what, unreachable.get(), dropped.get());
    }

    long unreachableCount() {
        return unreachable.get();
    }

    long droppedCount() {
        return dropped.get();
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
