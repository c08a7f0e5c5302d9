package dev.concerto.player.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where a datagram came from, without {@code java.net}: the address bytes (4 or 16), the port, and
 * the address as people write it ({@code 127.0.0.1:5000}, {@code [::1]:5000}), which the shell
 * formats. Immutable; equal when address and port are.
 */
public final class Peer {

    private final byte[] address;
    private final int port;
    private final String text;

    /**
     * @param address the source address bytes (copied)
     * @param port    0..65535
     * @param text    {@code host:port} for logs and events
     */
    public Peer(byte[] address, int port, String text) {
        this.address = address.clone();
        this.port = port;
        this.text = Objects.requireNonNull(text, "text");
    }

    /** A copy of the address bytes. */
    public byte[] address() {
        return address.clone();
    }

    /** The address bytes without copying, for the core's own checks. */
    byte[] addressBytes() {
        return address;
    }

    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Peer p && p.port == port && Arrays.equals(p.address, address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + port;
    }

    /** {@code host:port}, IPv6 in brackets. */
    @Override
    public String toString() {
        return text;
    }
}
