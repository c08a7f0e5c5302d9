package dev.concerto.netem;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Several {@link PathProxy}s, one per player, that share one releasing thread: the datagrams of a
 * chord, due at about the same instant on every path, are sent by one thread that spins once for
 * them, not by one per path each spinning for its own (four spinning threads take both of a two-core
 * machine's cores from the players they emulate paths for). It did not change the release lateness
 * on the development VM (p99 1.3–3.3 ms either way); what did is real-time priority for the threads,
 * which the bench gives them where it may (p99 0.24–0.78 ms). Each proxy keeps its own receiving
 * thread, deciders, counters and lateness; every thread's name starts with {@code netem-}.
 *
 * <p>Bounded: at most {@value #MAX_PROXIES} proxies; everything stops by itself after the lifetime.
 * Thread-safe: {@link #add} and {@link #close} may be called from any thread.
 */
public final class PathEmulator implements AutoCloseable {

    /** Proxies one emulator serves at most. */
    public static final int MAX_PROXIES = 64;

    private final Duration lifetime;
    private final ReleaseQueue releases;
    private final List<PathProxy> proxies = new ArrayList<>(); // guarded by this

    private PathEmulator(Duration lifetime) {
        this.lifetime = lifetime;
        this.releases = new ReleaseQueue("shared", System.nanoTime() + lifetime.toNanos());
    }

    /** Starts the releasing thread; proxies are {@link #add}ed after. Everything stops by itself after {@code lifetime}. */
    public static PathEmulator start(Duration lifetime) {
        PathEmulator e = new PathEmulator(lifetime);
        e.releases.start();
        return e;
    }

    /**
     * Starts a proxy in front of {@code player} (a loopback address), released by this emulator's thread.
     *
     * @param seed the seed of every decision on this path (the same seed and arrivals, the same fates)
     * @throws IOException           when no socket can be bound
     * @throws IllegalStateException when {@value #MAX_PROXIES} are already served, or the emulator is closed
     */
    public synchronized PathProxy add(InetSocketAddress player, PathProfile profile, long seed) throws IOException {
        if (releases.stopped()) {
            throw new IllegalStateException("the path emulator is closed");
        }
        if (proxies.size() >= MAX_PROXIES) {
            throw new IllegalStateException("a path emulator serves at most " + MAX_PROXIES + " proxies");
        }
        PathProxy p = new PathProxy(player, profile, seed, lifetime, releases, false);
        proxies.add(p);
        p.startReceiving();
        return p;
    }

    /** Stops every proxy and the releasing thread (what is still held is dropped). Idempotent. */
    @Override
    public synchronized void close() {
        proxies.forEach(PathProxy::close);
        releases.close();
    }
}
