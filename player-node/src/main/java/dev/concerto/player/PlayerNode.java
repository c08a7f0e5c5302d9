package dev.concerto.player;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.concerto.player.synth.ToneGenerator;
import dev.concerto.player.synth.ToneListener;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.LegacyCodec;
import dev.concerto.protocol.RejectReason;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import dev.concerto.protocol.ToneCommand;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One player: a UDP socket on a fixed address, a receive loop that decodes each datagram and
 * drives a {@link ToneGenerator}, and the player's policy (allow-list, watchdog, rate-limited
 * rejection logging, counters, events file). Two protocols share the port, told apart by the first
 * byte ({@link TimedCodec#isTimed}): the plain integer ({@link LegacyCodec}, sounded at once) and
 * the timed protocol ({@link TimedCodec}): clock-sync requests are answered from this socket, tone
 * messages are scheduled at the exact audio frame of their start time with a lease (rules in
 * {@link TimedVoice} and PROTOCOL.md). The player's clock is the config clock's
 * {@code nanoTime() / 1000}, in microseconds.
 *
 * <p>Datagrams larger than their format allows are dropped whole (the socket reads into a larger
 * buffer so they can be recognized). A rejected datagram never changes the tone. Usage:
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
    private final AtomicLong timedTones = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong syncReplies = new AtomicLong();
    private final RejectionLog rejectionLog;
    private final TimedVoice timed;
    private volatile DatagramSocket socket;
    private volatile Thread thread;
    private volatile boolean closed;
    private volatile double currentHz;

    // Owned by the receive thread.
    private long lastAcceptedNanos;

    public PlayerNode(PlayerConfig config) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.rejectionLog = new RejectionLog(LOG, config.clock(), REJECTION_LOG_INTERVAL_NANOS, config.name());
        this.timed = new TimedVoice(config.generator(), config.events() != null);
    }

    /** The protocols this player speaks, as its sync replies list them. */
    public static final List<String> VERSIONS = List.of(TimedCodec.VERSION_LEGACY, TimedCodec.VERSION_TIMED_1);

    /** The player's clock: monotonic microseconds (never negative) of a {@code nanoTime()} reading. */
    public static long playerMicros(long nanoTime) {
        return Math.max(0, Math.floorDiv(nanoTime, 1000));
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
            g.setListener(new ToneListener() {
                @Override
                public void toneApplied(double hz, long frame, long soundMicros) {
                    ObjectNode n = events.event(config.clock().epochMicros(), "tone");
                    putHz(n, hz);
                    n.put("frame", frame);
                    n.put("sound_t_us", soundMicros);
                    events.write(n, true);
                }

                @Override
                public void scheduledToneApplied(long handle, double hz, long frame, long soundMicros) {
                    ObjectNode n = events.event(config.clock().epochMicros(), "tone");
                    putHz(n, hz);
                    n.put("frame", frame);
                    n.put("sound_t_us", soundMicros);
                    TimedVoice.Scheduled sc = timed.takeApplied(handle);
                    if (sc != null) {
                        n.put("timed", sc.kind().key());
                        n.put("seq", sc.seq());
                        n.put("at_us", sc.atMicros());
                        n.put("scheduled_t_us", sc.epochMicros());
                        n.put("scheduled_frame", sc.frame());
                        n.put("late", sc.late());
                    }
                    events.write(n, true);
                }

                @Override
                public void lineCorrected(double shiftMs) {
                    ObjectNode n = events.event(config.clock().epochMicros(), "line-correction");
                    n.put("shift_ms", shiftMs);
                    events.write(n, true);
                }
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
        return new PlayerCounters(datagrams.get(), toneChanges.get(), watchdogSilences.get(), m, timedTones.get(),
                late.get(), syncReplies.get());
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
            timed.clear(); // the receive thread has ended: nothing scheduled may sound after close
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
            long receivedNanos = config.clock().nanoTime(); // t2 of a sync exchange: as early as possible
            try {
                handle(p, receivedNanos);
            } catch (RuntimeException e) {
                // Never let one datagram kill the player.
                LOG.error("player {}: unexpected error handling a datagram: {}", config.name(), e.toString(), e);
            }
            checkWatchdog();
        }
    }

    private void handle(DatagramPacket p, long receivedNanos) {
        try {
            handleCounted(p, receivedNanos);
        } finally {
            // Counted once handled, so whoever sees the count also sees the datagram's effects
            // (the tone scheduled, the drop counted, the event queued).
            datagrams.incrementAndGet();
        }
    }

    private void handleCounted(DatagramPacket p, long receivedNanos) {
        long nowMicros = config.clock().epochMicros();
        InetAddress src = p.getAddress();
        String source = hostText(src) + ":" + p.getPort();
        EventLog events = config.events();
        ObjectNode n = null;
        if (events != null) {
            n = events.event(nowMicros, "packet");
            n.put("src", source);
            n.put("raw", printable(p.getData(), p.getOffset(), Math.min(p.getLength(), 64)));
            n.put("bytes", p.getLength());
        }
        if (!config.allow().allows(src)) {
            reject(RejectReason.NOT_ALLOWED, source, source + " is not in the allow-list " + config.allow(), n);
        } else if (p.getLength() > 0 && TimedCodec.isTimed(p.getData()[p.getOffset()])) {
            handleTimed(p, receivedNanos, source, n);
        } else {
            handleLegacy(p, source, n);
        }
        if (n != null) {
            events.write(n, true);
        }
    }

    private void handleLegacy(DatagramPacket p, String source, ObjectNode n) {
        DecodeResult<ToneCommand> result = LegacyCodec.decode(p.getData(), p.getOffset(), p.getLength());
        if (result instanceof DecodeResult.Accepted<ToneCommand> a) {
            int hz = a.value().hz();
            // Counted before the generator sees it, so whoever observes the change also sees the count.
            toneChanges.incrementAndGet();
            double previousHz = currentHz;
            currentHz = hz;
            try {
                timed.clear(); // the plain integer takes over: no timed change may follow it
                config.generator().set(hz);
                lastAcceptedNanos = config.clock().nanoTime();
            } catch (IllegalArgumentException e) {
                toneChanges.decrementAndGet(); // beyond this generator's range (e.g. above half the sample rate)
                currentHz = previousHz;
                result = DecodeResult.rejected(RejectReason.OUT_OF_RANGE, e.getMessage());
            }
        }
        if (result instanceof DecodeResult.Accepted<ToneCommand> a) {
            if (n != null) {
                n.put("accepted", true);
                n.putNull("reason");
                n.put("hz", a.value().hz());
            }
        } else {
            DecodeResult.Rejected<ToneCommand> r = (DecodeResult.Rejected<ToneCommand>) result;
            reject(r.reason(), source, r.detail(), n);
        }
    }

    private void handleTimed(DatagramPacket p, long receivedNanos, String source, ObjectNode n) {
        if (n != null) {
            n.put("protocol", "timed");
        }
        DecodeResult<TimedMessage> result = TimedCodec.decode(p.getData(), p.getOffset(), p.getLength(), config.auth());
        if (result instanceof DecodeResult.Rejected<TimedMessage> r) {
            reject(r.reason(), source, r.detail(), n);
            return;
        }
        TimedMessage message = ((DecodeResult.Accepted<TimedMessage>) result).value();
        if (message instanceof TimedMessage.SyncRequest sync) {
            if (n != null) {
                n.put("kind", "sync");
                n.put("seq", sync.seq());
            }
            if (answer(sync, receivedNanos, p.getSocketAddress(), source)) {
                lastAcceptedNanos = config.clock().nanoTime();
                if (n != null) {
                    n.put("accepted", true);
                    n.putNull("reason");
                }
            } else if (n != null) {
                n.put("accepted", false);
                n.put("reason", "send-failed");
            }
        } else if (message instanceof TimedMessage.Tone tone) {
            if (n != null) {
                n.put("kind", "tone");
                n.put("seq", tone.seq());
                n.put("at_us", tone.atMicros());
                putHz(n, tone.hz());
                n.put("lease_ms", tone.leaseMillis());
            }
            long now = playerMicros(receivedNanos);
            TimedVoice.Outcome outcome;
            try {
                // Wall minus player clock, read back to back: maps scheduled times to epoch µs for the events.
                long wallMinusPlayer = config.clock().epochMicros() - playerMicros(config.clock().nanoTime());
                outcome = timed.offer((InetSocketAddress) p.getSocketAddress(), tone, now, now + wallMinusPlayer);
            } catch (IllegalArgumentException e) {
                outcome = new TimedVoice.Outcome(RejectReason.OUT_OF_RANGE, false); // beyond this generator's range
                LOG.debug("player {}: {}", config.name(), e.getMessage());
            }
            if (outcome.accepted()) {
                timedTones.incrementAndGet();
                toneChanges.incrementAndGet();
                currentHz = tone.hz();
                lastAcceptedNanos = config.clock().nanoTime();
                if (outcome.late()) {
                    late.incrementAndGet();
                }
                if (n != null) {
                    n.put("accepted", true);
                    n.putNull("reason");
                    n.put("late", outcome.late());
                    n.put("early_us", tone.atMicros() - now);
                }
            } else {
                reject(outcome.rejected(), source, "timed tone " + tone.seq() + ": " + outcome.rejected().key(), n);
            }
        } else {
            if (n != null) {
                n.put("kind", "reply");
            }
            reject(RejectReason.BAD_SYNTAX, source, "a sync reply ('R') is for a director, not a player", n);
        }
    }

    /** Answers a sync request from this socket; false when sending failed. */
    private boolean answer(TimedMessage.SyncRequest sync, long receivedNanos, SocketAddress to, String source) {
        long t2 = playerMicros(receivedNanos);
        long t3 = playerMicros(config.clock().nanoTime()); // just before sending (signing follows: a few µs)
        byte[] reply = TimedCodec.encode(new TimedMessage.SyncReply(sync.seq(), sync.t1Micros(), t2, Math.max(t2, t3),
                VERSIONS), config.auth());
        try {
            socket.send(new DatagramPacket(reply, reply.length, to));
            syncReplies.incrementAndGet();
            return true;
        } catch (IOException e) {
            if (!closed) {
                LOG.warn("player {}: cannot answer the sync request of {}: {}", config.name(), source, e.toString());
            }
            return false;
        }
    }

    private void reject(RejectReason reason, String source, String detail, ObjectNode n) {
        drops.incrementAndGet(reason.ordinal());
        rejectionLog.rejected(reason, source, detail);
        if (n != null) {
            n.put("accepted", false);
            n.put("reason", reason.key());
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
