package dev.concerto.director.net;

import dev.concerto.director.engine.PlayerProbe;
import dev.concerto.director.engine.PlayerProbes;
import dev.concerto.director.engine.PlayerStream;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.engine.TimedOptions;
import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ClosedSelectorException;
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
 * requests (through the links: the probe's sockets have this one writing thread), waits for replies
 * with the engine's own receive loop ({@link ReplySelector}) until the next request is due, and
 * publishes every player's {@link PlayerProbe} to a listener when it changes and every
 * {@value #PUBLISH_EVERY_MILLIS} ms (on that thread). Requests are made and replies checked with the {@link TimedOptions} the engine
 * would play with, so a keyed player is probed with signed requests exactly as it is synced while
 * playing. {@link #close()} stops the thread and closes the links.
 */
public final class RosterProber implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RosterProber.class);
    static final long PUBLISH_EVERY_MILLIS = 200;

    private final List<PlayerProbes.Target> targets = new ArrayList<>();
    private final UdpLink[] links;
    private final TimedOptions options;
    private final Clock clock;
    private final Consumer<List<PlayerProbe>> listener;
    private final ReplySelector selector;
    private final Thread thread;
    private volatile boolean closed;

    private RosterProber(List<RosterEntry> roster, TimedOptions options, Clock clock, Consumer<List<PlayerProbe>> listener)
            throws IOException {
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.links = new UdpLink[roster.size()];
        ReplySelector opened = null;
        try {
            List<UdpLink> asked = new ArrayList<>();
            List<Integer> indices = new ArrayList<>();
            for (int i = 0; i < roster.size(); i++) {
                RosterEntry e = roster.get(i);
                PlayerProbes.Target t = resolve(e);
                targets.add(t);
                if (t.asked()) {
                    links[i] = UdpLink.open(new ResolvedPlayer(e, new InetSocketAddress(InetAddress.getByName(t.host()),
                            e.port())), clock);
                    asked.add(links[i]);
                    indices.add(i);
                }
            }
            opened = new ReplySelector(asked, indices.stream().mapToInt(Integer::intValue).toArray());
        } catch (IOException | RuntimeException e) {
            closeLinks();
            throw e;
        }
        this.selector = opened;
        this.thread = new Thread(this::run, "concerto-roster-probe");
        thread.setDaemon(true);
    }

    /**
     * Starts probing {@code roster}; {@code listener} hears every player's state at once (plain-integer
     * players as "cannot be known", the others "checking"), again as soon as a reply arrives or a
     * player is decided silent, and at least every {@value #PUBLISH_EVERY_MILLIS} ms.
     *
     * @param options the options the engine plays with: its authenticator signs every request and
     *                checks every reply, as while playing
     * @throws IOException when a socket cannot be opened
     */
    public static RosterProber start(List<RosterEntry> roster, TimedOptions options, Clock clock,
                                     Consumer<List<PlayerProbe>> listener) throws IOException {
        RosterProber p = new RosterProber(roster, options, clock, listener);
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
        try {
            PlayerProbes probes = new PlayerProbes(targets, i -> links[i], options,
                    PlayerStream.firstSeq(clock.epochMicros()), clock.nanoTime());
            long nextPublish = clock.nanoTime();
            long decision = Long.MAX_VALUE; // when the player waited for last turns silent unless it answers
            boolean changed = true;
            while (!closed) {
                long now = clock.nanoTime();
                probes.sendDue(now);
                // A reply or a decision is shown at once (the status within 1 s of opening a
                // roster), and the whole state every PUBLISH_EVERY_MILLIS for RTTs and ageing.
                boolean decided = decision != Long.MAX_VALUE && now - decision >= 0;
                if (changed || decided || now - nextPublish >= 0) {
                    nextPublish = now + PUBLISH_EVERY_MILLIS * 1_000_000;
                    listener.accept(probes.status(now));
                }
                decision = probes.nextDecisionNanos(now);
                long wake = earliest(earliest(probes.nextDueNanos(), nextPublish), decision);
                long waitMillis = Math.max(1, ceilMillis(wake - clock.nanoTime()));
                changed = selector.await(waitMillis, probes::onDatagram) > 0;
            }
        } catch (ClosedSelectorException e) {
            // closed: the way this loop ends
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.error("roster probe stopped: {}", e.toString(), e);
            }
        }
    }

    private static long earliest(long a, long b) {
        return a - b <= 0 ? a : b;
    }

    private static long ceilMillis(long nanos) {
        return nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000;
    }

    @Override
    public void close() {
        closed = true;
        selector.stop(thread);
        closeLinks();
    }

    private void closeLinks() {
        for (UdpLink link : links) {
            if (link != null) {
                link.close();
            }
        }
    }
}
