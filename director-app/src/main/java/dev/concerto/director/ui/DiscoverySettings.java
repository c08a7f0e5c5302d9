package dev.concerto.director.ui;

import dev.concerto.protocol.Wire;
import java.nio.file.Path;
import java.util.Map;

/**
 * How the window looks for players (from {@code concerto gui}'s options): unicast join on
 * {@code joinBind:joinPort} (port 0 = none), mDNS on {@code mdnsAddress} (blank = the first
 * multicast-capable interface). Immutable.
 *
 * @param enabled     whether discovery starts with the window (the user can switch it either way)
 * @param joinBind    address for join announces
 * @param joinPort    join port, 0 = no unicast join
 * @param mdns        whether to browse mDNS
 * @param mdnsAddress interface address for mDNS, or ""
 * @param keyFile     shared key file, or null
 */
public record DiscoverySettings(boolean enabled, String joinBind, int joinPort, boolean mdns, String mdnsAddress,
                                Path keyFile) {

    /** Off: what tests and embedders get unless they ask. */
    public static final DiscoverySettings OFF = new DiscoverySettings(false, "0.0.0.0", Wire.DEFAULT_JOIN_PORT,
            true, "", null);

    /** From the application's named parameters (see {@code GuiCommand}); missing ones take the CLI defaults. */
    public static DiscoverySettings fromNamed(Map<String, String> named) {
        int port;
        try {
            port = Integer.parseInt(named.getOrDefault("join-port", String.valueOf(Wire.DEFAULT_JOIN_PORT)));
        } catch (NumberFormatException e) {
            port = Wire.DEFAULT_JOIN_PORT;
        }
        String key = named.get("discovery-key-file");
        return new DiscoverySettings(Boolean.parseBoolean(named.getOrDefault("discovery", "false")),
                named.getOrDefault("join-bind", "0.0.0.0"), port, !"off".equals(named.getOrDefault("mdns", "auto")),
                named.getOrDefault("mdns-address", ""), key == null ? null : Path.of(key));
    }

    /** This with discovery switched on or off. */
    public DiscoverySettings withEnabled(boolean on) {
        return new DiscoverySettings(on, joinBind, joinPort, mdns, mdnsAddress, keyFile);
    }
}
