package dev.concerto.director.net;

import dev.concerto.director.engine.DiscoveredPlayer;
import dev.concerto.player.discovery.PromptMdnsTiming;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.JoinCodec;
import dev.concerto.protocol.Wire;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browses {@value Wire#MDNS_SERVICE_TYPE} with jmDNS on one interface address and feeds what it
 * resolves into the {@link Discovery}'s table (PROTOCOL.md §4); a service withdrawn (or expired)
 * is removed. jmDNS owns its socket and threads (the callbacks run on them); this class owns the
 * jmDNS instance. TXT values are checked like join fields: a bad one becomes "".
 */
final class MdnsBrowser implements ServiceListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MdnsBrowser.class);

    private final JmDNS jmdns;
    private final Discovery discovery;
    private final Clock clock;

    private MdnsBrowser(JmDNS jmdns, Discovery discovery, Clock clock) {
        this.jmdns = jmdns;
        this.discovery = discovery;
        this.clock = clock;
    }

    static MdnsBrowser start(InetAddress interfaceAddress, Discovery discovery, Clock clock) throws IOException {
        PromptMdnsTiming.install(); // players' goodbyes reaped within a second, not ten
        JmDNS jmdns = JmDNS.create(interfaceAddress, "concerto-director");
        MdnsBrowser b = new MdnsBrowser(jmdns, discovery, clock);
        jmdns.addServiceListener(Wire.MDNS_SERVICE_TYPE, b);
        LOG.info("mDNS: browsing {} on {}", Wire.MDNS_SERVICE_TYPE, interfaceAddress.getHostAddress());
        return b;
    }

    @Override
    public void serviceAdded(ServiceEvent event) {
        jmdns.requestServiceInfo(event.getType(), event.getName(), 1_000);
    }

    @Override
    public void serviceRemoved(ServiceEvent event) {
        discovery.removeMdns(event.getName());
        discovery.publishIfChanged();
    }

    @Override
    public void serviceResolved(ServiceEvent event) {
        ServiceInfo info = event.getInfo();
        DiscoveredPlayer p = toPlayer(info, clock.nanoTime());
        if (p == null) {
            LOG.debug("mDNS: '{}' has no address or port yet", event.getName());
            return;
        }
        discovery.putMdns(event.getName(), p);
        discovery.publishIfChanged();
    }

    static DiscoveredPlayer toPlayer(ServiceInfo info, long nowNanos) {
        InetAddress[] all = info.getInetAddresses();
        if (all.length == 0 || info.getPort() <= 0) {
            return null;
        }
        InetAddress address = Arrays.stream(all).filter(a -> a instanceof Inet4Address).findFirst().orElse(all[0]);
        String name = token(info.getPropertyString("name"));
        if (name.isEmpty()) {
            name = JoinCodec.toToken(info.getName());
        }
        String proto = info.getPropertyString("proto");
        List<String> protocols = proto == null || proto.isBlank() ? List.of("legacy")
                : Arrays.stream(proto.split(",")).filter(s -> !s.isBlank() && s.length() <= 32).toList();
        return new DiscoveredPlayer(name, Addresses.literal(address), info.getPort(), token(info.getPropertyString("ver")),
                protocols, token(info.getPropertyString("gen")), token(info.getPropertyString("voice")),
                DiscoveredPlayer.Via.MDNS, nowNanos);
    }

    private static String token(String s) {
        return s != null && JoinCodec.isToken(s) ? s : "";
    }

    @Override
    public void close() {
        try {
            jmdns.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing mDNS: {}", e.toString());
        }
    }
}
