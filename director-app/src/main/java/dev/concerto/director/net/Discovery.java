package dev.concerto.director.net;

import dev.concerto.player.AddressText;
import dev.concerto.director.engine.DiscoveredPlayer;
import dev.concerto.director.engine.DiscoveryTable;
import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The director's discovery: a {@link JoinListener} on the join port and/or an {@link MdnsBrowser},
 * both feeding one {@link DiscoveryTable}, whose list is published to listeners (on the shells'
 * threads) whenever it changes. Start one with {@link #start(Options, Clock)}; close it to stop
 * both. Thread-safe: the table is guarded by this object's lock.
 */
public final class Discovery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);

    /**
     * What to start.
     *
     * @param join     the address to listen on for join announces, or {@code null} for none
     * @param mdns     the interface address to browse mDNS on, or {@code null} for none
     * @param auth     the shared key (unsigned announces ignored, acks signed), or {@code null}
     */
    public record Options(InetSocketAddress join, InetAddress mdns, Authenticator auth) {

        /**
         * Options from what a user typed.
         *
         * @param joinBind    address to listen on for announces ("0.0.0.0")
         * @param joinPort    the join port, 0 = no unicast join
         * @param mdns        whether to browse mDNS
         * @param mdnsAddress the interface address to browse on, or null/"" for the first multicast-capable one
         * @param keyFile     the shared key file, or null
         * @throws IllegalArgumentException naming what is wrong
         */
        public static Options of(String joinBind, int joinPort, boolean mdns, String mdnsAddress, java.nio.file.Path keyFile) {
            if (joinPort < 0 || joinPort > 65_535) {
                throw new IllegalArgumentException("the join port must be 0..65535, got " + joinPort);
            }
            try {
                InetSocketAddress join = joinPort == 0 ? null
                        : new InetSocketAddress(InetAddress.getByName(joinBind), joinPort);
                InetAddress mdnsAt = null;
                if (mdns) {
                    mdnsAt = mdnsAddress != null && !mdnsAddress.isBlank() ? InetAddress.getByName(mdnsAddress)
                            : dev.concerto.player.discovery.MulticastInterfaces.firstIpv4();
                }
                Authenticator auth = keyFile == null ? null : new Authenticator(java.nio.file.Files.readAllBytes(keyFile));
                return new Options(join, mdnsAt, auth);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("unknown host: " + e.getMessage());
            } catch (IOException e) {
                throw new IllegalArgumentException("key file " + keyFile + ": " + e.getMessage());
            }
        }
    }

    private final DiscoveryTable table;
    private final Clock clock;
    private final List<Consumer<List<DiscoveredPlayer>>> listeners = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> parts = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private JoinListener joinListener;
    private long publishedVersion = -1;

    private Discovery(Authenticator auth, Clock clock) {
        this.table = new DiscoveryTable(auth);
        this.clock = clock;
    }

    /**
     * Starts what {@code options} ask for. A part that cannot start (join port in use, no
     * multicast) is logged and listed in {@link #problems()}; the other part still runs.
     */
    public static Discovery start(Options options, Clock clock) {
        Discovery d = new Discovery(options.auth(), Objects.requireNonNull(clock, "clock"));
        if (options.join() != null) {
            try {
                d.joinListener = JoinListener.start(options.join(), d, clock);
                d.parts.add(d.joinListener);
            } catch (IOException e) {
                d.problem("unicast join: cannot listen on udp " + AddressText.of(options.join()) + " ("
                        + e.getMessage() + "); players using --join will not be found (another director running?"
                        + " pick another port with --join-port)");
            }
        }
        if (options.mdns() != null) {
            try {
                d.parts.add(0, MdnsBrowser.start(options.mdns(), d, clock));
            } catch (IOException e) {
                d.problem("mDNS: cannot browse on " + options.mdns().getHostAddress() + " (" + e.getMessage()
                        + "); players will be found by unicast join only");
            }
        }
        return d;
    }

    private void problem(String message) {
        LOG.warn(message);
        synchronized (this) {
            problems.add(message);
        }
    }

    /** Why a part did not start, or empty. */
    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /** The join listener's local address, or {@code null} when it is not running. */
    public InetSocketAddress joinAddress() {
        return joinListener == null ? null : joinListener.localAddress();
    }

    /** Calls {@code listener} with the list now and after every change (on a discovery thread). */
    public void addListener(Consumer<List<DiscoveredPlayer>> listener) {
        listeners.add(listener);
        listener.accept(players());
    }

    /** The players found so far. */
    public synchronized List<DiscoveredPlayer> players() {
        return table.players();
    }

    /** The announces accepted, and rejected by reason, so far. */
    public synchronized String counters() {
        return "accepted " + table.acceptedCount() + ", rejected " + table.rejectedCounts() + ", evicted "
                + table.evictedCount();
    }

    synchronized DiscoveryTable.Outcome onJoinDatagram(byte[] buf, int length, String host) {
        DiscoveryTable.Outcome o = table.onJoinDatagram(buf, length, host, clock.nanoTime());
        return o;
    }

    synchronized void expire() {
        table.expire(clock.nanoTime());
    }

    synchronized void putMdns(String service, DiscoveredPlayer p) {
        table.putMdns(service, p);
    }

    synchronized void removeMdns(String service) {
        table.removeMdns(service);
    }

    /** Tells the listeners when the list changed since they were last told; called by the shells. */
    void publishIfChanged() {
        List<DiscoveredPlayer> now;
        synchronized (this) {
            if (table.version() == publishedVersion) {
                return;
            }
            publishedVersion = table.version();
            now = table.players();
        }
        for (Consumer<List<DiscoveredPlayer>> l : listeners) {
            try {
                l.accept(now);
            } catch (RuntimeException e) {
                LOG.warn("a discovery listener failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        for (AutoCloseable p : parts) {
            try {
                p.close();
            } catch (Exception e) {
                LOG.debug("closing discovery: {}", e.toString());
            }
        }
    }
}
