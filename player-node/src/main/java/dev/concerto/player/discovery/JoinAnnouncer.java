package dev.concerto.player.discovery;

import dev.concerto.player.AddressText;
import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.JoinCodec;
import dev.concerto.protocol.JoinMessage;
import dev.concerto.protocol.log.RateLimitedLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The player's half of the unicast join (PROTOCOL.md §3): sends announces to one director, as
 * {@link JoinSchedule} says (repeated until acknowledged, refreshed every third of the ttl), reads
 * its acks, and says goodbye (ttl 0) when closed. Owns one UDP channel (bound to the player's own
 * address, so the director sees the right source) and one thread. The director's host name is
 * resolved when the first announce is due and again after a failure, so a player started before its
 * network is up keeps trying. Thread-safe to {@link #close()}.
 */
public final class JoinAnnouncer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JoinAnnouncer.class);
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final PlayerAdvert advert;
    private final String directorHost;
    private final int directorPort;
    private final Authenticator auth;
    private final Clock clock;
    private final DatagramChannel channel;
    private final Selector selector;
    private final Thread thread;
    private final ByteBuffer in = ByteBuffer.allocate(JoinCodec.MAX_DATAGRAM_BYTES + 1);
    private final JoinSchedule schedule;
    private volatile boolean closing;
    private volatile boolean joined;
    private InetSocketAddress director;
    private final RateLimitedLog<RateLimitedLog.Only> problems = RateLimitedLog.single(LOG, LOG_EVERY_NANOS);

    /**
     * Opens the channel; {@link #start()} begins announcing.
     *
     * @param advert       what to announce
     * @param bindAddress  the player's bind address (wildcard or a local address); the port is ephemeral
     * @param directorHost the director's host name or IP literal
     * @param directorPort its join port
     * @param ttlSeconds   the ttl to announce (see {@link JoinSchedule#DEFAULT_TTL_SECONDS})
     * @param auth         the shared key (announces signed, unsigned acks ignored), or {@code null}
     */
    public JoinAnnouncer(PlayerAdvert advert, InetAddress bindAddress, String directorHost, int directorPort,
                         int ttlSeconds, Authenticator auth, Clock clock) throws IOException {
        this.advert = Objects.requireNonNull(advert, "advert");
        this.directorHost = Objects.requireNonNull(directorHost, "directorHost");
        this.directorPort = directorPort;
        this.auth = auth;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.schedule = new JoinSchedule(ttlSeconds, System.currentTimeMillis(), clock.nanoTime());
        this.channel = DatagramChannel.open(bindAddress instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            channel.bind(new InetSocketAddress(bindAddress, 0));
            channel.configureBlocking(false);
            this.selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        this.thread = new Thread(this::run, "concerto-join");
        thread.setDaemon(true);
    }

    public JoinAnnouncer start() {
        thread.start();
        return this;
    }

    /** Whether the director acknowledged an announce within the last ttl. */
    public boolean joined() {
        return joined;
    }

    /** "director.example:10000". */
    public String target() {
        return AddressText.of(directorHost, directorPort);
    }

    private void run() {
        try {
            while (!closing) {
                long now = clock.nanoTime();
                if (now - schedule.nextSendNanos() >= 0) {
                    send(schedule.send(now), schedule.ttlSeconds());
                }
                long waitMillis = Math.max(1, (schedule.nextSendNanos() - clock.nanoTime()) / 1_000_000);
                if (selector.select(waitMillis) > 0) {
                    selector.selectedKeys().clear();
                    receiveAcks();
                }
                boolean nowJoined = schedule.joined(clock.nanoTime());
                if (nowJoined != joined) {
                    joined = nowJoined;
                    if (nowJoined) {
                        LOG.info("joined director {}", target());
                    } else {
                        LOG.warn("director {} stopped answering; announcing again", target());
                    }
                }
            }
            send(schedule.send(clock.nanoTime()), 0); // goodbye: the director forgets us at once
        } catch (ClosedSelectorException e) {
            // closed
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                LOG.error("join announcer stopped: {}", e.toString(), e);
            }
        } finally {
            try {
                selector.close();
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing the join channel: {}", e.toString());
            }
        }
    }

    private void send(long seq, int ttl) {
        if (director == null || director.isUnresolved()) {
            director = new InetSocketAddress(directorHost, directorPort);
            if (director.isUnresolved()) {
                problem("cannot resolve the director's host '" + directorHost + "'; retrying");
                return;
            }
        }
        try {
            channel.send(ByteBuffer.wrap(JoinCodec.encode(advert.announce(seq, ttl), auth)), director);
        } catch (IOException e) {
            problem("cannot send an announce to " + target() + ": " + e.getMessage());
            director = null; // resolve again next time (the network may have changed)
        }
    }

    private void receiveAcks() throws IOException {
        while (true) {
            in.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) channel.receive(in);
            } catch (PortUnreachableException e) {
                continue;
            }
            if (from == null) {
                return;
            }
            if (director == null || !from.getAddress().equals(director.getAddress())) {
                continue; // only the director we announce to may acknowledge
            }
            DecodeResult<JoinMessage> r = JoinCodec.decode(in.array(), 0, in.position(), auth);
            if (r instanceof DecodeResult.Accepted<JoinMessage> a && a.value() instanceof JoinMessage.Ack ack) {
                schedule.onAck(ack.seq(), clock.nanoTime());
            } else if (r instanceof DecodeResult.Rejected<JoinMessage> rej) {
                problem("ignored a datagram from the director: " + rej.reason().key() + " (" + rej.detail() + ")");
            }
        }
    }

    private void problem(String message) {
        problems.warn(clock.nanoTime(), "{}", message);
    }

    /** Says goodbye to the director and stops (waiting up to 1 s). Idempotent. */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!thread.isAlive()) {
            try {
                selector.close();
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing the join channel: {}", e.toString());
            }
        }
    }
}
