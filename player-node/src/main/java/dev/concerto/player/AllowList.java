package dev.concerto.player;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Source addresses a player accepts datagrams from: a list of {@code ADDR[/PREFIX]} networks, IPv4
 * or IPv6. An empty list allows everyone. Immutable and thread-safe.
 */
public final class AllowList implements dev.concerto.player.core.SourceFilter {

    private record Network(byte[] address, int prefix, String text) {
        boolean contains(byte[] a) {
            if (a.length != address.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (address[full] & mask);
        }
    }

    private static final AllowList ANYONE = new AllowList(List.of());

    private final List<Network> networks;

    private AllowList(List<Network> networks) {
        this.networks = List.copyOf(networks);
    }

    /** Allows every source. */
    public static AllowList anyone() {
        return ANYONE;
    }

    /**
     * Parses entries like {@code 192.168.4.0/24}, {@code 127.0.0.1}, {@code ::1}, {@code fd00::/8}.
     * Only literal addresses are accepted (no name lookups).
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static AllowList parse(List<String> entries) {
        List<Network> nets = new ArrayList<>();
        for (String e : entries) {
            String s = e.trim();
            int slash = s.indexOf('/');
            String addr = slash < 0 ? s : s.substring(0, slash);
            if (addr.startsWith("[") && addr.endsWith("]")) {
                addr = addr.substring(1, addr.length() - 1);
            }
            if (addr.isEmpty() || !(addr.indexOf(':') >= 0 || addr.matches("[0-9.]+"))) {
                throw new IllegalArgumentException("--allow '" + e + "': not a literal IPv4 or IPv6 address");
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(addr).getAddress();
            } catch (UnknownHostException ex) {
                throw new IllegalArgumentException("--allow '" + e + "': not an address", ex);
            }
            int max = bytes.length * 8;
            int prefix = max;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(s.substring(slash + 1));
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("--allow '" + e + "': prefix is not a number", ex);
                }
                if (prefix < 0 || prefix > max) {
                    throw new IllegalArgumentException("--allow '" + e + "': prefix must be 0.." + max);
                }
            }
            nets.add(new Network(bytes, prefix, s));
        }
        return nets.isEmpty() ? ANYONE : new AllowList(nets);
    }

    public static AllowList parse(String... entries) {
        return parse(Arrays.asList(entries));
    }

    /** True when {@code source} is allowed (always, for an empty list). */
    public boolean allows(InetAddress source) {
        return allows(source.getAddress());
    }

    /** True when the address with these bytes (4 or 16) is allowed (always, for an empty list). */
    @Override
    public boolean allows(byte[] a) {
        if (networks.isEmpty()) {
            return true;
        }
        for (Network n : networks) {
            if (n.contains(a)) {
                return true;
            }
        }
        // An IPv4 peer seen through an IPv6 socket as ::ffff:a.b.c.d
        if (a.length == 16 && isV4Mapped(a)) {
            byte[] v4 = Arrays.copyOfRange(a, 12, 16);
            for (Network n : networks) {
                if (n.contains(v4)) {
                    return true;
                }
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    @Override
    public String toString() {
        return networks.isEmpty() ? "anyone" : networks.stream().map(Network::text).toList().toString();
    }
}
