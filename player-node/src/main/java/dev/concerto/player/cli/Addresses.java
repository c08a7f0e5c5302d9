package dev.concerto.player.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parses {@code HOST:PORT}, {@code [IPv6]:PORT}, {@code HOST} or {@code :PORT}. */
final class Addresses {

    private Addresses() {
    }

    /**
     * @throws IllegalArgumentException with a message naming the bad value
     */
    static InetSocketAddress parse(String text, int defaultPort) {
        InetSocketAddress a = parseUnresolved(text, defaultPort, "0.0.0.0");
        try {
            return new InetSocketAddress(InetAddress.getByName(a.getHostString()), a.getPort());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "': host '" + a.getHostString() + "' does not resolve");
        }
    }

    /**
     * A host and port not yet resolved (a director's name resolves later, when the network is up).
     *
     * @throws IllegalArgumentException with a message naming the bad value, or when the host is missing
     */
    static InetSocketAddress parseUnresolved(String text, int defaultPort) {
        InetSocketAddress a = parseUnresolved(text, defaultPort, "");
        if (a.getHostString().isEmpty() || a.getPort() == 0) {
            throw new IllegalArgumentException("'" + text + "': expected HOST or HOST:PORT (port 1..65535)");
        }
        return a;
    }

    private static InetSocketAddress parseUnresolved(String text, int defaultPort, String defaultHost) {
        String host;
        String port = null;
        String s = text.trim();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "': missing ']' after the IPv6 address");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("'" + text + "': expected ':PORT' after ']'");
                }
                port = rest.substring(1);
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + text + "': write IPv6 addresses in brackets, e.g. [::1]:10001");
            }
            host = colon < 0 ? s : s.substring(0, colon);
            port = colon < 0 ? null : s.substring(colon + 1);
        }
        if (host.isEmpty()) {
            host = defaultHost;
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': port '" + port + "' is not a number");
            }
            if (p < 0 || p > 65_535) {
                throw new IllegalArgumentException("'" + text + "': port must be 0..65535");
            }
        }
        return InetSocketAddress.createUnresolved(host, p);
    }
}
