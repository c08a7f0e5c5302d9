package dev.concerto.player;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;

/** Binds a player's UDP socket and says, in the user's terms, why it could not. */
final class UdpBinding {

    private UdpBinding() {
    }

    /**
     * A socket bound to {@code bind} (no address reuse: two players never share a port).
     *
     * @throws PlayerBindException naming the address and what to do (port in use, not an address
     *                             of this machine, a host name that does not resolve)
     */
    static DatagramSocket bind(InetSocketAddress bind) throws PlayerBindException {
        if (bind.isUnresolved()) {
            throw new PlayerBindException("cannot bind " + bind.getHostString() + ":" + bind.getPort()
                    + ": the host name does not resolve; use an IP address such as 0.0.0.0 or 127.0.0.1", null);
        }
        DatagramSocket s = null;
        try {
            s = new DatagramSocket(null);
            s.setReuseAddress(false);
            s.bind(bind);
            return s;
        } catch (BindException e) {
            close(s);
            throw bindFailure(bind, e);
        } catch (SocketException e) {
            close(s);
            throw new PlayerBindException("cannot bind " + AddressText.of(bind) + ": " + e.getMessage(), e);
        }
    }

    /**
     * A non-blocking channel bound to {@code bind} (no address reuse), with the same messages as
     * {@link #bind}.
     */
    static DatagramChannel bindChannel(InetSocketAddress bind) throws PlayerBindException {
        if (bind.isUnresolved()) {
            throw new PlayerBindException("cannot bind " + bind.getHostString() + ":" + bind.getPort()
                    + ": the host name does not resolve; use an IP address such as 0.0.0.0 or 127.0.0.1", null);
        }
        DatagramChannel ch = null;
        try {
            ch = DatagramChannel.open();
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, false);
            ch.bind(bind);
            ch.configureBlocking(false);
            return ch;
        } catch (BindException e) {
            close(ch);
            throw bindFailure(bind, e);
        } catch (IOException e) {
            close(ch);
            throw new PlayerBindException("cannot bind " + AddressText.of(bind) + ": " + e.getMessage(), e);
        }
    }

    private static PlayerBindException bindFailure(InetSocketAddress bind, BindException e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("in use")) {
            return new PlayerBindException("UDP port " + bind.getPort() + " on " + AddressText.host(bind.getAddress())
                    + " is already in use (another player running?): stop it or choose another port with --bind", e);
        }
        if (msg.contains("assign") || msg.contains("not available")) {
            return new PlayerBindException("cannot bind " + AddressText.of(bind) + ": "
                    + AddressText.host(bind.getAddress())
                    + " is not an address of this machine; use one of its addresses or 0.0.0.0", e);
        }
        return new PlayerBindException("cannot bind " + AddressText.of(bind) + ": " + msg, e);
    }

    private static void close(DatagramChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing more to do
            }
        }
    }

    private static void close(DatagramSocket s) {
        if (s != null) {
            s.close();
        }
    }
}
