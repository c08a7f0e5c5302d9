package dev.concerto.player;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Sends test datagrams from a loopback socket. */
final class Udp implements AutoCloseable {

    final DatagramSocket socket;

    Udp() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    void send(InetSocketAddress to, byte[] bytes) throws IOException {
        if (!to.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("tests send to loopback only, not " + to);
        }
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    void send(InetSocketAddress to, String text) throws IOException {
        send(to, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public void close() {
        socket.close();
    }
}
