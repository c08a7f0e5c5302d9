package dev.concerto.director.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Formats addresses for people: "127.0.0.1:10000", "[::1]:10000". */
final class Addresses {

    private Addresses() {
    }

    static String format(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** An IP literal without a scope or a leading slash. */
    static String literal(InetAddress a) {
        String s = a.getHostAddress();
        int scope = s.indexOf('%');
        return scope < 0 ? s : s.substring(0, scope);
    }
}
