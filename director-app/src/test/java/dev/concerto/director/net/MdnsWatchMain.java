package dev.concerto.director.net;

import dev.concerto.director.engine.DiscoveredPlayer;
import dev.concerto.protocol.Clock;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Test helper run inside a network namespace: browses mDNS on the address given (never a real
 * interface) and prints "+NAME ADDRESS VERSION" / "-NAME" as players come and go, until stdin closes.
 */
public final class MdnsWatchMain {

    private MdnsWatchMain() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress at = InetAddress.getByName(args[0]);
        Set<String> shown = new HashSet<>();
        try (Discovery d = Discovery.start(new Discovery.Options(null, at, null), Clock.SYSTEM)) {
            if (!d.problems().isEmpty()) {
                System.out.println("problem " + d.problems());
            }
            System.out.println("browsing");
            d.addListener(players -> print(players, shown));
            while (System.in.read() >= 0) {
                // until the test closes our stdin
            }
        }
    }

    private static synchronized void print(List<DiscoveredPlayer> players, Set<String> shown) {
        Set<String> now = new HashSet<>();
        for (DiscoveredPlayer p : players) {
            now.add(p.name());
            if (shown.add(p.name())) {
                System.out.println("+" + p.name() + " " + p.address() + " " + p.version() + " " + p.via().key());
            }
        }
        for (String s : Set.copyOf(shown)) {
            if (!now.contains(s)) {
                shown.remove(s);
                System.out.println("-" + s);
            }
        }
        System.out.flush();
    }
}
