package dev.concerto.director.cli;

import dev.concerto.director.net.Discovery;
import dev.concerto.player.discovery.MulticastInterfaces;
import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.Wire;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The director's discovery options, shared by {@code players} and {@code gui}. */
final class DiscoveryOptions {

    /** The values of {@code --mdns}. */
    enum MdnsMode {
        AUTO, OFF;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Option(names = "--discovery", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Look for players by mDNS and unicast join (--no-discovery: neither; the roster is"
                    + " never changed without you).")
    boolean enabled;

    @Option(names = "--mdns", paramLabel = "MODE", defaultValue = "auto",
            description = "Browse " + Wire.MDNS_SERVICE_TYPE + ": auto (on the first multicast-capable interface,"
                    + " or --mdns-address), off (default: ${DEFAULT-VALUE}).")
    MdnsMode mdns;

    @Option(names = "--mdns-address", paramLabel = "ADDR",
            description = "The local address of the interface to browse mDNS on (e.g. 192.168.4.2).")
    String mdnsAddress;

    @Option(names = "--join-port", paramLabel = "PORT", defaultValue = "" + Wire.DEFAULT_JOIN_PORT,
            description = "UDP port for players' join announces, 0 = off (default: ${DEFAULT-VALUE}).")
    int joinPort;

    @Option(names = "--join-bind", paramLabel = "HOST", defaultValue = "0.0.0.0",
            description = "Address to listen on for join announces (default: ${DEFAULT-VALUE}).")
    String joinBind;

    @Option(names = "--discovery-key-file", paramLabel = "FILE",
            description = "Shared key (as the players' --key-file): unsigned or forged announces are ignored, acks signed.")
    Path keyFile;

    /**
     * The options for {@link Discovery#start}, or {@code null} when discovery is off.
     *
     * @throws IllegalArgumentException naming the bad option
     */
    Discovery.Options toOptions() {
        if (!enabled) {
            return null;
        }
        if (joinPort < 0 || joinPort > 65_535) {
            throw new IllegalArgumentException("--join-port must be 0..65535, got " + joinPort);
        }
        try {
            InetSocketAddress join = joinPort == 0 ? null : new InetSocketAddress(InetAddress.getByName(joinBind), joinPort);
            InetAddress mdnsAt = null;
            if (mdns == MdnsMode.AUTO) {
                mdnsAt = mdnsAddress != null ? InetAddress.getByName(mdnsAddress) : MulticastInterfaces.firstIpv4();
            }
            Authenticator auth = null;
            if (keyFile != null) {
                auth = new Authenticator(Files.readAllBytes(keyFile));
            }
            return new Discovery.Options(join, mdnsAt, auth);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host: " + e.getMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("--discovery-key-file " + keyFile + ": " + e.getMessage());
        }
    }
}
