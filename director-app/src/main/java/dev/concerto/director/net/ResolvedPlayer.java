package dev.concerto.director.net;

import dev.concerto.director.engine.RosterEntry;
import dev.concerto.player.AddressText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Objects;

/**
 * A roster entry whose host was resolved to an address (once, when playing starts).
 *
 * @param entry   the roster entry
 * @param address its resolved IPv4 or IPv6 address and port
 */
public record ResolvedPlayer(RosterEntry entry, InetSocketAddress address) {

    /**
     * Resolves every host of a roster once (IPv4 or IPv6; a literal needs no lookup; {@code [::1]}
     * brackets are accepted), after validating it.
     *
     * @throws RosterException naming the player and host that did not resolve, or two players
     *                         whose hosts resolve to one address and port
     */
    public static java.util.List<ResolvedPlayer> resolve(dev.concerto.director.engine.Roster roster)
            throws dev.concerto.director.engine.RosterException {
        roster.validate();
        java.util.List<ResolvedPlayer> resolved = new java.util.ArrayList<>(roster.entries().size());
        java.util.Map<InetSocketAddress, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < roster.entries().size(); i++) {
            RosterEntry e = roster.entries().get(i);
            String host = e.host();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                java.net.InetAddress address = java.net.InetAddress.getByName(host);
                ResolvedPlayer player = new ResolvedPlayer(e, new InetSocketAddress(address, e.port()));
                Integer same = seen.putIfAbsent(player.address(), i);
                if (same != null) {
                    throw new dev.concerto.director.engine.RosterException(roster.source() + ": players[" + i + "]: "
                            + dev.concerto.director.engine.RosterRules.sameEndpoint(player.destination() + " ("
                            + roster.entries().get(same).host() + " and " + e.host() + ")", same,
                            roster.entries().get(same).name(), e.name()));
                }
                resolved.add(player);
            } catch (java.net.UnknownHostException ex) {
                throw new dev.concerto.director.engine.RosterException(roster.source() + ": players[" + i
                        + "].host: unknown host '" + e.host() + "' for player '" + e.name()
                        + "'; check the name (or its DNS/hosts entry), or use an IP address", ex);
            }
        }
        return resolved;
    }

    public ResolvedPlayer {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + address);
        }
    }

    /**
     * Whether the player is on this machine: a loopback address, or one of this machine's own
     * interfaces' addresses (its path is then local whatever a busy machine's round trips show:
     * {@link dev.concerto.director.engine.DeliveryPolicy}).
     */
    public boolean onThisMachine() {
        InetAddress a = address.getAddress();
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false; // the interfaces cannot be listed: judged by its round trips alone
        }
    }

    /** {@code ip:port}, or {@code [ip]:port} for IPv6. */
    public String destination() {
        return AddressText.of(address);
    }
}
