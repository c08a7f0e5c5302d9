package dev.concerto.player;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.concerto.player.synth.ToneGenerator;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.LegacyCodec;
import dev.concerto.protocol.RejectReason;
import dev.concerto.protocol.ToneCommand;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One player: a UDP socket on a fixed address, a receive loop that decodes each datagram with
 * {@link LegacyCodec} and drives a {@link ToneGenerator}, and the player's policy (allow-list,
 * watchdog, rate-limited rejection logging, counters, events file).
 *
 * <p>Datagrams larger than {@link LegacyCodec#MAX_DATAGRAM_BYTES} are dropped whole (the socket
 * reads into a larger buffer so they can be recognized). A rejected datagram never changes the
 * tone. Usage:
 *
 * <pre>{@code
 * try (PlayerNode node = new PlayerNode(PlayerConfig.of(generator).withLoopbackEphemeral())) {
 *     node.start();
 *     InetSocketAddress where = node.localAddress();
 *     ...
 * }
 * }</pre>
 *
 * <p>Threads: {@link #start()} starts one receive thread ({@code player-<name>}), owned by this
 * node and stopped by {@link #close()}, which closes the socket. All public methods are
 * thread-safe.
 */
public final class PlayerNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PlayerNode.class);

    /** Receive buffer: larger than any valid datagram, so oversize ones are seen as such. */
    static final int RECEIVE_BUFFER_BYTES = 2048;
    /** How often each kind of rejection may be logged. */
    static final long REJECTION_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final PlayerConfig config;
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong toneChanges = new AtomicLong();
    private final AtomicLong watchdogSilences = new AtomicLong();
    private final AtomicLongArray drops = new AtomicLongArray(RejectReason.values().length);
    private final RejectionLog rejectionLog;
    private volatile DatagramSocket socket;
    private volatile Thread thread;
    private volatile boolean closed;
    private volatile double currentHz;

    // Owned by the receive thread.
    private long lastAcceptedNanos;

    public PlayerNode(PlayerConfig config) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.rejectionLog = new RejectionLog(LOG, config.clock(), REJECTION_LOG_INTERVAL_NANOS, config.name());
    }

    /**
     * Binds the socket and starts the receive thread. Writes {@code wav-start} to the events file
     * when the generator records a WAV.
     *
     * @return this node
     * @throws PlayerBindException when the address cannot be bound (port in use, not an address
     *                             of this machine); the message names it
     */
    public synchronized PlayerNode start() throws PlayerBindException {
        if (socket != null || closed) {
            throw new IllegalStateException("player " + config.name() + " already started or closed");
        }
        InetSocketAddress bind = config.bind();
        DatagramSocket s = bind(bind);
        try {
            if (config.watchdogSeconds() > 0) {
                long pollMs = Math.max(50, Math.min(1000, Math.round(config.watchdogSeconds() * 250)));
                s.setSoTimeout((int) pollMs);
            }
        } catch (SocketException e) {
            s.close();
            throw new PlayerBindException("cannot configure the socket on " + format(bind) + ": " + e.getMessage(), e);
        }
        socket = s;
        EventLog events = config.events();
        if (events != null) {
            ToneGenerator g = config.generator();
            g.wavFile().ifPresent(wav -> {
                ObjectNode n = events.event(g.frameZeroEpochMicros(), "wav-start");
                n.put("sample_rate", g.sampleRate());
                n.put("file", wav.toString());
                events.write(n, true);
            });
            g.setListener((hz, frame, soundMicros) -> {
                ObjectNode n = events.event(config.clock().epochMicros(), "tone");
                putHz(n, hz);
                n.put("frame", frame);
                n.put("sound_t_us", soundMicros);
                events.write(n, true);
            });
        }
        lastAcceptedNanos = config.clock().nanoTime();
        Thread t = new Thread(this::receiveLoop, "player-" + config.name());
        t.setDaemon(true);
        thread = t;
        t.start();
        LOG.debug("player {} listening on {}", config.name(), format(localAddress()));
        return this;
    }

    private static DatagramSocket bind(InetSocketAddress bind) throws PlayerBindException {
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
            if (s != null) {
                s.close();
            }
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("in use")) {
                throw new PlayerBindException("UDP port " + bind.getPort() + " on " + hostText(bind.getAddress())
                        + " is already in use (another player running?): stop it or choose another port with --bind", e);
            }
            if (msg.contains("assign") || msg.contains("not available")) {
                throw new PlayerBindException("cannot bind " + format(bind) + ": " + hostText(bind.getAddress())
                        + " is not an address of this machine; use one of its addresses or 0.0.0.0", e);
            }
            throw new PlayerBindException("cannot bind " + format(bind) + ": " + msg, e);
        } catch (SocketException e) {
            if (s != null) {
                s.close();
            }
            throw new PlayerBindException("cannot bind " + format(bind) + ": " + e.getMessage(), e);
        }
    }

    /** The bound address (with the real port when the config asked for port 0). */
    public InetSocketAddress localAddress() {
        DatagramSocket s = socket;
        if (s == null) {
            throw new IllegalStateException("player " + config.name() + " is not started");
        }
        return (InetSocketAddress) s.getLocalSocketAddress();
    }

    public String name() {
        return config.name();
    }

    public PlayerConfig config() {
        return config;
    }

    /** The frequency last passed to the generator, in hertz (0 = silent). */
    public double currentHz() {
        return currentHz;
    }

    /** A consistent-enough snapshot of the counters (each counter is read atomically). */
    public PlayerCounters counters() {
        Map<RejectReason, Long> m = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            m.put(r, drops.get(r.ordinal()));
        }
        return new PlayerCounters(datagrams.get(), toneChanges.get(), watchdogSilences.get(), m);
    }

    /**
     * Stops the receive thread (by closing the socket) and silences the generator. Does not close
     * the generator or the events file: their owner does. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        DatagramSocket s = socket;
        if (s != null) {
            s.close();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            config.generator().set(0);
        } catch (RuntimeException e) {
            LOG.warn("silencing {} failed: {}", config.name(), e.toString());
        }
        currentHz = 0;
        if (config.events() != null) {
            config.events().flush();
        }
    }

    private void receiveLoop() {
        byte[] buf = new byte[RECEIVE_BUFFER_BYTES];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        DatagramSocket s = socket;
        while (!closed) {
            try {
                p.setLength(buf.length);
                s.receive(p);
            } catch (SocketTimeoutException e) {
                checkWatchdog();
                continue;
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("player {}: receiving failed, the player stops: {}", config.name(), e.toString());
                }
                break;
            }
            try {
                handle(p);
            } catch (RuntimeException e) {
                // Never let one datagram kill the player.
                LOG.error("player {}: unexpected error handling a datagram: {}", config.name(), e.toString(), e);
            }
            checkWatchdog();
        }
    }

    private void handle(DatagramPacket p) {
        long nowMicros = config.clock().epochMicros();
        datagrams.incrementAndGet();
        InetAddress src = p.getAddress();
        String source = hostText(src) + ":" + p.getPort();
        DecodeResult<ToneCommand> result;
        if (!config.allow().allows(src)) {
            result = DecodeResult.rejected(RejectReason.NOT_ALLOWED, source + " is not in the allow-list " + config.allow());
        } else {
            result = LegacyCodec.decode(p.getData(), p.getOffset(), p.getLength());
        }
        if (result instanceof DecodeResult.Accepted<ToneCommand> a) {
            int hz = a.value().hz();
            // Counted before the generator sees it, so whoever observes the change also sees the count.
            toneChanges.incrementAndGet();
            double previousHz = currentHz;
            currentHz = hz;
            try {
                config.generator().set(hz);
                lastAcceptedNanos = config.clock().nanoTime();
            } catch (IllegalArgumentException e) {
                toneChanges.decrementAndGet(); // beyond this generator's range (e.g. above half the sample rate)
                currentHz = previousHz;
                result = DecodeResult.rejected(RejectReason.OUT_OF_RANGE, e.getMessage());
            }
        }
        if (result instanceof DecodeResult.Rejected<ToneCommand> r) {
            drops.incrementAndGet(r.reason().ordinal());
            rejectionLog.rejected(r.reason(), source, r.detail());
        }
        EventLog events = config.events();
        if (events != null) {
            ObjectNode n = events.event(nowMicros, "packet");
            n.put("src", source);
            n.put("raw", printable(p.getData(), p.getOffset(), Math.min(p.getLength(), 64)));
            n.put("bytes", p.getLength());
            if (result instanceof DecodeResult.Accepted<ToneCommand> a) {
                n.put("accepted", true);
                n.putNull("reason");
                n.put("hz", a.value().hz());
            } else {
                n.put("accepted", false);
                n.put("reason", ((DecodeResult.Rejected<ToneCommand>) result).reason().key());
            }
            events.write(n, true);
        }
    }

    private void checkWatchdog() {
        double seconds = config.watchdogSeconds();
        if (seconds <= 0 || currentHz == 0 || closed) {
            return;
        }
        long silentFor = config.clock().nanoTime() - lastAcceptedNanos;
        if (silentFor >= (long) (seconds * 1e9)) {
            watchdogSilences.incrementAndGet();
            currentHz = 0;
            config.generator().set(0);
            LOG.info("player {}: no datagram for {} s, watchdog silenced the tone", config.name(), seconds);
            EventLog events = config.events();
            if (events != null) {
                ObjectNode n = events.event(config.clock().epochMicros(), "watchdog");
                n.put("silent_s", silentFor / 1e9);
                events.write(n, true);
            }
        }
    }

    private static void putHz(ObjectNode n, double hz) {
        if (hz == Math.rint(hz)) {
            n.put("hz", (long) hz);
        } else {
            n.put("hz", hz);
        }
    }

    /** An address as people write it: {@code 127.0.0.1}, {@code [::1]}. */
    static String hostText(InetAddress a) {
        String h = a.getHostAddress();
        int pct = h.indexOf('%');
        if (a instanceof Inet6Address) {
            return "[" + compressV6(pct >= 0 ? h.substring(0, pct) : h) + "]";
        }
        return h;
    }

    /** RFC 5952 short form of Java's full IPv6 text: {@code 0:0:0:0:0:0:0:1} becomes {@code ::1}. */
    static String compressV6(String full) {
        String[] parts = full.split(":");
        if (parts.length != 8) {
            return full;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (parts[i].replaceFirst("^0+", "").isEmpty()) {
                int j = i;
                while (j < 8 && parts[j].replaceFirst("^0+", "").isEmpty()) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            String p = parts[i].replaceFirst("^0+(?=.)", "");
            sb.append(p);
            if (i < 7) {
                sb.append(':');
            }
        }
        return sb.toString();
    }

    /** {@code host:port}, IPv6 in brackets. */
    public static String format(InetSocketAddress a) {
        if (a.isUnresolved()) {
            return a.getHostString() + ":" + a.getPort();
        }
        return hostText(a.getAddress()) + ":" + a.getPort();
    }

    static String printable(byte[] buf, int from, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = from; i < from + len; i++) {
            int b = buf[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                sb.append((char) b);
            } else if (b == '\\') {
                sb.append("\\\\");
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "PlayerNode[" + config.name() + "]";
    }
}
