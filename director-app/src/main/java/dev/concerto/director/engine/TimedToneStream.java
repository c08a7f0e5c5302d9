package dev.concerto.director.engine;

import dev.concerto.protocol.ClockSync;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;

/**
 * The timed protocol's tones to one player (PROTOCOL.md, "Director rules"), as a pure state
 * machine: each change is handed over one lead before it is due and written at once as
 * {@code T seq at hz lease}, {@code at} being its due time in the player's clock (the
 * {@link ClockSyncClient}'s estimate, plus the roster's latency offset), {@code hz} exact to the
 * millihertz.
 *
 * <ul>
 *   <li>Sequence numbers are per player, one per message; the {@code k} redundant copies of a
 *       message share it and go out back to back.</li>
 *   <li>A sounding note's lease is its length plus {@value TimedOptions#LEASE_MARGIN_MILLIS} ms, at
 *       most {@link TimedOptions#maxLeaseMillis()}. A longer note is renewed: {@link #nextDueNanos()}
 *       is when less than lead + {@value #EXTEND_AHEAD_NANOS} ns of its lease is left, and
 *       {@link #poll(long)} then re-sends it with its start one lead ahead and a fresh lease.</li>
 *   <li>{@link #silenceNow(long)} writes {@code hz 0} stamped now (late on arrival, so applied at
 *       once) and a {@code hz 0} at the start of every change handed over and not yet due.</li>
 * </ul>
 *
 * <p>The lead and the number of copies are the clock-sync client's {@link DeliveryPolicy} choice
 * for this player (or what the user fixed). After a clock step {@link #restampPending(long)} sends
 * the changes handed over ahead again, stamped in the player's new clock.
 *
 * <p>No allocation per message without a key (signing allocates the MAC's text). Not thread-safe:
 * the scheduler thread owns it; the counters are published for any thread to read.
 */
public final class TimedToneStream {

    /** Renew a sounding note's lease when less than lead + this is left of it, ns. */
    public static final long EXTEND_AHEAD_NANOS = 300_000_000L;

    private final DatagramSink sink;
    private final ClockSyncClient clock;
    private final TimedOptions options;
    private final long latencyOffsetMicros;
    private final byte[] bytes = new byte[TimedCodec.MAX_TONE_BYTES];
    private long nextSeq;

    // Changes handed over ahead and not yet due: (due, at, hz, lease) in a ring.
    private long[] pendingDue = new long[16];
    private long[] pendingAt = new long[16];
    private double[] pendingHz = new double[16];
    private int[] pendingLease = new int[16];
    private int pendingHead;
    private int pendingSize;

    private double currentHz;
    private long currentEndNanos = Long.MAX_VALUE;
    private long leaseEndNanos;

    private volatile long tones;
    private volatile long extensions;
    private volatile long dropped;
    private volatile long restamped;
    private volatile long messages;
    private volatile long shed;
    private volatile long copiesWritten;

    /**
     * @param clock               the same player's clock-sync client (its estimate converts times)
     * @param latencyOffsetMicros the roster's latency offset for this player, µs
     * @param firstSeq            the first message's sequence number
     */
    public TimedToneStream(DatagramSink sink, ClockSyncClient clock, TimedOptions options, long latencyOffsetMicros,
                           long firstSeq) {
        this.sink = java.util.Objects.requireNonNull(sink, "sink");
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
        this.options = options;
        this.latencyOffsetMicros = latencyOffsetMicros;
        this.nextSeq = firstSeq & TimedMessage.MAX_SEQ;
    }

    /**
     * How far ahead of its due time this stream wants each change, ns: the lead the clock-sync
     * client's {@link DeliveryPolicy} chose from the path, or the one the user fixed.
     */
    public long leadNanos() {
        return clock.choice().leadMicros() * 1_000L;
    }

    /**
     * Sounds {@code hz} from {@code dueNanos} until the voice's next change at {@code endNanos}
     * ({@link Long#MAX_VALUE} when not known). Written at once.
     *
     * @return whether the datagram was handed to the network (false also before any clock estimate)
     */
    public boolean change(double hz, long dueNanos, long endNanos, long nowNanos) {
        return change(hz, dueNanos, endNanos, nowNanos, true);
    }

    /**
     * As {@link #change(double, long, long, long)}; without {@code copiesAffordable} (the scheduler
     * over its {@link SendBudget}) only the first copy goes out.
     */
    public boolean change(double hz, long dueNanos, long endNanos, long nowNanos, boolean copiesAffordable) {
        ClockSync.Estimate e = clock.estimate();
        if (e == null) {
            dropped++;
            return false;
        }
        prunePending(nowNanos);
        long at = clampTime(toPlayerMicros(e, dueNanos) + latencyOffsetMicros);
        int lease = leaseMillis(hz, dueNanos, endNanos);
        boolean ok = write(at, hz, lease, copiesFor(dueNanos, nowNanos, copiesAffordable));
        tones++;
        currentHz = hz;
        currentEndNanos = endNanos;
        leaseEndNanos = dueNanos + lease * 1_000_000L;
        if (dueNanos > nowNanos) {
            addPending(dueNanos, at, hz, lease);
        }
        return ok;
    }

    /** The lease for a change due at {@code dueNanos} whose note lasts until {@code endNanos}, ms. */
    int leaseMillis(double hz, long dueNanos, long endNanos) {
        int max = options.maxLeaseMillis();
        if (hz == 0) {
            return max;
        }
        if (endNanos == Long.MAX_VALUE) {
            return max;
        }
        long spanMillis = (Math.max(0, endNanos - dueNanos) + 999_999) / 1_000_000;
        return (int) Math.min(max, spanMillis + TimedOptions.LEASE_MARGIN_MILLIS);
    }

    /** When the sounding note's lease must be renewed, or {@link Long#MAX_VALUE} when it need not be. */
    public long nextDueNanos() {
        if (currentHz == 0) {
            return Long.MAX_VALUE;
        }
        long needed = currentEndNanos == Long.MAX_VALUE ? Long.MAX_VALUE
                : currentEndNanos + TimedOptions.LEASE_MARGIN_MILLIS * 1_000_000L;
        if (leaseEndNanos >= needed) {
            return Long.MAX_VALUE;
        }
        return leaseEndNanos - leadNanos() - EXTEND_AHEAD_NANOS;
    }

    /** Renews the sounding note's lease when it is due at {@code nowNanos}; returns whether a message was written. */
    public boolean poll(long nowNanos) {
        return poll(nowNanos, nowNanos);
    }

    /**
     * Renews the sounding note's lease when it is due by {@code horizonNanos} (a renewal has
     * {@value #EXTEND_AHEAD_NANOS} ns of slack, so the scheduler may send it a little early, together
     * with others).
     */
    public boolean poll(long nowNanos, long horizonNanos) {
        if (nextDueNanos() > horizonNanos) {
            return false;
        }
        extensions++;
        return change(currentHz, nowNanos + leadNanos(), currentEndNanos, nowNanos);
    }

    /**
     * Silences the player now, and at the start of every change handed over and not yet due.
     *
     * @return whether every datagram was handed to the network (false also before any estimate)
     */
    public boolean silenceNow(long nowNanos) {
        ClockSync.Estimate e = clock.estimate();
        currentHz = 0;
        currentEndNanos = Long.MAX_VALUE;
        leaseEndNanos = nowNanos;
        if (e == null) {
            pendingSize = 0;
            dropped++;
            return false;
        }
        boolean ok = write(clampTime(toPlayerMicros(e, nowNanos)), 0, options.maxLeaseMillis());
        for (int i = 0; i < pendingSize; i++) {
            int k = (pendingHead + i) % pendingDue.length;
            if (pendingDue[k] > nowNanos) {
                ok &= write(pendingAt[k], 0, options.maxLeaseMillis());
            }
        }
        pendingHead = 0;
        pendingSize = 0;
        return ok;
    }

    /**
     * After a clock step: writes every change handed over ahead and due at least half a lead from
     * now again, with a new number and its start converted by the new estimate (one due sooner could
     * arrive too late and keeps its old stamp) (the old message carried a time in the
     * player's old clock; under "the highest number whose start has come sounds" the new one
     * supersedes it).
     *
     * @return how many were re-stamped
     */
    public int restampPending(long nowNanos) {
        ClockSync.Estimate e = clock.estimate();
        if (e == null) {
            return 0;
        }
        prunePending(nowNanos);
        // A re-stamp sent with less than half a lead to go could arrive after its time and be played
        // late, at once: the old stamp, off by the step only, is better then. The lead covers the
        // path's slow tail (DeliveryPolicy), so half of it still covers its 99th percentile.
        long soonest = nowNanos + leadNanos() / 2;
        int count = 0;
        for (int i = 0; i < pendingSize; i++) {
            int k = (pendingHead + i) % pendingDue.length;
            if (pendingDue[k] < soonest) {
                continue;
            }
            long at = clampTime(toPlayerMicros(e, pendingDue[k]) + latencyOffsetMicros);
            write(at, pendingHz[k], pendingLease[k]);
            pendingAt[k] = at;
            count++;
        }
        restamped += count;
        return count;
    }

    /** Changes re-stamped after clock steps. Any thread. */
    public long restampedCount() {
        return restamped;
    }

    /** Tone messages written (each once, whatever the redundancy), renewals included. Any thread. */
    public long toneCount() {
        return tones;
    }

    /**
     * Distinct tone messages written: notes, renewals, re-stamps and silences, each once whatever
     * the redundancy (each has its own sequence number). Any thread.
     */
    public long messageCount() {
        return messages;
    }

    /** Redundant copies written (every datagram of a message after its first). Any thread. */
    public long copyCount() {
        return copiesWritten;
    }

    /**
     * Redundant copies left out: the scheduler was over its {@link SendBudget}, or a change was
     * handed over with less than half the lead left. Any thread.
     */
    public long shedCount() {
        return shed;
    }

    /** Lease renewals written for long notes. Any thread. */
    public long extensionCount() {
        return extensions;
    }

    /** Changes dropped because there was no clock estimate yet. Any thread. */
    public long droppedCount() {
        return dropped;
    }

    private boolean write(long atMicros, double hz, int leaseMillis) {
        return write(atMicros, hz, leaseMillis, clock.choice().redundancy());
    }

    /**
     * Copies of a change handed over at {@code nowNanos} for {@code dueNanos}: the redundancy in
     * force, but one copy when less than half the lead is left. A director that has fallen that far
     * behind (a roster too large for its machine) only falls further behind by sending copies, and
     * every copy is one more datagram each player must read before its next note; the first copy
     * carries the note as well as any. The same without {@code copiesAffordable} (the scheduler over
     * its {@link SendBudget}). Copies left out are counted ({@link #shedCount()}).
     */
    int copiesFor(long dueNanos, long nowNanos, boolean copiesAffordable) {
        int copies = clock.choice().redundancy();
        if (copies > 1 && (!copiesAffordable || dueNanos - nowNanos < leadNanos() / 2)) {
            shed += copies - 1;
            return 1;
        }
        return copies;
    }

    private boolean write(long atMicros, double hz, int leaseMillis, int copies) {
        int n = TimedCodec.encodeTone(takeSeq(), atMicros, Math.round(hz * 1000), leaseMillis,
                options.authenticator(), bytes);
        messages++;
        copiesWritten += copies - 1;
        boolean ok = true;
        for (int copy = 0; copy < copies; copy++) {
            ok &= sink.send(bytes, n);
        }
        return ok;
    }

    private long takeSeq() {
        long s = nextSeq;
        nextSeq = (nextSeq + 1) & TimedMessage.MAX_SEQ;
        return s;
    }

    private void prunePending(long nowNanos) {
        while (pendingSize > 0 && pendingDue[pendingHead] <= nowNanos) {
            pendingHead = (pendingHead + 1) % pendingDue.length;
            pendingSize--;
        }
    }

    private void addPending(long due, long at, double hz, int lease) {
        if (pendingSize == pendingDue.length) {
            long[] d = new long[pendingDue.length * 2];
            long[] a = new long[d.length];
            double[] h = new double[d.length];
            int[] l = new int[d.length];
            for (int i = 0; i < pendingSize; i++) {
                int k = (pendingHead + i) % pendingDue.length;
                d[i] = pendingDue[k];
                a[i] = pendingAt[k];
                h[i] = pendingHz[k];
                l[i] = pendingLease[k];
            }
            pendingDue = d;
            pendingAt = a;
            pendingHz = h;
            pendingLease = l;
            pendingHead = 0;
        }
        int tail = (pendingHead + pendingSize) % pendingDue.length;
        pendingDue[tail] = due;
        pendingAt[tail] = at;
        pendingHz[tail] = hz;
        pendingLease[tail] = lease;
        pendingSize++;
    }

    private static long toPlayerMicros(ClockSync.Estimate e, long directorNanos) {
        return e.toPlayerMicros(Math.floorDiv(directorNanos, 1000));
    }

    private static long clampTime(long micros) {
        return Math.max(0, Math.min(TimedCodec.MAX_TIME_MICROS, micros));
    }
}
