package dev.concerto.director.engine;

import dev.concerto.protocol.ClockSync;
import dev.concerto.protocol.TimedMessage;

/**
 * Everything the director sends to one roster player, as a pure state machine the
 * {@link Scheduler} drives: for a {@code legacy} player a {@link LegacyStream}; for {@code timed}
 * and {@code auto} a {@link ClockSyncClient} and a {@link TimedToneStream}, and for an {@code auto}
 * player that never answered clock sync the plain integer from then on ({@link #settleAfterProbe()}).
 *
 * <p>It tells the scheduler two deadlines: {@link #nextPreciseNanos()} (a plain-integer change due
 * at that instant: waited for precisely) and {@link #nextHousekeepingNanos()} (a sync request or a
 * lease renewal, which tolerate a few milliseconds: sent in rounds). Not thread-safe: the scheduler
 * thread owns it; the status getters read published values and may be called from any thread.
 */
public final class PlayerStream {

    /** What the stream speaks. */
    public enum Mode {
        /** Clock sync not settled yet: only sync requests and plain-integer silences go out. */
        PROBING,
        /** The timed protocol. */
        TIMED,
        /** The plain integer. */
        LEGACY
    }

    private final RosterEntry entry;
    private final String destination;
    private final LegacyStream legacy;
    private final ClockSyncClient sync;
    private final TimedToneStream timed;
    private volatile Mode mode;
    private volatile long changes;
    private volatile double lastHz;

    /**
     * @param destination where the sink sends, for people ({@code 127.0.0.1:10001})
     * @param firstSeq    the first sequence number of its timed messages (the wall clock in ms, mod 2^32)
     * @param nowNanos    when the stream starts: its first sync request is due then
     */
    public PlayerStream(RosterEntry entry, String destination, DatagramSink sink, TimedOptions options, long firstSeq,
                        long nowNanos) {
        this(entry, destination, sink, options, firstSeq, nowNanos, false, ClockSyncClient.Schedule.SINGLE);
    }

    /**
     * As {@link #PlayerStream(RosterEntry, String, DatagramSink, TimedOptions, long, long)}, for a
     * player at one of this machine's own addresses when {@code sameHost} (its path counts as local:
     * {@link DeliveryPolicy}), its clock-sync requests on {@code syncSchedule} within the roster.
     */
    public PlayerStream(RosterEntry entry, String destination, DatagramSink sink, TimedOptions options, long firstSeq,
                        long nowNanos, boolean sameHost, ClockSyncClient.Schedule syncSchedule) {
        this.entry = java.util.Objects.requireNonNull(entry, "entry");
        this.destination = destination;
        this.legacy = new LegacyStream(sink);
        if (entry.protocol().syncsClock()) {
            this.sync = new ClockSyncClient(sink, options, firstSeq, nowNanos, sameHost, syncSchedule);
            this.timed = new TimedToneStream(sink, sync, options, Math.round(entry.latencyOffsetMs() * 1000),
                    firstSeq);
            this.mode = Mode.PROBING;
        } else {
            this.sync = null;
            this.timed = null;
            this.mode = Mode.LEGACY;
        }
    }

    /** The first sequence number for a director starting at {@code epochMicros}: wall-clock ms mod 2^32. */
    public static long firstSeq(long epochMicros) {
        return Math.floorDiv(epochMicros, 1000) & TimedMessage.MAX_SEQ;
    }

    public RosterEntry entry() {
        return entry;
    }

    /** Where its datagrams go ({@code ip:port}). */
    public String destination() {
        return destination;
    }

    public Mode mode() {
        return mode;
    }

    /** The protocol actually spoken: {@link Protocol#LEGACY} or {@link Protocol#TIMED} (what auto resolved to). */
    public Protocol protocolInUse() {
        return mode == Mode.LEGACY ? Protocol.LEGACY : Protocol.TIMED;
    }

    /** How long before it is due this stream wants each change, ns (0: sends at the due time). */
    public long leadNanos() {
        return mode == Mode.LEGACY ? 0 : timed.leadNanos();
    }

    /**
     * Decides the protocol once the first sync burst had its time: timed when the player answered,
     * the plain integer for an {@code auto} player that did not.
     *
     * @return whether the player can be played to (false: a {@code timed} player that never answered)
     */
    public boolean settleAfterProbe() {
        if (mode != Mode.PROBING) {
            return true;
        }
        if (sync.estimate() != null) {
            mode = Mode.TIMED;
            return true;
        }
        if (entry.protocol() == Protocol.AUTO) {
            mode = Mode.LEGACY;
            return true;
        }
        return false;
    }

    /** Puts the stream in timed mode at once (tests that feed the clock-sync client themselves). */
    void forceTimed() {
        mode = Mode.TIMED;
    }

    /**
     * The voice's change, handed over {@link #leadNanos()} (of the whole roster) before it is due.
     *
     * @param dueNanos when it must sound; {@code endNanos} when the voice's next change is due
     *                 ({@link Long#MAX_VALUE} when not known)
     */
    public void change(double hz, long dueNanos, long endNanos, long nowNanos) {
        change(hz, dueNanos, endNanos, nowNanos, true);
    }

    /**
     * As {@link #change(double, long, long, long)}; without {@code copiesAffordable} (the scheduler
     * over its {@link SendBudget}) a timed player gets only the first copy.
     */
    public void change(double hz, long dueNanos, long endNanos, long nowNanos, boolean copiesAffordable) {
        changes++;
        lastHz = hz;
        switch (mode) {
            case TIMED -> timed.change(hz, dueNanos, endNanos, nowNanos, copiesAffordable);
            case LEGACY -> legacy.change(hz, dueNanos, nowNanos);
            case PROBING -> { } // no estimate yet: nothing can be stamped
        }
    }

    /** Silences the player now, including what was handed over ahead. */
    public void silenceNow(long nowNanos) {
        lastHz = 0;
        if (mode == Mode.TIMED) {
            timed.silenceNow(nowNanos);
        } else {
            legacy.silenceNow(); // a timed player speaks the plain integer too
        }
    }

    /** When a plain-integer change is due, or {@link Long#MAX_VALUE}. */
    public long nextPreciseNanos() {
        return legacy.nextDueNanos();
    }

    /** When a sync request or a lease renewal is due, or {@link Long#MAX_VALUE}. */
    public long nextHousekeepingNanos() {
        if (sync == null) {
            return Long.MAX_VALUE;
        }
        return mode == Mode.TIMED ? Math.min(sync.nextRequestNanos(), timed.nextDueNanos()) : sync.nextRequestNanos();
    }

    /** Sends the plain-integer changes due at {@code nowNanos}. */
    public void pollPrecise(long nowNanos) {
        legacy.poll(nowNanos);
    }

    /** Sends the sync request and lease renewal due by {@code horizonNanos}. */
    public void pollHousekeeping(long nowNanos, long horizonNanos) {
        if (sync == null) {
            return;
        }
        if (sync.nextRequestNanos() <= horizonNanos) {
            sync.sendRequest(nowNanos);
        }
        if (mode == Mode.TIMED) {
            timed.poll(nowNanos, horizonNanos);
        }
    }

    /**
     * A datagram that arrived from the player (a clock-sync reply), with its arrival time.
     *
     * @return whether it was a reply that went into the clock estimate ({@link ClockSyncClient#lastExchange()})
     */
    public boolean onDatagram(byte[] datagram, int length, long t4Nanos) {
        boolean used = false;
        if (sync != null) {
            used = sync.onDatagram(datagram, length, t4Nanos);
            if (sync.takeStep() && mode == Mode.TIMED) {
                timed.restampPending(t4Nanos); // what was handed over ahead carries times in the old clock
            }
        }
        return used;
    }

    // ------------------------------------------------------------------ status (any thread)

    /** The player's clock as estimated, or {@code null} for a plain-integer player. */
    public ClockSync.Estimate clockEstimate() {
        return mode == Mode.LEGACY || sync == null ? null : sync.estimate();
    }

    /** The player's path and the lead and redundancy chosen for it, or {@code null} (plain integer, not measured yet). */
    public PathTracker.Status pathStatus() {
        return mode == Mode.LEGACY || sync == null ? null : sync.pathStatus();
    }

    public PlayerActivity.Liveness liveness(long nowNanos) {
        return mode == Mode.LEGACY || sync == null ? PlayerActivity.Liveness.UNKNOWN : sync.liveness(nowNanos);
    }

    /** The clock-sync client, or {@code null} for a {@code legacy} player. */
    public ClockSyncClient clockSync() {
        return sync;
    }

    /** The timed tone stream, or {@code null} for a {@code legacy} player. */
    public TimedToneStream tones() {
        return timed;
    }

    /** Changes handed to this stream (notes and their ends). */
    public long changeCount() {
        return changes;
    }

    /** Plain-integer datagrams written (silences included). */
    public long legacyCount() {
        return legacy.sentCount();
    }

    /** The last frequency handed over, 0 after a silence. */
    public double lastHz() {
        return lastHz;
    }
}
