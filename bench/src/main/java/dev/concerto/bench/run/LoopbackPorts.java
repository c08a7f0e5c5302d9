package dev.concerto.bench.run;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/** Finds UDP ports on 127.0.0.1 that are free right now, for processes a suite starts. */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /**
     * A base port such that {@code base .. base+count-1} are all free on 127.0.0.1 (checked by
     * binding each). Another process could still take one before the suite does; suites run alone.
     */
    public static int freeRange(int count) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + (int) (Math.random() * 30_000);
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no range of " + count + " free UDP ports on 127.0.0.1");
    }

    private static boolean allFree(int base, int count) {
        List<DatagramSocket> held = new ArrayList<>();
        try {
            for (int p = base; p < base + count; p++) {
                held.add(new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p)));
            }
            return true;
        } catch (SocketException e) {
            return false;
        } finally {
            held.forEach(DatagramSocket::close);
        }
    }
}
