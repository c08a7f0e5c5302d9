package dev.concerto.director.net;

import dev.concerto.director.engine.PlayerProbe;
import dev.concerto.director.engine.PlayerProbes;
import dev.concerto.director.engine.PlayerStream;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.TimedCodec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell that runs {@link PlayerProbes} before Play: resolves the roster's hosts, opens a
 * {@link UdpLink} (the engine's connected per-player channel, so only that player's replies come
 * back on it) to every player that answers sync requests, and on its one thread sends the due
 * requests (through the links: the probe's sockets have this one writing thread), reads the
 * replies, and publishes every player's {@link PlayerProbe} to a listener every
 * {@value #PUBLISH_EVERY_MILLIS} ms (on that thread). {@link #close()} stops the thread and closes
 * the links.
 */
public final class RosterProber implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RosterProber.class);
    static final long PUBLISH_EVERY_MILLIS = 200;

    private final List<PlayerProbes.Target> targets = new ArrayList<>();
    private final UdpLink[] links;
    private final Authenticator auth;
    private final Clock clock;
    private final Consumer<List<PlayerProbe>> listener;
    private final Selector selector;
    private final Thread thread;
    private volatile boolean closed;

    private RosterProber(List<RosterEntry> roster, Authenticator auth, Clock clock, Consumer<List<PlayerProbe>> listener)
            throws IOException {
        this.auth = auth;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.links = new UdpLink[roster.size()];
        this.selector = Selector.open();
        try {
            for (int i = 0; i < roster.size(); i++) {
                RosterEntry e = roster.get(i);
                PlayerProbes.Target t = resolve(e);
                targets.add(t);
                if (t.asked()) {
                    links[i] = UdpLink.open(new ResolvedPlayer(e, new InetSocketAddress(InetAddress.getByName(t.host()),
                            e.port())), clock);
                    links[i].channel().register(selector, SelectionKey.OP_READ, i);
                }
            }
        } catch (IOException | RuntimeException e) {
            closeLinks();
            throw e;
        }
        this.thread = new Thread(this::run, "concerto-roster-probe");
        thread.setDaemon(true);
    }

    /**
     * Starts probing {@code roster}; {@code listener} hears every player's state about every
     * {@value #PUBLISH_EVERY_MILLIS} ms, first at once (plain-integer players as "cannot be known",
     * the others "checking").
     *
     * @throws IOException when a socket cannot be opened
     */
    public static RosterProber start(List<RosterEntry> roster, Authenticator auth, Clock clock,
                                     Consumer<List<PlayerProbe>> listener) throws IOException {
        RosterProber p = new RosterProber(roster, auth, clock, listener);
        p.thread.start();
        return p;
    }

    private static PlayerProbes.Target resolve(RosterEntry e) {
        boolean answers = e.protocol().syncsClock();
        String host = null;
        String detail = "";
        if (answers) {
            String name = e.host().startsWith("[") && e.host().endsWith("]")
                    ? e.host().substring(1, e.host().length() - 1) : e.host();
            try {
                host = Addresses.literal(InetAddress.getByName(name));
            } catch (UnknownHostException ex) {
                detail = "host '" + e.host() + "' does not resolve";
            }
        }
        return new PlayerProbes.Target(e.name(), host, e.port(), answers, detail);
    }

    private void run() {
        ByteBuffer in = ByteBuffer.allocate(TimedCodec.MAX_DATAGRAM_BYTES + 1);
        try {
            PlayerProbes probes = new PlayerProbes(targets, i -> links[i], auth,
                    PlayerStream.firstSeq(clock.epochMicros()), clock.nanoTime());
            long nextPublish = clock.nanoTime();
            while (!closed) {
                long now = clock.nanoTime();
                probes.sendDue(now);
                if (now - nextPublish >= 0) {
                    nextPublish = now + PUBLISH_EVERY_MILLIS * 1_000_000;
                    listener.accept(probes.status(now));
                }
                long wake = Math.min(probes.nextDueNanos(), nextPublish);
                long waitMillis = Math.max(1, (wake - clock.nanoTime()) / 1_000_000);
                if (selector.select(waitMillis) > 0) {
                    for (SelectionKey key : selector.selectedKeys()) {
                        int player = (Integer) key.attachment();
                        int n;
                        while ((n = links[player].read(in)) > 0) {
                            probes.onDatagram(player, in.array(), n, clock.nanoTime());
                        }
                        if (n < 0) {
                            key.cancel();
                        }
                    }
                    selector.selectedKeys().clear();
                }
            }
        } catch (ClosedSelectorException e) {
            // closed: the way this loop ends
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.error("roster probe stopped: {}", e.toString(), e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeLinks();
    }

    private void closeLinks() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing the probe's selector: {}", e.toString());
        }
        for (UdpLink link : links) {
            if (link != null) {
                link.close();
            }
        }
    }
}
