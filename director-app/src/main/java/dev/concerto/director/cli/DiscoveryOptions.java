package dev.concerto.director.cli;

import dev.concerto.director.net.Discovery;
import dev.concerto.protocol.Wire;
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
            description = "Shared key (as the players' --key-file): unsigned or forged announces are ignored, acks signed"
                    + " (default: the --key-file, if given).")
    Path keyFile;

    /**
     * The options for {@link Discovery#start}, or {@code null} when discovery is off.
     *
     * @param playersKey the {@code --key-file}, used when no {@code --discovery-key-file} is given, or null
     * @throws IllegalArgumentException naming the bad option
     */
    Discovery.Options toOptions(Path playersKey) {
        if (!enabled) {
            return null;
        }
        return Discovery.Options.of(joinBind, joinPort, mdns == MdnsMode.AUTO, mdnsAddress, key(playersKey));
    }

    private Path key(Path playersKey) {
        return keyFile != null ? keyFile : playersKey;
    }

    /** The same settings as the GUI application's named parameters ("--join-port=10000", ...). */
    java.util.List<String> toNamedParameters(Path playersKey) {
        Path keyFile = key(playersKey);
        java.util.List<String> out = new java.util.ArrayList<>();
        out.add("--discovery=" + enabled);
        out.add("--join-bind=" + joinBind);
        out.add("--join-port=" + joinPort);
        out.add("--mdns=" + mdns);
        if (mdnsAddress != null) {
            out.add("--mdns-address=" + mdnsAddress);
        }
        if (keyFile != null) {
            out.add("--discovery-key-file=" + keyFile.toAbsolutePath());
        }
        return out;
    }
}
