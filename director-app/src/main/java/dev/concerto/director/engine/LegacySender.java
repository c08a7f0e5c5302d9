package dev.concerto.director.engine;

import dev.concerto.protocol.LegacyCodec;
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
 * Sends the plain-integer format ({@link LegacyCodec}) to one player over its own non-blocking,
 * connected {@link DatagramChannel}. Connected, so that the kernel reports an ICMP
 * port-unreachable for a player that is not listening; such a report is counted and the datagram
 * retried once, never fatal. Non-blocking, so that a full send buffer drops a datagram instead of
 * delaying the other players.
 *
 * <p>Thread-safe: sends are serialised on this object (uncontended on the scheduler thread).
 */
public final class LegacySender implements Sender {

    private static final Logger LOG = LoggerFactory.getLogger(LegacySender.class);
    /** Log a player's network errors at most once per this many nanoseconds. */
    private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final ResolvedPlayer player;
    private final DatagramChannel channel;
    private final byte[] bytes = new byte[LegacyCodec.MAX_DATAGRAM_BYTES];
    /** Direct, so a send does not copy through a temporary native buffer (measurably faster). */
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(LegacyCodec.MAX_DATAGRAM_BYTES);
    private final AtomicLong unreachable = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private long lastLogNanos = System.nanoTime() - LOG_INTERVAL_NANOS;

    private LegacySender(ResolvedPlayer player, DatagramChannel channel) {
        this.player = player;
        this.channel = channel;
    }

    /**
     * Opens a channel connected to the player. Connecting a UDP socket sends nothing.
     *
     * @throws IOException when no socket can be opened (out of file descriptors, no IPv6 stack)
     */
    public static LegacySender open(ResolvedPlayer player) throws IOException {
        DatagramChannel channel = DatagramChannel.open(player.address().getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            channel.configureBlocking(false);
            channel.connect(player.address());
            return new LegacySender(player, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public RosterEntry entry() {
        return player.entry();
    }

    @Override
    public String destination() {
        return player.destination();
    }

    @Override
    public synchronized boolean send(int hz) {
        int length = LegacyCodec.encode(hz, bytes, 0);
        for (int attempt = 0; attempt < 2; attempt++) {
            buffer.clear();
            buffer.put(bytes, 0, length).flip();
            try {
                if (channel.write(buffer) == length) {
                    return true;
                }
                dropped.incrementAndGet();
                logRateLimited("send buffer full: dropped a datagram");
                return false;
            } catch (PortUnreachableException e) {
                // The report belongs to an earlier datagram; this one was not sent: try once more.
                unreachable.incrementAndGet();
                logRateLimited("port unreachable (nothing listens there?)");
            } catch (ClosedChannelException e) {
                dropped.incrementAndGet();
                return false;
            } catch (IOException e) {
                dropped.incrementAndGet();
                logRateLimited(e.toString());
                return false;
            }
        }
        dropped.incrementAndGet();
        return false;
    }

    private void logRateLimited(String what) {
        long now = System.nanoTime();
        if (now - lastLogNanos >= LOG_INTERVAL_NANOS) {
            lastLogNanos = now;
            LOG.warn("player '{}' at {}: {} (unreachable {} times, dropped {} so far)", player.entry().name(),
                    destination(), what, unreachable.get(), dropped.get());
        }
    }

    @Override
    public long unreachableCount() {
        return unreachable.get();
    }

    @Override
    public long droppedCount() {
        return dropped.get();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the channel to {}: {}", destination(), e.toString());
        }
    }

    @Override
    public String toString() {
        return "LegacySender[" + player.entry().name() + " -> " + destination() + "]";
    }
}
