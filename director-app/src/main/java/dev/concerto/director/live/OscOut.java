package dev.concerto.director.live;

import com.illposed.osc.BufferBytesReceiver;
import com.illposed.osc.OSCPacket;
import com.illposed.osc.OSCSerializeException;
import com.illposed.osc.OSCSerializer;
import com.illposed.osc.OSCSerializerAndParserBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OSC output's shell: one socket and the one thread that writes it. Producers (the engine's
 * state listener, the live loop) only {@link #publish} packets into a bounded queue (full: the
 * packet is dropped and counted, never a blocked producer); the thread serialises each with JavaOSC
 * and sends it to every subscriber, and every {@code periodNanos} asks the {@code periodic}
 * supplier for packets (the position while playing).
 *
 * <p>Subscribers are literal IP addresses or {@code localhost} (no name lookups on the way), at
 * most {@value #MAX_SUBSCRIBERS}.
 */
public final class OscOut implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OscOut.class);
    public static final int MAX_SUBSCRIBERS = 16;
    static final int QUEUE = 1024;

    private final DatagramChannel channel;
    private final Set<InetSocketAddress> subscribers = new CopyOnWriteArraySet<>();
    private final BlockingQueue<OSCPacket> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Supplier<List<OSCPacket>> periodic;
    private final long periodNanos;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param periodic    packets to send every period (may return an empty list)
     * @param periodNanos how often, ns (&gt; 0)
     */
    public OscOut(Supplier<List<OSCPacket>> periodic, long periodNanos) throws IOException {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        this.periodic = periodic;
        this.periodNanos = periodNanos;
        this.channel = DatagramChannel.open();
        this.thread = new Thread(this::run, "concerto-osc-out");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Adds a subscriber.
     *
     * @throws IllegalArgumentException for a name that is not an IP literal or localhost, a port
     *                                  outside 1..65535, or one subscriber too many
     */
    public void subscribe(String host, int port) {
        InetSocketAddress a = address(host, port);
        if (!subscribers.contains(a) && subscribers.size() >= MAX_SUBSCRIBERS) {
            throw new IllegalArgumentException("already " + MAX_SUBSCRIBERS + " OSC subscribers");
        }
        if (subscribers.add(a)) {
            LOG.info("OSC subscriber {} added", a);
        }
    }

    public void unsubscribe(String host, int port) {
        if (subscribers.remove(address(host, port))) {
            LOG.info("OSC subscriber {}:{} removed", host, port);
        }
    }

    /** Whether anyone listens (a producer can skip building a packet nobody gets). Any thread. */
    public boolean hasSubscribers() {
        return !subscribers.isEmpty();
    }

    public Set<InetSocketAddress> subscribers() {
        return Set.copyOf(subscribers);
    }

    static InetSocketAddress address(String host, int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        boolean literal = host.equalsIgnoreCase("localhost") || host.matches("[0-9.]+") || host.contains(":");
        if (!literal) {
            throw new IllegalArgumentException("'" + host + "' is not an IP address (names are not looked up)");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + host + "' is not an IP address");
        }
    }

    /** Queues a packet for every subscriber; never blocks (a full queue drops and counts it). */
    public void publish(OSCPacket packet) {
        if (subscribers.isEmpty() || closed) {
            return;
        }
        if (!queue.offer(packet)) {
            dropped.incrementAndGet();
        }
    }

    public long sentCount() {
        return sent.get();
    }

    public long droppedCount() {
        return dropped.get();
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocate(65_536);
        OSCSerializer serializer = new OSCSerializerAndParserBuilder().buildSerializer(new BufferBytesReceiver(buffer));
        long nextPeriodic = System.nanoTime() + periodNanos;
        while (!closed) {
            try {
                long wait = nextPeriodic - System.nanoTime();
                OSCPacket p = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : null;
                if (p != null) {
                    send(serializer, buffer, p);
                }
                if (System.nanoTime() >= nextPeriodic) {
                    nextPeriodic += periodNanos;
                    if (!subscribers.isEmpty()) {
                        for (OSCPacket q : periodic.get()) {
                            send(serializer, buffer, q);
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("OSC out: {}", e.toString());
            }
        }
    }

    private void send(OSCSerializer serializer, ByteBuffer buffer, OSCPacket p) {
        buffer.clear();
        try {
            serializer.write(p);
        } catch (OSCSerializeException e) {
            LOG.warn("OSC out: cannot encode {}: {}", p, e.getMessage());
            return;
        }
        buffer.flip();
        for (InetSocketAddress a : subscribers) {
            try {
                channel.send(buffer.duplicate(), a);
                sent.incrementAndGet();
            } catch (IOException e) {
                dropped.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2_000);
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // closing
        }
    }
}
