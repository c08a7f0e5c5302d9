package dev.concerto.director.net;

import dev.concerto.director.engine.*;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.LegacyCodec;
import dev.concerto.protocol.ToneCommand;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A plain-integer receiver for tests: binds an ephemeral loopback port and records every frequency
 * it receives (-1 for a datagram that does not decode). Closing the socket stops its thread.
 */
final class CaptureReceiver implements AutoCloseable {

    private final DatagramSocket socket;
    private final List<Integer> received = new CopyOnWriteArrayList<>();
    private final Thread thread;

    CaptureReceiver(String loopback) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(loopback), 0));
        thread = new Thread(this::loop, "capture-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    CaptureReceiver() throws IOException {
        this("127.0.0.1");
    }

    private void loop() {
        byte[] buf = new byte[64];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        while (!socket.isClosed()) {
            try {
                socket.receive(p);
                DecodeResult<ToneCommand> r = LegacyCodec.decode(buf, 0, p.getLength());
                received.add(r instanceof DecodeResult.Accepted<ToneCommand> a ? a.value().hz() : -1);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                received.add(-2);
            }
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    String host() {
        return socket.getLocalAddress().getHostAddress();
    }

    List<Integer> received() {
        return new ArrayList<>(received);
    }

    /** Waits (bounded, polling) until what was received satisfies the condition. */
    boolean await(Predicate<List<Integer>> condition, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.test(received())) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.test(received());
    }

    /** The sequence with runs of silence collapsed to one 0. */
    static List<Integer> collapsed(List<Integer> hz) {
        List<Integer> out = new ArrayList<>();
        for (int h : hz) {
            if (!(h == 0 && !out.isEmpty() && out.get(out.size() - 1) == 0)) {
                out.add(h);
            }
        }
        return out;
    }

    @Override
    public void close() {
        socket.close();
    }
}
