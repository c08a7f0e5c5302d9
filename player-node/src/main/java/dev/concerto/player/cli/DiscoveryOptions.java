package dev.concerto.player.cli;

import dev.concerto.player.discovery.JoinAnnouncer;
import dev.concerto.player.discovery.JoinSchedule;
import dev.concerto.player.discovery.MdnsAdvertiser;
import dev.concerto.player.discovery.MulticastInterfaces;
import dev.concerto.player.discovery.PlayerAdvert;
import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.Wire;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * How a player makes itself known: {@code --join DIRECTOR[:PORT]} (unicast announces) and
 * {@code --mdns auto|on|off} (DNS-SD). {@code auto} registers by mDNS unless the player is bound to
 * loopback (where multicast is usually off, and nobody else could reach it anyway).
 */
final class DiscoveryOptions {

    /** The values of {@code --mdns}. */
    enum MdnsMode {
        AUTO, ON, OFF;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Option(names = "--join", paramLabel = "DIRECTOR[:PORT]",
            description = "Announce this player to a director by unicast (for networks that filter multicast):"
                    + " repeated until acknowledged, refreshed every " + JoinSchedule.DEFAULT_TTL_SECONDS / 3
                    + " s, withdrawn on exit (default port " + Wire.DEFAULT_JOIN_PORT + "; signed with --key-file).")
    String join;

    @Option(names = "--mdns", paramLabel = "MODE", defaultValue = "auto",
            description = "Register this player by DNS-SD/mDNS (" + Wire.MDNS_SERVICE_TYPE + "): auto (unless bound"
                    + " to loopback), on, off (default: ${DEFAULT-VALUE}).")
    MdnsMode mdns;

    @Option(names = "--voice", paramLabel = "VOICE", defaultValue = "",
            description = "The voice this player would like to play, shown to the director (a hint; the director decides).")
    String voice;

    /** Checks {@code --join}; a clear IllegalArgumentException when malformed. */
    InetSocketAddress joinTarget() {
        if (join == null) {
            return null;
        }
        return Addresses.parseUnresolved(join, Wire.DEFAULT_JOIN_PORT);
    }

    /**
     * Starts what the options ask for. A failure to register by mDNS is a warning (the player still
     * plays, and --join still works).
     *
     * @return what to close on exit, in order
     */
    List<AutoCloseable> start(PlayerAdvert advert, InetSocketAddress bound, Authenticator auth, Clock clock,
                              java.util.function.Consumer<String> info, java.util.function.Consumer<String> warn)
            throws IOException {
        List<AutoCloseable> started = new ArrayList<>();
        InetSocketAddress target = joinTarget();
        if (target != null) {
            JoinAnnouncer a = new JoinAnnouncer(advert, bound.getAddress(), target.getHostString(), target.getPort(),
                    JoinSchedule.DEFAULT_TTL_SECONDS, auth, clock).start();
            started.add(a);
            info.accept("announcing to director " + a.target());
        }
        boolean loopback = bound.getAddress().isLoopbackAddress();
        if (mdns == MdnsMode.ON || (mdns == MdnsMode.AUTO && !loopback)) {
            InetAddress where = bound.getAddress().isAnyLocalAddress() ? MulticastInterfaces.firstIpv4() : bound.getAddress();
            if (where == null) {
                warn.accept("mDNS: no interface that is up and multicast-capable; not registering (use --join)");
            } else {
                try {
                    MdnsAdvertiser m = MdnsAdvertiser.register(advert, where);
                    started.add(0, m);
                    info.accept("mDNS: registered '" + m.registeredName() + "' on " + where.getHostAddress());
                } catch (IOException e) {
                    warn.accept("mDNS: cannot register on " + where.getHostAddress() + " (" + e.getMessage()
                            + "); directors will not find this player by mDNS (use --join)");
                }
            }
        }
        return started;
    }
}
