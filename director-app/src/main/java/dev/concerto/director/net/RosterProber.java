package dev.concerto.director.net;

import dev.concerto.director.engine.PlayerProbe;
import dev.concerto.director.engine.PlayerProbes;
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
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes a roster's players before Play ({@link PlayerProbes}): resolves their hosts, sends the
 * sync requests from one UDP channel, reads the replies and publishes every player's
 * {@link PlayerProbe} to a listener every {@value #PUBLISH_EVERY_MILLIS} ms (on its thread). Owns
 * one channel and one thread; {@link #close()} stops both.
 */
public final class RosterProber implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RosterProber.class);
    static final long PUBLISH_EVERY_MILLIS = 200;

    private final List<RosterEntry> roster;
    private final Authenticator auth;
    private final Clock clock;
    private final Consumer<List<PlayerProbe>> listener;
    private final DatagramChannel channel;
    private final Selector selector;
    private final Thread thread;
    private volatile boolean closed;

    private RosterProber(List<RosterEntry> roster, Authenticator auth, Clock clock, Consumer<List<PlayerProbe>> listener)
            throws IOException {
        this.roster = List.copyOf(roster);
        this.auth = auth;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.channel = DatagramChannel.open();
        try {
            channel.bind(null);
            channel.configureBlocking(false);
            this.selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        this.thread = new Thread(this::run, "concerto-roster-probe");
        thread.setDaemon(true);
    }

    /**
     * Starts probing {@code roster}; {@code listener} hears every player's state about every
     * {@value #PUBLISH_EVERY_MILLIS} ms, first at once (plain-integer players as "cannot be known",
     * the others "checking").
     */
    public static RosterProber start(List<RosterEntry> roster, Authenticator auth, Clock clock,
                                     Consumer<List<PlayerProbe>> listener) throws IOException {
        RosterProber p = new RosterProber(roster, auth, clock, listener);
        p.thread.start();
        return p;
    }

    private List<PlayerProbes.Target> resolve() {
        List<PlayerProbes.Target> targets = new ArrayList<>();
        for (RosterEntry e : roster) {
            boolean answers = e.protocol().syncsClock();
            String host = null;
            String detail = "";
            if (answers) {
                try {
                    host = Addresses.literal(InetAddress.getByName(e.host()));
                } catch (UnknownHostException ex) {
                    detail = "host '" + e.host() + "' does not resolve";
                }
            }
            targets.add(new PlayerProbes.Target(e.name(), host, e.port(), answers, detail));
        }
        return targets;
    }

    private void run() {
        ByteBuffer in = ByteBuffer.allocate(TimedCodec.MAX_DATAGRAM_BYTES + 1);
        try {
            PlayerProbes probes = new PlayerProbes(resolve(), auth, System.currentTimeMillis(), clock.nanoTime());
            long nextPublish = clock.nanoTime();
            while (!closed) {
                long now = clock.nanoTime();
                for (PlayerProbes.Request r : probes.due(now)) {
                    try {
                        channel.send(ByteBuffer.wrap(r.datagram()),
                                new InetSocketAddress(InetAddress.getByName(r.target().host()), r.target().port()));
                    } catch (IOException e) {
                        LOG.debug("probe to {}: {}", r.target().name(), e.toString());
                    }
                }
                if (now - nextPublish >= 0) {
                    nextPublish = now + PUBLISH_EVERY_MILLIS * 1_000_000;
                    listener.accept(probes.status(now));
                }
                long wake = Math.min(probes.nextDueNanos(), nextPublish);
                long waitMillis = Math.max(1, (wake - clock.nanoTime()) / 1_000_000);
                if (selector.select(waitMillis) > 0) {
                    selector.selectedKeys().clear();
                    while (true) {
                        in.clear();
                        InetSocketAddress from;
                        try {
                            from = (InetSocketAddress) channel.receive(in);
                        } catch (java.net.PortUnreachableException e) {
                            continue;
                        }
                        if (from == null) {
                            break;
                        }
                        probes.onDatagram(in.array(), in.position(), Addresses.literal(from.getAddress()),
                                from.getPort(), clock.nanoTime());
                    }
                }
            }
        } catch (ClosedSelectorException e) {
            // closed
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
        try {
            selector.close();
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the probe: {}", e.toString());
        }
    }
}
