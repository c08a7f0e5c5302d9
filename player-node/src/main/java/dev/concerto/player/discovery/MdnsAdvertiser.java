package dev.concerto.player.discovery;

import dev.concerto.protocol.Wire;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Objects;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a player as a DNS-SD service ({@value Wire#MDNS_SERVICE_TYPE}, PROTOCOL.md §4) through
 * jmDNS, bound to one interface address, and withdraws it (an mDNS goodbye) when closed. jmDNS
 * owns its socket and threads; this class owns the jmDNS instance. If another host already uses
 * the name, jmDNS picks a new one ("bass (2)"), which {@link #registeredName()} reports.
 */
public final class MdnsAdvertiser implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MdnsAdvertiser.class);

    private final JmDNS jmdns;
    private final ServiceInfo info;

    private MdnsAdvertiser(JmDNS jmdns, ServiceInfo info) {
        this.jmdns = jmdns;
        this.info = info;
    }

    /**
     * Registers {@code advert} on the interface of {@code interfaceAddress} (a specific local
     * address: multicast goes out of that interface only).
     *
     * @throws IOException when jmDNS cannot open its socket there (no multicast on that interface)
     */
    public static MdnsAdvertiser register(PlayerAdvert advert, InetAddress interfaceAddress) throws IOException {
        Objects.requireNonNull(interfaceAddress, "interfaceAddress");
        PromptMdnsTiming.install();
        JmDNS jmdns = JmDNS.create(interfaceAddress, advert.name() + "-concerto");
        try {
            ServiceInfo info = ServiceInfo.create(Wire.MDNS_SERVICE_TYPE, advert.name(), advert.port(), 0, 0,
                    advert.txt());
            jmdns.registerService(info);
            LOG.info("mDNS: registered '{}' ({}) on {}", info.getName(), Wire.MDNS_SERVICE_TYPE,
                    interfaceAddress.getHostAddress());
            return new MdnsAdvertiser(jmdns, info);
        } catch (IOException | RuntimeException e) {
            jmdns.close();
            throw e;
        }
    }

    /** The instance name registered (jmDNS renames on a conflict). */
    public String registeredName() {
        return info.getName();
    }

    /** Withdraws the service (goodbye packets) and closes jmDNS. */
    @Override
    public void close() {
        try {
            jmdns.unregisterAllServices();
            jmdns.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing mDNS: {}", e.toString());
        }
    }
}
