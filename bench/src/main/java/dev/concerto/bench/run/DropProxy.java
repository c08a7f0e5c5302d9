package dev.concerto.bench.run;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lossy path on loopback: for each player a front port the director sends to, forwarding to the
 * player and dropping a fixed share of the director's datagrams (seeded, so a run repeats), and
 * carrying the player's replies back unchanged. One thread owns every socket; {@link #close()}
 * ends it. Only 127.0.0.1.
 */
public final class DropProxy implements AutoCloseable {

    private final Selector selector = Selector.open();
    private final List<DatagramChannel> fronts = new ArrayList<>();
    private final List<DatagramChannel> backs = new ArrayList<>();
    private final SocketAddress[] directors;
    private final Random random;
    private final double dropShare;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;

    /**
     * @param playerPorts the players' ports on 127.0.0.1
     * @param dropShare   share of director-to-player datagrams dropped, 0..1
     */
    public DropProxy(List<Integer> playerPorts, double dropShare, long seed) throws IOException {
        this.dropShare = dropShare;
        this.random = new Random(seed);
        this.directors = new SocketAddress[playerPorts.size()];
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int i = 0; i < playerPorts.size(); i++) {
            DatagramChannel front = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
            DatagramChannel back = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
            back.connect(new InetSocketAddress(lo, playerPorts.get(i)));
            front.configureBlocking(false).register(selector, SelectionKey.OP_READ, new int[] {i, 0});
            back.configureBlocking(false).register(selector, SelectionKey.OP_READ, new int[] {i, 1});
            fronts.add(front);
            backs.add(back);
        }
        thread = new Thread(this::run, "drop-proxy");
        thread.setDaemon(true);
        thread.start();
    }

    /** The port the director should send player {@code i}'s datagrams to. */
    public int frontPort(int i) throws IOException {
        return ((InetSocketAddress) fronts.get(i).getLocalAddress()).getPort();
    }

    public long forwardedCount() {
        return forwarded.get();
    }

    public long droppedCount() {
        return dropped.get();
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        try {
            while (selector.isOpen()) {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    try {
                        relay(key, buffer);
                    } catch (IOException e) {
                        // a player not (yet) listening: the datagram is lost, as on a real path
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (ClosedSelectorException | IOException e) {
            // closed
        }
    }

    private void relay(SelectionKey key, ByteBuffer buffer) throws IOException {
                    int[] tag = (int[]) key.attachment();
                    int i = tag[0];
                    buffer.clear();
                    if (tag[1] == 0) {
                        SocketAddress from = fronts.get(i).receive(buffer);
                        if (from == null) {
                            return;
                        }
                        directors[i] = from;
                        buffer.flip();
                        if (random.nextDouble() < dropShare) {
                            dropped.incrementAndGet();
                        } else {
                            backs.get(i).write(buffer);
                            forwarded.incrementAndGet();
                        }
                    } else {
                        if (backs.get(i).receive(buffer) == null || directors[i] == null) {
                            return;
                        }
                        buffer.flip();
                        fronts.get(i).send(buffer, directors[i]);
                    }
    }

    @Override
    public void close() {
        try {
            selector.close();
            thread.join(2_000);
            for (DatagramChannel c : fronts) {
                c.close();
            }
            for (DatagramChannel c : backs) {
                c.close();
            }
        } catch (IOException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
