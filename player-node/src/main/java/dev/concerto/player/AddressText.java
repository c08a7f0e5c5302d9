package dev.concerto.player;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Addresses as people write them: {@code 127.0.0.1}, {@code [::1]}, {@code [::1]:10001}. The one formatter. */
public final class AddressText {

    private AddressText() {
    }

    /** An address: {@code 127.0.0.1}, {@code [::1]} (RFC 5952 short form, no scope). */
    public static String host(InetAddress a) {
        String h = a.getHostAddress();
        int pct = h.indexOf('%');
        if (a instanceof Inet6Address) {
            return "[" + compressV6(pct >= 0 ? h.substring(0, pct) : h) + "]";
        }
        return h;
    }

    /** {@code host:port}, IPv6 in brackets. */
    public static String of(InetSocketAddress a) {
        if (a.isUnresolved()) {
            return a.getHostString() + ":" + a.getPort();
        }
        return host(a.getAddress()) + ":" + a.getPort();
    }

    /**
     * {@code host:port} for a host as written (a name or an IP literal, IPv6 with or without its
     * brackets): {@code director.example:10000}, {@code [::1]:10001}.
     */
    public static String of(String host, int port) {
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        return (!bracketed && host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** RFC 5952 short form of Java's full IPv6 text: {@code 0:0:0:0:0:0:0:1} becomes {@code ::1}. */
    static String compressV6(String full) {
        String[] parts = full.split(":");
        if (parts.length != 8) {
            return full;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (parts[i].replaceFirst("^0+", "").isEmpty()) {
                int j = i;
                while (j < 8 && parts[j].replaceFirst("^0+", "").isEmpty()) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            String p = parts[i].replaceFirst("^0+(?=.)", "");
            sb.append(p);
            if (i < 7) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
