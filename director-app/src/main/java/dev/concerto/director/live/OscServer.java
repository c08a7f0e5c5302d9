package dev.concerto.director.live;

import dev.concerto.protocol.Clock;
import dev.concerto.protocol.ClockPair;
import dev.concerto.protocol.log.RateLimitedLog;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OSC input's shell: owns one UDP socket (127.0.0.1 by default) and the one thread that reads
 * it, hands each datagram with its arrival time to an {@link OscInbox} and each dated command on.
 * Problems are counted by the inbox and logged at most once every {@value #LOG_INTERVAL_SECONDS} s
 * with the counts so far. {@link #close()} closes the socket, which ends the thread.
 */
public final class OscServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OscServer.class);
    /** The default OSC port (TouchOSC's and many examples'). */
    public static final int DEFAULT_PORT = 9000;
    static final int LOG_INTERVAL_SECONDS = 10;
    /** Time tags at most this far ahead are accepted. */
    public static final long MAX_AHEAD_NANOS = 60_000_000_000L;

    /** Counters, published after each datagram. */
    public record Counts(long datagrams, long messages, long late, Map<OscInbox.Problem, Long> problems) {
        public long refused() {
            return problems.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final DatagramChannel channel;
    private final InetSocketAddress local;
    private final Clock clock;
    private final OscInbox inbox = new OscInbox(MAX_AHEAD_NANOS);
    private final Consumer<OscInbox.Scheduled> target;
    private final Thread thread;
    private volatile Counts counts = new Counts(0, 0, 0, Map.of());
    private final RateLimitedLog<RateLimitedLog.Only> problemLog =
            RateLimitedLog.single(LOG, LOG_INTERVAL_SECONDS * 1_000_000_000L);
    private volatile boolean closed;

    private OscServer(DatagramChannel channel, Clock clock, Consumer<OscInbox.Scheduled> target) throws IOException {
        this.channel = channel;
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.clock = clock;
        this.target = target;
        this.thread = new Thread(this::run, "concerto-osc-in");
        thread.setDaemon(true);
    }

    /**
     * Binds and starts listening.
     *
     * @param bind where to listen (port 0: any free port)
     * @throws IOException with a message saying what to do when the port is in use
     */
    public static OscServer open(InetSocketAddress bind, Clock clock, Consumer<OscInbox.Scheduled> target)
            throws IOException {
        Objects.requireNonNull(target, "target");
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.bind(bind);
        } catch (BindException e) {
            ch.close();
            throw new BindException("OSC port " + bind.getPort() + " on " + bind.getAddress().getHostAddress()
                    + " is in use (" + e.getMessage() + "): stop what uses it or choose another with --osc-port");
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        OscServer s = new OscServer(ch, clock, target);
        s.thread.start();
        return s;
    }

    /** Where it listens (the real port when bound to 0). */
    public InetSocketAddress localAddress() {
        return local;
    }

    public Counts counts() {
        return counts;
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocate(65_536);
        while (!closed) {
            try {
                buffer.clear();
                channel.receive(buffer);
                // both clocks at one instant: a tag (wall clock) becomes a due time (monotonic) through them
                ClockPair arrival = ClockPair.read(clock);
                long now = arrival.nanos();
                buffer.flip();
                OscInbox.Result r = inbox.read(buffer, now, arrival.epochMicros());
                for (OscInbox.Scheduled s : r.commands()) {
                    target.accept(s);
                }
                counts = new Counts(inbox.datagramCount(), inbox.messageCount(), inbox.lateCount(), inbox.problemCounts());
                if (!r.problems().isEmpty()) {
                    logRateLimited(r.problems().get(0), now);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    logRateLimited("receive failed: " + e, clock.nanoTime());
                }
            }
        }
    }

    private void logRateLimited(String what, long now) {
        long more = problemLog.admit(now);
        if (more != RateLimitedLog.SUPPRESSED) {
            LOG.warn("OSC in on {}: {} (refused so far: {}; logged at most every {} s){}", local, what,
                    counts.problems().isEmpty() ? "none" : counts.problems(), LOG_INTERVAL_SECONDS,
                    RateLimitedLog.moreSince(more));
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
