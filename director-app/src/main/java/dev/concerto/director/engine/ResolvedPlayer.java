package dev.concerto.director.engine;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A roster entry whose host was resolved to an address (once, when playing starts).
 *
 * @param entry   the roster entry
 * @param address its resolved IPv4 or IPv6 address and port
 */
public record ResolvedPlayer(RosterEntry entry, InetSocketAddress address) {

    public ResolvedPlayer {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
    }

    /** {@code ip:port}, or {@code [ip]:port} for IPv6. */
    public String destination() {
        String ip = address.getAddress().getHostAddress();
        return (address.getAddress() instanceof Inet6Address ? "[" + ip + "]" : ip) + ":" + address.getPort();
    }
}
