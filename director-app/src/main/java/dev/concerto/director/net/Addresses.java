package dev.concerto.director.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** How the director writes an address for people: {@code ip:port}, {@code [v6]:port}. Defined once. */
public final class Addresses {

    private Addresses() {
    }

    /** {@code 127.0.0.1:10001}, or {@code [::1]:10001} for IPv6; the host as given when unresolved. */
    public static String format(InetSocketAddress address) {
        if (address.isUnresolved()) {
            return address.getHostString() + ":" + address.getPort();
        }
        String ip = address.getAddress().getHostAddress();
        return (address.getAddress() instanceof Inet6Address ? "[" + ip + "]" : ip) + ":" + address.getPort();
    }

    /** An IP literal without a scope or a leading slash. */
    static String literal(InetAddress a) {
        String s = a.getHostAddress();
        int scope = s.indexOf('%');
        return scope < 0 ? s : s.substring(0, scope);
    }
}
