package dev.concerto.player.stamp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Reads a Linux {@code struct sockaddr_in} / {@code sockaddr_in6} (family in native byte order,
 * port and address in network order). An IPv4-mapped IPv6 address comes back as the IPv4 address,
 * as {@link java.nio.channels.DatagramChannel#receive} gives it. Pure; thread-safe.
 */
final class SocketAddresses {

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    /** {@code sizeof(struct sockaddr_in6)}: room for either family. */
    static final int MAX_BYTES = 28;

    private SocketAddresses() {
    }

    /**
     * The address in {@code b[0 .. length)}, or null when it is neither family or too short.
     */
    static InetSocketAddress read(ByteBuffer b, int length) {
        if (length < 2) {
            return null;
        }
        int family = b.getShort(0) & 0xffff;
        int port = ((b.get(2) & 0xff) << 8) | (b.get(3) & 0xff);
        byte[] address;
        if (family == AF_INET && length >= 8) {
            address = new byte[4];
            b.get(4, address);
        } else if (family == AF_INET6 && length >= 24) {
            address = new byte[16];
            b.get(8, address);
        } else {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException e) {
            return null; // not reached: the length is right
        }
    }

    /** Whether {@code b[0 .. length)} holds the same address as {@code previous} (compared without allocating). */
    static boolean same(ByteBuffer b, int length, byte[] previous, int previousLength) {
        if (length != previousLength) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (b.get(i) != previous[i]) {
                return false;
            }
        }
        return true;
    }

    /** The same socket address, a wildcard equal to the other family's wildcard. */
    static boolean sameLocal(InetSocketAddress a, InetSocketAddress b) {
        if (a == null || b == null || a.getPort() != b.getPort()) {
            return false;
        }
        return a.getAddress().equals(b.getAddress())
                || a.getAddress().isAnyLocalAddress() && b.getAddress().isAnyLocalAddress();
    }
}
