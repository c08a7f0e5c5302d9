package dev.concerto.director.engine;

import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.ClockSync;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.LegacyCodec;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speaks the timed protocol (PROTOCOL.md section 2) to one {@code timed} or {@code auto} player
 * over its own non-blocking, connected {@link DatagramChannel}: each change goes out
 * {@link TimedOptions#leadMillis() lead} ahead as {@code T seq at hz lease}, {@code at} being its
 * due time converted into the player's clock by this player's {@link ClockSync} estimate, plus the
 * roster's latency offset.
 *
 * <h2>Rules (the director's half of the protocol)</h2>
 * <ul>
 *   <li>Sequence numbers are per player and start from the wall clock in milliseconds (mod 2^32),
 *       so that a director restarted later never looks stale to a player that remembers the last
 *       session; each message gets a new one, its {@code k} redundant copies share it.</li>
 *   <li>A sounding note's lease is its length plus {@value TimedOptions#LEASE_MARGIN_MILLIS} ms,
 *       at most {@link TimedOptions#maxLeaseMillis()}; a longer note is extended by re-sending it
 *       ({@link #maintain(long)}, from the clock-sync thread) with its start one lead ahead, before
 *       the lease runs out. A silence at a note's end is an explicit {@code hz 0} message due then.</li>
 *   <li>{@link #silenceNow()} sends {@code hz 0} stamped "now" (so it is late on arrival and
 *       applied at once) and also a {@code hz 0} at the start of each change handed over ahead and
 *       not yet due, so the silence holds whichever way a player orders pending changes.</li>
 * </ul>
 *
 * <p>An {@code auto} player that never answered clock sync is switched to the plain integer by
 * {@link #settleAfterProbe()}; this sender then sends plain integers at once ({@link #leadNanos()} 0).
 *
 * <p>Thread-safety: tone sends ({@link #send(int, long, long)}, {@link #silenceNow()},
 * {@link #maintain(long)}) are serialised on this object; the clock-sync methods
 * ({@link #sendSyncRequest()}, {@link #receiveReplies()}) are called by the one sync thread; the
 * estimate and liveness are published through volatile fields.
 */
public final class TimedSender implements Sender {

    private static final Logger LOG = LoggerFactory.getLogger(TimedSender.class);
    /** A player whose last answer is older than this is shown as silent. */
    static final long SILENT_AFTER_NANOS = 3_000_000_000L;
    /** Extend a sounding note's lease when less than lead + this is left of it. */
    static final long EXTEND_AHEAD_NANOS = 300_000_000L;
    /** Outstanding sync requests remembered for matching replies. */
    private static final int OUTSTANDING = 32;

    /** What this sender speaks. */
    enum Mode {
        /** No clock-sync answer yet: nothing is sent but sync requests. */
        PROBING,
        /** The timed protocol. */
        TIMED,
        /** The plain integer (an {@code auto} player that did not answer). */
        LEGACY
    }

    private record Pending(long dueNanos, long atMicros) {
    }

    private final ResolvedPlayer player;
    private final UdpLink link;
    /** Plain-integer encoding buffer, for auto players that fell back (guarded like toneBuffer). */
    private final byte[] legacyBytes = new byte[LegacyCodec.MAX_DATAGRAM_BYTES];
    private final Clock clock;
    private final TimedOptions options;
    private final Authenticator auth;
    private final long leadNanos;
    private final long latencyOffsetMicros;
    private final boolean auto;
    private volatile Mode mode = Mode.PROBING;

    // Tone state: guarded by this.
    private final ByteBuffer toneBuffer = ByteBuffer.allocateDirect(TimedCodec.MAX_DATAGRAM_BYTES);
    private long nextSeq;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private int currentHz;
    private long currentEndNanos;
    private long leaseEndNanos;

    // Sync state: the sync thread's (the estimate, last-reply time and counters are published).
    private final ByteBuffer syncBuffer = ByteBuffer.allocateDirect(TimedCodec.MAX_DATAGRAM_BYTES);
    private final ByteBuffer replyBuffer = ByteBuffer.allocate(TimedCodec.MAX_DATAGRAM_BYTES + 1);
    private final ClockSync sync = new ClockSync();
    private final long[] outstandingSeq = new long[OUTSTANDING];
    private final long[] outstandingT1 = new long[OUTSTANDING];
    private long nextSyncSeq;
    private volatile ClockSync.Estimate estimate;
    private volatile long firstRequestNanos = Long.MIN_VALUE;
    private volatile long lastReplyNanos = Long.MIN_VALUE;
    private volatile List<String> versions = List.of();

    private final AtomicLong tones = new AtomicLong();
    private final AtomicLong extensions = new AtomicLong();
    private final AtomicLong syncRequests = new AtomicLong();
    private final AtomicLong syncReplies = new AtomicLong();
    private final AtomicLong repliesRejected = new AtomicLong();

    private TimedSender(ResolvedPlayer player, UdpLink link, Clock clock, TimedOptions options) {
        this.player = player;
        this.link = link;
        this.clock = clock;
        this.options = options;
        this.auth = options.authenticator();
        this.leadNanos = options.leadMillis() * 1_000_000L;
        this.latencyOffsetMicros = Math.round(player.entry().latencyOffsetMs() * 1000);
        this.auto = player.entry().protocol() == Protocol.AUTO;
        long start = Math.floorDiv(clock.epochMicros(), 1000) & TimedMessage.MAX_SEQ;
        this.nextSeq = start;
        this.nextSyncSeq = start;
        java.util.Arrays.fill(outstandingSeq, -1);
    }

    /**
     * Opens a channel connected to the player (connecting sends nothing). The sender starts in
     * probing mode; the engine's clock-sync thread drives it.
     *
     * @param clock the engine's clock: due times handed to {@link #send(int, long, long)} are on its scale
     * @throws IOException when no socket can be opened
     */
    public static TimedSender open(ResolvedPlayer player, TimedOptions options, Clock clock) throws IOException {
        return new TimedSender(player, UdpLink.open(player), clock, options);
    }

    @Override
    public RosterEntry entry() {
        return player.entry();
    }

    @Override
    public String destination() {
        return player.destination();
    }

    DatagramChannel channel() {
        return link.channel();
    }

    Mode mode() {
        return mode;
    }

    @Override
    public String protocolInUse() {
        return mode == Mode.LEGACY ? "legacy" : "timed";
    }

    @Override
    public long leadNanos() {
        return mode == Mode.LEGACY ? 0 : leadNanos;
    }

    /**
     * Decides the protocol once the first sync burst had its time: timed when the player answered;
     * the plain integer for an {@code auto} player that did not.
     *
     * @return whether the player can be played to (false: a {@code timed} player that never answered)
     */
    boolean settleAfterProbe() {
        if (mode != Mode.PROBING) {
            return true;
        }
        if (estimate != null) {
            mode = Mode.TIMED;
            return true;
        }
        if (auto) {
            mode = Mode.LEGACY;
            LOG.info("player '{}' at {} did not answer clock sync: playing it with the plain integer", entry().name(),
                    destination());
            return true;
        }
        return false;
    }

    /** Puts the sender in timed mode with a given estimate (tests of the tone logic). */
    void forceTimed(ClockSync.Estimate e) {
        estimate = e;
        mode = Mode.TIMED;
    }

    // ------------------------------------------------------------------ tones (scheduler thread)

    @Override
    public boolean send(int hz) {
        return send(hz, clock.nanoTime(), Long.MAX_VALUE);
    }

    @Override
    public synchronized boolean send(int hz, long dueNanos, long endNanos) {
        if (mode == Mode.LEGACY) {
            return sendLegacy(hz);
        }
        ClockSync.Estimate e = estimate;
        if (mode != Mode.TIMED || e == null) {
            link.drop("no clock estimate yet: dropped a tone");
            return false;
        }
        long now = clock.nanoTime();
        prunePending(now);
        long at = toPlayerMicros(e, dueNanos) + latencyOffsetMicros;
        int lease = leaseMillis(hz, dueNanos, endNanos);
        boolean ok = writeTone(new TimedMessage.Tone(takeSeq(), clampTime(at), hz * 1000L, lease));
        tones.incrementAndGet();
        currentHz = hz;
        currentEndNanos = endNanos;
        leaseEndNanos = dueNanos + lease * 1_000_000L;
        if (dueNanos > now) {
            pending.addLast(new Pending(dueNanos, clampTime(at)));
        }
        return ok;
    }

    /** The lease for a change due at {@code due} whose note lasts until {@code end}, in ms. */
    int leaseMillis(int hz, long dueNanos, long endNanos) {
        int max = options.maxLeaseMillis();
        if (hz == 0) {
            return max;
        }
        long spanNanos = endNanos == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, endNanos - dueNanos);
        long spanMillis = spanNanos == Long.MAX_VALUE ? max : (spanNanos + 999_999) / 1_000_000;
        return (int) Math.min(max, spanMillis + TimedOptions.LEASE_MARGIN_MILLIS);
    }

    /**
     * Extends a sounding note whose lease runs out before the note ends: re-sends it with its start
     * one lead ahead of now and a fresh lease. Called every few tens of milliseconds by the engine's
     * clock-sync thread; does nothing when the lease covers the note or is not close to running out.
     *
     * @return whether an extension was sent
     */
    synchronized boolean maintain(long nowNanos) {
        if (mode != Mode.TIMED || currentHz == 0) {
            return false;
        }
        long needed = currentEndNanos == Long.MAX_VALUE ? Long.MAX_VALUE
                : currentEndNanos + TimedOptions.LEASE_MARGIN_MILLIS * 1_000_000L;
        if (leaseEndNanos >= needed || leaseEndNanos - nowNanos > leadNanos + EXTEND_AHEAD_NANOS) {
            return false;
        }
        extensions.incrementAndGet();
        return send(currentHz, nowNanos + leadNanos, currentEndNanos);
    }

    @Override
    public synchronized boolean silenceNow() {
        ClockSync.Estimate e = estimate;
        if (mode != Mode.TIMED || e == null) {
            return sendLegacy(0); // a timed player speaks the plain integer too
        }
        long now = clock.nanoTime();
        boolean ok = writeTone(new TimedMessage.Tone(takeSeq(), clampTime(toPlayerMicros(e, now)), 0,
                options.maxLeaseMillis()));
        for (Pending p : pending) {
            if (p.dueNanos() > now) {
                ok &= writeTone(new TimedMessage.Tone(takeSeq(), p.atMicros(), 0, options.maxLeaseMillis()));
            }
        }
        pending.clear();
        currentHz = 0;
        currentEndNanos = Long.MAX_VALUE;
        leaseEndNanos = now;
        return ok;
    }

    private void prunePending(long now) {
        while (!pending.isEmpty() && pending.peekFirst().dueNanos() <= now) {
            pending.removeFirst();
        }
    }

    private long takeSeq() {
        long s = nextSeq;
        nextSeq = (nextSeq + 1) & TimedMessage.MAX_SEQ;
        return s;
    }

    private static long toPlayerMicros(ClockSync.Estimate e, long directorNanos) {
        return e.toPlayerMicros(Math.floorDiv(directorNanos, 1000));
    }

    private static long clampTime(long micros) {
        return Math.max(0, Math.min(TimedCodec.MAX_TIME_MICROS, micros));
    }

    private boolean writeTone(TimedMessage.Tone t) {
        byte[] bytes = TimedCodec.encode(t, auth);
        boolean ok = true;
        for (int copy = 0; copy < options.redundancy(); copy++) {
            ok &= write(toneBuffer, bytes, bytes.length);
        }
        return ok;
    }

    private boolean sendLegacy(int hz) {
        return write(toneBuffer, legacyBytes, LegacyCodec.encode(hz, legacyBytes, 0));
    }

    private boolean write(ByteBuffer buffer, byte[] bytes, int length) {
        return link.write(buffer, bytes, length);
    }

    // ------------------------------------------------------------------ clock sync (sync thread)

    /** Sends one {@code S seq t1}. Sync thread only. */
    void sendSyncRequest() {
        long now = clock.nanoTime();
        if (firstRequestNanos == Long.MIN_VALUE) {
            firstRequestNanos = now;
        }
        long seq = nextSyncSeq;
        nextSyncSeq = (nextSyncSeq + 1) & TimedMessage.MAX_SEQ;
        long t1 = Math.floorDiv(now, 1000);
        int slot = (int) (seq % OUTSTANDING);
        outstandingSeq[slot] = seq;
        outstandingT1[slot] = t1;
        byte[] bytes = TimedCodec.encode(new TimedMessage.SyncRequest(seq, t1), auth);
        syncRequests.incrementAndGet();
        write(syncBuffer, bytes, bytes.length);
    }

    /** Reads every reply waiting on the channel and feeds the estimator. Sync thread only. */
    void receiveReplies() {
        while (true) {
            int n = link.read(replyBuffer);
            if (n <= 0) {
                return;
            }
            long t4 = Math.floorDiv(clock.nanoTime(), 1000);
            DecodeResult<TimedMessage> r = TimedCodec.decode(replyBuffer.array(), 0, n, auth);
            if (r instanceof DecodeResult.Accepted<TimedMessage> a && a.value() instanceof TimedMessage.SyncReply reply) {
                onReply(reply, t4);
            } else {
                repliesRejected.incrementAndGet();
                if (r instanceof DecodeResult.Rejected<TimedMessage> rej) {
                    link.logRateLimited("rejected a reply: " + rej.reason().key() + " (" + rej.detail() + ")");
                }
            }
        }
    }

    /**
     * Matches a reply to its request and adds the exchange to the estimator. A reply to no request
     * of ours (unknown seq, wrong echoed t1, a duplicate) is counted and ignored.
     *
     * @param t4Micros the director's clock when the reply arrived, µs
     * @return whether the reply was used
     */
    boolean onReply(TimedMessage.SyncReply reply, long t4Micros) {
        int slot = (int) (reply.seq() % OUTSTANDING);
        if (outstandingSeq[slot] != reply.seq() || outstandingT1[slot] != reply.t1Micros()) {
            repliesRejected.incrementAndGet();
            return false;
        }
        outstandingSeq[slot] = -1; // a duplicate reply is not a second sample
        if (!sync.add(reply.t1Micros(), reply.t2Micros(), reply.t3Micros(), t4Micros)) {
            repliesRejected.incrementAndGet();
            return false;
        }
        syncReplies.incrementAndGet();
        versions = reply.versions();
        lastReplyNanos = clock.nanoTime();
        estimate = sync.estimate();
        return true;
    }

    // ------------------------------------------------------------------ what the director knows

    @Override
    public ClockSync.Estimate clockEstimate() {
        return mode == Mode.LEGACY ? null : estimate;
    }

    @Override
    public PlayerActivity.Liveness liveness() {
        if (mode == Mode.LEGACY) {
            return PlayerActivity.Liveness.UNKNOWN;
        }
        long now = clock.nanoTime();
        long last = lastReplyNanos;
        if (last != Long.MIN_VALUE && now - last <= SILENT_AFTER_NANOS) {
            return PlayerActivity.Liveness.REACHABLE;
        }
        long first = firstRequestNanos;
        return first != Long.MIN_VALUE && now - first > SILENT_AFTER_NANOS
                ? PlayerActivity.Liveness.SILENT : PlayerActivity.Liveness.UNKNOWN;
    }

    /** The protocol versions the player listed in its last reply. */
    public List<String> versions() {
        return versions;
    }

    /** Tone messages sent (each counted once, whatever the redundancy), extensions included. */
    public long toneCount() {
        return tones.get();
    }

    /** Lease extensions sent for long notes. */
    public long extensionCount() {
        return extensions.get();
    }

    public long syncRequestCount() {
        return syncRequests.get();
    }

    public long syncReplyCount() {
        return syncReplies.get();
    }

    /** Replies that did not decode, failed authentication or matched no request of ours. */
    public long rejectedReplyCount() {
        return repliesRejected.get();
    }

    @Override
    public long unreachableCount() {
        return link.unreachableCount();
    }

    @Override
    public long droppedCount() {
        return link.droppedCount();
    }

    @Override
    public void close() {
        link.close();
    }

    @Override
    public String toString() {
        return "TimedSender[" + entry().name() + " -> " + destination() + ", " + mode + "]";
    }
}
