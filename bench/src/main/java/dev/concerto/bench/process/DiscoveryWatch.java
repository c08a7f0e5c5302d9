package dev.concerto.bench.process;

import dev.concerto.director.engine.DiscoveredPlayer;
import dev.concerto.director.engine.PlayerProbe;
import dev.concerto.director.engine.TimedOptions;
import dev.concerto.director.net.RosterProber;
import dev.concerto.director.net.Discovery;
import dev.concerto.protocol.Clock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A director's discovery as its own process, for the discovery suite: {@code --join HOST:PORT}
 * (unicast join on loopback) or {@code --mdns ADDRESS} (browsing mDNS on that address, only ever
 * inside a private network namespace). Prints {@code ready}, then {@code +NAME NANOS} and
 * {@code -NAME NANOS} as players come and go, where NANOS is {@link System#nanoTime()} when the
 * list changed: CLOCK_MONOTONIC, the same clock as the suite's on this machine. Ends when stdin closes.
 *
 * <p>{@code --probe ROSTER} instead runs the director's status before Play on a roster file
 * ({@link RosterProber}, as the window and {@code players --roster} do) and prints
 * {@code opened NANOS} just before it starts, {@code known NANOS} when no timed player is still
 * "checking", then each player's status, and exits.
 */
public final class DiscoveryWatch {

    private DiscoveryWatch() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("--join") || args[0].equals("--mdns") || args[0].equals("--probe"))) {
            System.err.println("usage: DiscoveryWatch --join HOST:PORT | --mdns ADDRESS | --probe ROSTER");
            System.exit(2);
        }
        if (args[0].equals("--probe")) {
            probe(java.nio.file.Path.of(args[1]));
            return;
        }
        Discovery.Options options;
        if (args[0].equals("--join")) {
            int colon = args[1].lastIndexOf(':');
            options = new Discovery.Options(new InetSocketAddress(InetAddress.getByName(args[1].substring(0, colon)),
                    Integer.parseInt(args[1].substring(colon + 1))), null, null);
        } else {
            options = new Discovery.Options(null, InetAddress.getByName(args[1]), null);
        }
        Set<String> shown = new HashSet<>();
        try (Discovery d = Discovery.start(options, Clock.SYSTEM)) {
            if (!d.problems().isEmpty()) {
                System.out.println("problem " + d.problems());
                System.exit(2);
            }
            d.addListener(players -> print(players, shown, System.nanoTime()));
            System.out.println("ready");
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the suite closes our stdin
            }
        }
    }

    private static void probe(java.nio.file.Path rosterFile) throws Exception {
        List<dev.concerto.director.engine.RosterEntry> roster = dev.concerto.director.engine.Roster.load(rosterFile).entries();
        java.util.concurrent.CompletableFuture<List<PlayerProbe>> known = new java.util.concurrent.CompletableFuture<>();
        long opened = System.nanoTime();
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        try (RosterProber prober = RosterProber.start(roster, TimedOptions.defaults(), Clock.SYSTEM, status -> {
            if (first.getAndSet(false)) {
                System.out.println("first " + System.nanoTime());
            }
            if (status.stream().noneMatch(p -> p.state() == PlayerProbe.State.CHECKING) && !known.isDone()) {
                System.out.println("known " + System.nanoTime());
                known.complete(status);
            }
        })) {
            System.out.println("opened " + opened);
            for (PlayerProbe p : known.get(30, java.util.concurrent.TimeUnit.SECONDS)) {
                System.out.println("status " + p.name() + ": " + p.describe());
            }
        }
        System.out.flush();
    }

    private static synchronized void print(List<DiscoveredPlayer> players, Set<String> shown, long nanos) {
        Set<String> now = new HashSet<>();
        for (DiscoveredPlayer p : players) {
            now.add(p.name());
            if (shown.add(p.name())) {
                System.out.println("+" + p.name() + " " + nanos);
            }
        }
        for (String s : Set.copyOf(shown)) {
            if (!now.contains(s)) {
                shown.remove(s);
                System.out.println("-" + s + " " + nanos);
            }
        }
        System.out.flush();
    }
}
