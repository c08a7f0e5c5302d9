package dev.concerto.director.net;

import dev.concerto.player.AddressText;
import dev.concerto.director.engine.DiscoveryTable;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.JoinCodec;
import dev.concerto.protocol.log.RateLimitedLog;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on the director's join port (PROTOCOL.md §3): each datagram goes to the
 * {@link Discovery}'s table, valid announces are acknowledged to their source, expired players are
 * dropped every {@value #EXPIRE_EVERY_MILLIS} ms. Rejected datagrams are logged at most once per
 * {@value #LOG_EVERY_SECONDS} s. Owns one socket and one thread; {@link #close()} ends both.
 */
final class JoinListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JoinListener.class);
    static final int EXPIRE_EVERY_MILLIS = 250;
    private static final int LOG_EVERY_SECONDS = 10;

    private final DatagramSocket socket;
    private final Discovery discovery;
    private final Clock clock;
    private final Thread thread;
    private volatile boolean closed;
    private final RateLimitedLog<RateLimitedLog.Only> rejections =
            RateLimitedLog.single(LOG, LOG_EVERY_SECONDS * 1_000_000_000L);

    private JoinListener(DatagramSocket socket, Discovery discovery, Clock clock) {
        this.socket = socket;
        this.discovery = discovery;
        this.clock = clock;
        this.thread = new Thread(this::run, "concerto-join-listener");
        thread.setDaemon(true);
    }

    static JoinListener start(InetSocketAddress address, Discovery discovery, Clock clock) throws IOException {
        DatagramSocket s = new DatagramSocket(null);
        try {
            s.bind(address);
            s.setSoTimeout(EXPIRE_EVERY_MILLIS);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        JoinListener l = new JoinListener(s, discovery, clock);
        l.thread.start();
        LOG.info("unicast join: listening for announces on udp {}", AddressText.of(l.localAddress()));
        return l;
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void run() {
        byte[] buf = new byte[JoinCodec.MAX_DATAGRAM_BYTES + 1];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                p.setLength(buf.length);
                socket.receive(p);
                DiscoveryTable.Outcome o = discovery.onJoinDatagram(buf, p.getLength(), Addresses.literal(p.getAddress()));
                if (o instanceof DiscoveryTable.Outcome.Ack ack) {
                    socket.send(new DatagramPacket(ack.datagram(), ack.datagram().length, p.getSocketAddress()));
                    if (ack.changed()) {
                        LOG.info("unicast join: {} '{}' at {} (Concerto {}, {})",
                                ack.withdrawn() ? "withdrew" : "found",
                                ack.player().name(), ack.player().address(), ack.player().version(),
                                String.join(",", ack.player().protocols()));
                    }
                } else if (o instanceof DiscoveryTable.Outcome.Rejected r) {
                    rejected(r, p);
                }
            } catch (SocketTimeoutException e) {
                // time to expire
            } catch (SocketException e) {
                if (!closed) {
                    LOG.error("unicast join stopped: {}", e.toString());
                }
                return;
            } catch (IOException e) {
                LOG.debug("join: {}", e.toString());
            }
            discovery.expire();
            discovery.publishIfChanged();
        }
    }

    private void rejected(DiscoveryTable.Outcome.Rejected r, DatagramPacket p) {
        long more = rejections.admit(clock.nanoTime());
        if (more != RateLimitedLog.SUPPRESSED) {
            LOG.warn("unicast join: ignored a datagram from {}: {} ({}){}", AddressText.of(
                    (InetSocketAddress) p.getSocketAddress()), r.reason().key(), r.detail(), RateLimitedLog.moreSince(more));
        }
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
