package dev.concerto.bench.run;

import dev.concerto.director.engine.DiscoveredPlayer;
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
 */
public final class DiscoveryWatch {

    private DiscoveryWatch() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("--join") || args[0].equals("--mdns"))) {
            System.err.println("usage: DiscoveryWatch --join HOST:PORT | --mdns ADDRESS");
            System.exit(2);
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
