package dev.concerto.player.discovery;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/** Picks the interface mDNS uses when none was named. */
public final class MulticastInterfaces {

    private MulticastInterfaces() {
    }

    /**
     * The first IPv4 address of an interface that is up, not loopback, not point-to-point and
     * multicast-capable (a Pi's wlan0 or eth0), or {@code null} when there is none.
     */
    public static InetAddress firstIpv4() {
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp() || ni.isLoopback() || !ni.supportsMulticast() || ni.isPointToPoint()) {
                    continue;
                }
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet4Address) {
                        return a;
                    }
                }
            }
        } catch (SocketException e) {
            return null;
        }
        return null;
    }
}
