package dev.concerto.player;

import dev.concerto.player.core.Peer;
import dev.concerto.player.core.PlayerCore;
import dev.concerto.player.core.PlayerCounters;
import dev.concerto.player.core.PlayerEffects;
import dev.concerto.player.core.PlayerEvent;
import dev.concerto.player.core.ToneChange;
import dev.concerto.player.stamp.DepartureClock;
import dev.concerto.player.stamp.KernelStamps;
import dev.concerto.player.stamp.StampedSocket;
import dev.concerto.player.synth.ToneGenerator;
import dev.concerto.player.synth.ToneListener;
import dev.concerto.protocol.ClockPair;
import dev.concerto.protocol.log.RateLimitedLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One player's shell: a UDP channel on a fixed address, read by a {@link ReceiveLoop} (its own, or
 * one an ensemble shares among its players) that feeds each datagram, with its source and receive
 * time, to the {@link PlayerCore} (where every protocol rule
 * lives), then carries out the core's effects: tone changes to the {@link ToneGenerator}, sync
 * replies on this channel, event records to the {@link EventLog}. The player's clock is the config
 * clock's {@code nanoTime() / 1000}, in microseconds.
 *
 * <pre>{@code
 * try (PlayerNode node = new PlayerNode(PlayerConfig.of(generator).withLoopbackEphemeral())) {
 *     node.start();
 *     InetSocketAddress where = node.localAddress();
 *     ...
 * }
 * }</pre>
 *
 * <p>Threads: {@link #start()} registers the channel with the receive loop — a loop of its own
 * ({@code player-<name>}, owned by this node and stopped by {@link #close()}) unless one was given.
 * The loop's thread is the only reader and writer of the channel and the only caller of the core
 * until {@code close} has taken the channel off the loop; {@code close} closes the channel. All
 * public methods are thread-safe.
 */
public final class PlayerNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PlayerNode.class);

    /** Receive buffer: larger than any valid datagram, so oversize ones are seen as such. */
    static final int RECEIVE_BUFFER_BYTES = 2048;
    /** How often the receive loop lets the core see time pass without a datagram, at most, ms. */
    static final int MAX_POLL_MILLIS = 1000;

    /** The protocols this player speaks, as its sync replies list them. */
    public static final List<String> VERSIONS = PlayerCore.VERSIONS;

    /** What can go wrong once per datagram: each logged at most every 10 s, so a flood cannot flood the log. */
    private enum Trouble { HANDLING, REPLY }

    private final PlayerConfig config;
    private final PlayerCore core;
    private final OnsetMeter onsets;
    private final ReceiveLoop sharedLoop;
    private final Effects effects = new Effects();
    private final StampedSocket.SendStamps sendStamps = effects::sendStamped;
    private final RateLimitedLog<Trouble> trouble = RateLimitedLog.perKey(LOG, Trouble.class, 10_000_000_000L);
    /** The core's clock for a reply's t3: the player's clock plus the kernel's send lag, learnt from the replies' send stamps. */
    private final DepartureClock departure;
    private volatile DatagramChannel channel;
    /** Kernel receive and send stamps on the channel's socket, or null (user-space stamps): set by start. */
    private volatile StampedSocket stamped;
    /** What {@link #start()} found about kernel stamps, for {@link #reportStamps()}. */
    private volatile StampedSocket.Attempt stampAttempt;
    private volatile ReceiveLoop loop;
    private volatile boolean closed;
    /** The bound address, kept when the channel closes (for messages after close). */
    private volatile InetSocketAddress bound;
    private volatile double currentHz;
    /** Wall clock minus player clock, µs: refreshed by the receive thread, read for event times. */
    private volatile long epochMinusPlayerMicros;

    public PlayerNode(PlayerConfig config) {
        this(config, null, null);
    }

    /**
     * @param onsets told of every timed change the generator applies (may be shared with other
     *               players), or null
     * @param loop   the receive loop to read this player's channel on, shared with other players and
     *               closed by its owner after them; null: a loop of its own
     */
    public PlayerNode(PlayerConfig config, OnsetMeter onsets, ReceiveLoop loop) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.onsets = onsets;
        this.sharedLoop = loop;
        ToneGenerator g = config.generator();
        this.departure = new DepartureClock(config.clock());
        this.core = new PlayerCore(new PlayerCore.Settings(config.name(), config.allow(), config.auth(),
                config.watchdogSeconds(), config.limits(), g.maxHz(), config.events() != null),
                departure, micros -> g.frameAt(micros * 1000));
    }

    /**
     * Runs the protocol path on a throwaway core ({@link dev.concerto.player.core.CoreWarmUp}) and the
     * synthesis of a sounding tone on throwaway voices ({@link dev.concerto.player.synth.SynthVoice#warmUp}):
     * a player process calls it once at start so the first chord of a piece is not handled by cold code.
     * Nothing sounds and nothing is counted; any thread, also while the node receives.
     */
    public void warmUp() {
        long t0 = System.nanoTime();
        core.warmUp(dev.concerto.player.core.CoreWarmUp.DEFAULT_ROUNDS);
        dev.concerto.player.synth.SynthVoice.warmUp();
        LOG.debug("player {} warmed up in {} ms", config.name(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** The player's clock: monotonic microseconds (never negative) of a {@code nanoTime()} reading. */
    public static long playerMicros(long nanoTime) {
        return PlayerCore.playerMicros(nanoTime);
    }

    /**
     * Binds the channel and starts reading it on the receive loop. Writes {@code wav-start} to the events file
     * when the generator records a WAV.
     *
     * @return this node
     * @throws PlayerBindException when the address cannot be bound (port in use, not an address
     *                             of this machine); the message names it
     */
    public synchronized PlayerNode start() throws PlayerBindException {
        if (channel != null || closed) {
            throw new IllegalStateException("player " + config.name() + " already started or closed");
        }
        DatagramChannel ch = UdpBinding.bindChannel(config.bind());
        channel = ch;
        StampedSocket.Attempt attempt = StampedSocket.attach(ch, RECEIVE_BUFFER_BYTES, StampedSocket.Sends.ALL, config.clock());
        stamped = attempt.socket();
        stampAttempt = attempt;
        LOG.debug("player {}: kernel time stamps {}", config.name(),
                attempt.socket() != null ? "in use" : "not used: " + attempt.whyNot());
        ToneGenerator g = config.generator();
        EventLog events = config.events();
        if (events != null) {
            g.wavFile().ifPresent(wav -> events.wavStart(g.frameZeroEpochMicros(), g.sampleRate(), wav));
        }
        epochMinusPlayerMicros = epochMinusPlayer();
        core.outputLatency(g.outputLatencyMs().orElse(Double.NaN)); // the line is primed by now
        g.setListener(new ToneListener() {
            @Override
            public void toneApplied(double hz, long frame, long sound, Object tag) {
                currentHz = hz;
                if (onsets != null && tag instanceof ToneChange c && c.seq() >= 0) {
                    onsets.record(c, frame, g.frameAt(c.atMicros() * 1000), g.sampleRate());
                }
                if (events != null) {
                    events.applied(config.clock().epochMicros(), hz, frame, sound, tag instanceof ToneChange c ? c : null,
                            epochMinusPlayerMicros);
                }
            }

            @Override
            public void lineCorrected(double shiftMs) {
                if (events != null) {
                    events.lineCorrected(config.clock().epochMicros(), shiftMs);
                }
            }
        });
        ReceiveLoop l = sharedLoop != null ? sharedLoop
                : new ReceiveLoop("player-" + config.name(), config.clock(), pollMillis(config.watchdogSeconds()));
        loop = l;
        l.add(this, ch);
        LOG.debug("player {} listening on {}", config.name(), AddressText.of(localAddress()));
        return this;
    }

    private long epochMinusPlayer() {
        ClockPair now = ClockPair.read(config.clock()); // both clocks at one instant, also on a busy machine
        return now.epochMicros() - playerMicros(now.nanos());
    }

    /** How long a receive waits before the core sees time pass: a quarter of the watchdog, 50..1000 ms. */
    static int pollMillis(double watchdogSeconds) {
        return watchdogSeconds > 0
                ? (int) Math.max(50, Math.min(MAX_POLL_MILLIS, Math.round(watchdogSeconds * 250)))
                : MAX_POLL_MILLIS;
    }

    /** The bound address (with the real port when the config asked for port 0). */
    public InetSocketAddress localAddress() {
        DatagramChannel ch = channel;
        if (ch == null) {
            throw new IllegalStateException("player " + config.name() + " is not started");
        }
        try {
            return (InetSocketAddress) ch.getLocalAddress();
        } catch (java.nio.channels.ClosedChannelException e) {
            return bound;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public String name() {
        return config.name();
    }

    public PlayerConfig config() {
        return config;
    }

    /** The frequency the generator last reported sounding, in hertz (0 = silent). */
    public double currentHz() {
        return currentHz;
    }

    /** A consistent-enough snapshot of the counters (each counter is read atomically). */
    public PlayerCounters counters() {
        return core.counters();
    }

    /**
     * Takes the channel off its receive loop (stopping the loop if it is this node's own) and closes
     * it, then withdraws every scheduled change and silences the generator. Does not close the
     * generator or the events file: their owner does. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        DatagramChannel ch = channel;
        ReceiveLoop l = loop;
        if (ch != null) {
            bound = localAddressOrNull(ch);
            l.remove(this, ch);
            if (l != sharedLoop) {
                l.close();
            }
            StampedSocket s = stamped;
            if (s != null) {
                s.release(); // before the descriptor can be reused
            }
            try {
                ch.close();
            } catch (IOException e) {
                LOG.debug("closing the channel of {}: {}", config.name(), e.toString());
            }
        }
        try {
            // The loop no longer calls this node: the core is this thread's now.
            core.stop(playerMicros(config.clock().nanoTime()), effects);
        } catch (RuntimeException e) {
            LOG.warn("silencing {} failed: {}", config.name(), e.toString());
        }
        currentHz = 0;
        if (config.events() != null) {
            config.events().flush();
        }
    }

    private static InetSocketAddress localAddressOrNull(DatagramChannel ch) {
        try {
            return (InetSocketAddress) ch.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Logs which stamps this player uses (once per process at INFO, {@link KernelStamps#report}): a
     * command calls it after its start line, which stays the first line a player prints.
     */
    public void reportStamps() {
        StampedSocket.Attempt a = stampAttempt;
        if (a != null) {
            KernelStamps.report(LOG, "player " + config.name(), a, "receive times (t2) and sync replies' send times (t3)");
        }
    }

    /** Whether this player reads the kernel's receive and send stamps (else user-space ones). */
    public boolean kernelStamps() {
        return stamped != null;
    }

    /**
     * How long after the core reads the clock for a reply's t3 the reply leaves, as learnt from the
     * kernel's send stamps (the second smallest of the last {@value dev.concerto.player.stamp.SendLag#WINDOW},
     * at most {@value dev.concerto.player.stamp.SendLag#MAX_ESTIMATE_NANOS} ns), ns; 0 while none was
     * learnt (and always without kernel stamps). Read on the loop's thread; from another, a recent value.
     */
    public long sendLagNanos() {
        return departure.lag().estimate();
    }

    /** The kernel-stamped view of the channel's socket, or null (the channel's own calls, user-space stamps). */
    StampedSocket stamped() {
        return stamped;
    }

    /** Takes the send stamps waiting on the socket's error queue into the send lag. The loop's thread. */
    void takeSendStamps() {
        StampedSocket s = stamped;
        if (s != null) {
            s.drainSendStamps(config.clock(), sendStamps);
        }
    }

    /** One datagram read by the loop, {@code buf[0 .. length)}, from {@code from}, read at {@code receivedMicros}. */
    void handle(byte[] buf, int length, InetSocketAddress from, long receivedMicros) {
        if (closed) {
            return;
        }
        try {
            effects.replyTo = from;
            core.receive(buf, 0, length, effects.peer(from.getAddress(), from.getPort()), receivedMicros, effects);
        } catch (RuntimeException e) {
            // Never let one datagram kill the player.
            long more = trouble.admit(Trouble.HANDLING, config.clock().nanoTime());
            if (more != RateLimitedLog.SUPPRESSED) {
                LOG.error("player {}: unexpected error handling a datagram: {}{}", config.name(), e.toString(),
                        RateLimitedLog.moreSince(more), e);
            }
        }
    }

    /** Time passes without a datagram (the loop's thread): the watchdog, the rejection summary. */
    void tick(long nowMicros) {
        if (closed) {
            return;
        }
        try {
            core.tick(nowMicros, effects);
        } catch (RuntimeException e) {
            long more = trouble.admit(Trouble.HANDLING, config.clock().nanoTime());
            if (more != RateLimitedLog.SUPPRESSED) {
                LOG.error("player {}: unexpected error letting time pass: {}{}", config.name(), e.toString(),
                        RateLimitedLog.moreSince(more), e);
            }
        }
    }

    /** Carries the core's effects out. Used by the receive thread (and by close, after it ended). */
    private final class Effects implements PlayerEffects {
        SocketAddress replyTo;
        private InetAddress lastAddress;
        private int lastPort;
        private Peer lastPeer;
        /** Replies sent (the kernel's count of stamped sends, OPT_ID, when it agrees). */
        private long replies;
        /** The raw clock reading each of the last replies' t3 was taken from, by {@code replies % 8}. */
        private final long[] replyRawNanos = new long[8];

        /** The core's view of a source; the last one is kept (a director sends from one socket). */
        Peer peer(InetAddress address, int port) {
            if (!address.equals(lastAddress) || port != lastPort) {
                lastAddress = address;
                lastPort = port;
                lastPeer = new Peer(address.getAddress(), port, AddressText.host(address) + ":" + port);
            }
            return lastPeer;
        }

        @Override
        public void sound(ToneChange change) {
            config.generator().schedule(change.hz(), change.frame(), change);
        }

        @Override
        public void withdraw(ToneChange change) {
            config.generator().cancel(change);
        }

        @Override
        public void reply(byte[] datagram) {
            try {
                channel.send(ByteBuffer.wrap(datagram), replyTo);
                if (stamped != null) {
                    replyRawNanos[(int) (replies % replyRawNanos.length)] = departure.lastRawNanos();
                    replies++;
                    takeSendStamps(); // on loopback the stamp is there as the send returns
                }
            } catch (IOException e) {
                long more = closed ? RateLimitedLog.SUPPRESSED : trouble.admit(Trouble.REPLY, config.clock().nanoTime());
                if (more != RateLimitedLog.SUPPRESSED) {
                    LOG.warn("player {}: cannot answer {}: {}{}", config.name(), replyTo, e.toString(),
                            RateLimitedLog.moreSince(more));
                }
            }
        }

        /** A reply's kernel send stamp: its lag behind the t3 the core read goes into the estimate. */
        void sendStamped(long id, long clockNanos) {
            if (id >= replies) {
                replies = id + 1; // the kernel counted a send this shell did not (one that failed): follow it
                return;
            }
            if (id >= replies - replyRawNanos.length) {
                departure.lag().add(clockNanos - replyRawNanos[(int) (id % replyRawNanos.length)]);
            }
        }

        @Override
        public void event(PlayerEvent event) {
            EventLog events = config.events();
            if (events != null) {
                long offset = epochMinusPlayer(); // read per event: the wall clock may be stepped
                epochMinusPlayerMicros = offset;
                events.record(event, offset);
            }
        }
    }

    @Override
    public String toString() {
        return "PlayerNode[" + config.name() + "]";
    }
}
