package dev.concerto.director.engine;

import dev.concerto.protocol.ClockEstimator;

/**
 * Chooses, for one timed player, how far ahead each change is sent (the lead) and how many copies
 * of each message go out (the redundancy), from what the clock-sync exchanges show of its path.
 * Pure: no clock of its own (the caller passes director time), no thread; not thread-safe (one
 * owner updates it and publishes {@link Choice}s, which are immutable).
 *
 * <h2>Lead</h2>
 * A tone crosses one direction; a sync exchange crosses both, so one direction's delay is at most
 * the round trip minus the other direction's least, about half the smallest round trip. The lead
 * covers the slowest exchange in the estimator's window that way, and twice its 99th percentile (a
 * heavy tail has rarer, slower datagrams than a window of exchanges shows), plus a margin:
 * {@code max(1.2 × (rtt max − rtt min / 2), 2 × (rtt p99 − rtt min / 2)) + 20 ms}, plus the player's
 * output latency when it states one (a player on an audio line renders a change that long before it
 * sounds, so the change must be there by then: with {@code --buffer-ms 200}, a 50 ms lead would bring
 * every change after its frames were written), within {@value #MIN_LEAD_MICROS}…{@value
 * #MAX_LEAD_MICROS} µs. A longer lead takes effect at once (notes are only sent earlier). A shorter
 * one only after the need has stayed lower for {@value #HOLD_MICROS} µs, and then by at most
 * {@value #SHRINK_PER_SECOND} of the lead per second — and never so fast that the send horizon
 * ({@code now + lead}, the latest due time handed to the player) moves back: a note already
 * scheduled is never followed by one sent for an earlier time because the lead shrank.
 *
 * <h2>Redundancy</h2>
 * With one-way loss {@code p} (from the exchanges' round-trip loss), {@code k} copies lose a note
 * with probability {@code p^k}: the smallest {@code k} with {@code p^k ≤} {@value #TARGET_NOTE_LOSS},
 * at most {@value #MAX_REDUNDANCY}. While fewer than {@value #LOSS_KNOWN_AFTER} requests have been
 * judged (a request is judged {@link ClockEstimator#REPLY_TIMEOUT_MICROS} µs after it left, so none
 * is when the first notes go out), the loss is not known, and what the path is decides the prior:
 * <ul>
 *   <li>a <em>local</em> path — its shortest round trip under {@value #LOCAL_RTT_MICROS} µs, or a
 *       path to this machine itself (by its address) under {@value #SAME_HOST_RTT_MICROS} µs, and no
 *       request judged lost — counts as what its exchanges show: loopback or a wired LAN, whose
 *       floor is below any radio hop's, and which loses datagrams only when something is wrong
 *       (which the exchanges then show, and the copies rise at once). A busy machine's slow loopback
 *       exchanges do not make its own players look remote: copies multiply the load;</li>
 *   <li>any other path (a radio hop, a route, or a local path that has lost a request) counts
 *       {@code p} as at least one in (judged + 1): a few exchanges without a loss prove nothing
 *       on Wi-Fi, and the first notes are the ones a listener hears missing, so such a player starts
 *       with several copies and comes down to one as its exchanges show it clean.</li>
 * </ul>
 * More copies at once. Fewer after the same hold once a loss has been seen (a lossy path that had
 * a clean spell keeps its copies a while); while no request has ever been judged lost, fewer at
 * once too: those copies were the prior's, and the evidence lowering them (a path found local, a
 * clean path judged longer) is what the prior waited for. Copies go back to back, so an outage longer than
 * a datagram (a burst) takes them all; leases bound what a burst can leave sounding. Whether the
 * copies actually go out is the scheduler's {@link SendBudget}'s call: a director that cannot afford
 * them sends each message once.
 */
public final class DeliveryPolicy {

    /** Shortest lead chosen, µs. */
    public static final long MIN_LEAD_MICROS = 50_000;
    /** Longest lead chosen, µs. */
    public static final long MAX_LEAD_MICROS = 1_000_000;
    /** Added to the scaled delay, µs. */
    static final long LEAD_MARGIN_MICROS = 20_000;
    /** The slowest one-way delay seen is scaled by this. */
    static final double LEAD_FACTOR = 1.2;
    /** The 99th-percentile one-way delay is scaled by this (a heavy tail beyond what the window saw). */
    static final double TAIL_FACTOR = 2.0;
    /**
     * Chance of losing a message (every copy) the redundancy aims below. A piece sends each player
     * hundreds of changes, and a listener hears the one lost: at 2e-4, one run of BWV 846 on
     * {@code wifi-busy} in about ten lost a silence with all three of its copies (5 % loss one way);
     * at 1e-5 such a path gets four copies and a piece of 700 changes loses one in about 150 runs.
     */
    public static final double TARGET_NOTE_LOSS = 1e-5;
    /** Requests judged before the loss figure alone decides the redundancy. */
    static final int LOSS_KNOWN_AFTER = 60;
    /**
     * A path whose shortest round trip is under this is taken for a local one (loopback, a wired
     * LAN: a radio hop alone takes longer), µs.
     */
    static final long LOCAL_RTT_MICROS = 1_000;
    /**
     * A path to this machine itself (loopback, or one of its own addresses) is taken for a local one
     * while its shortest round trip is under this, µs: on a busy machine a loopback exchange waits for
     * both ends' threads to be scheduled and often takes 1–3 ms, which says nothing about loss. A
     * slower path to this machine runs through something on it (a tunnel, a network emulator such as
     * the bench's: its radio profiles take 2 ms and more each way) and is judged like any other.
     */
    static final long SAME_HOST_RTT_MICROS = 3_000;
    /** Most copies sent of one message. */
    public static final int MAX_REDUNDANCY = 4;
    /** A lower need must last this long before the lead or the redundancy comes down, µs. */
    static final long HOLD_MICROS = 30_000_000;
    /** The lead comes down by at most this fraction of itself per second. */
    static final double SHRINK_PER_SECOND = 0.05;

    /**
     * What to do now.
     *
     * @param leadMicros how far ahead to send each change, µs
     * @param redundancy copies of each message
     */
    public record Choice(long leadMicros, int redundancy) {
    }

    /** Whether the path leads to this machine itself (loopback, one of its own addresses). */
    private final boolean sameHost;
    private Choice current;
    private long lastUpdateMicros;
    private long leadLowSinceMicros = Long.MIN_VALUE;
    private long redundancyLowSinceMicros = Long.MIN_VALUE;
    /** Whether any estimate so far showed a request judged lost. */
    private boolean lossSeen;

    /**
     * @param initial the choice before any exchange (the director's defaults)
     */
    public DeliveryPolicy(Choice initial) {
        this(initial, false);
    }

    /**
     * @param initial  the choice before any exchange (the director's defaults)
     * @param sameHost whether the player's address is this machine's own (loopback or one of its
     *                 interfaces): such a path is local up to {@value #SAME_HOST_RTT_MICROS} µs
     */
    public DeliveryPolicy(Choice initial, boolean sameHost) {
        this.current = clamp(initial);
        this.sameHost = sameHost;
    }

    /** The choice in force. */
    public Choice current() {
        return current;
    }

    /** The lead the path calls for, µs, before any smoothing. */
    static long neededLead(ClockEstimator.Estimate e) {
        return neededLead(e, 0);
    }

    /** The lead the path and a player rendering {@code aheadMicros} before it sounds call for, µs. */
    static long neededLead(ClockEstimator.Estimate e, long aheadMicros) {
        double oneWayMax = Math.max(0, e.rttMaxMicros() - e.minRttMicros() / 2.0);
        double oneWayP99 = Math.max(0, e.rttP99Micros() - e.minRttMicros() / 2.0);
        long lead = Math.round(Math.max(LEAD_FACTOR * oneWayMax, TAIL_FACTOR * oneWayP99)) + LEAD_MARGIN_MICROS
                + Math.max(0, aheadMicros);
        return Math.max(MIN_LEAD_MICROS, Math.min(MAX_LEAD_MICROS, lead));
    }

    /**
     * The redundancy the path calls for, before any smoothing. Until {@value #LOSS_KNOWN_AFTER}
     * requests have been judged the round-trip loss of a path that is not {@linkplain #local local}
     * is taken as at least one in (judged + 1): no loss seen in a few exchanges is no evidence of a
     * clean path, and the first notes are the ones a listener hears missing.
     */
    static int neededRedundancy(ClockEstimator.Estimate e) {
        return neededRedundancy(e, false);
    }

    /** As {@link #neededRedundancy(ClockEstimator.Estimate)}, for a path to this machine itself when {@code sameHost}. */
    static int neededRedundancy(ClockEstimator.Estimate e, boolean sameHost) {
        double roundTrip = e.lossPercent() / 100;
        if (e.lossJudged() < LOSS_KNOWN_AFTER && !local(e, sameHost)) {
            roundTrip = Math.max(roundTrip, 1.0 / (e.lossJudged() + 1));
        }
        double p = 1 - Math.sqrt(Math.max(0, 1 - roundTrip));
        if (p <= 0) {
            return 1;
        }
        if (p >= 1) {
            return MAX_REDUNDANCY;
        }
        int k = (int) Math.ceil(Math.log(TARGET_NOTE_LOSS) / Math.log(p));
        return Math.max(1, Math.min(MAX_REDUNDANCY, k));
    }

    /**
     * Whether the path looks local: its shortest round trip is under {@value #LOCAL_RTT_MICROS} µs
     * (loopback, a wired LAN; no radio hop is that fast), or {@value #SAME_HOST_RTT_MICROS} µs for a
     * path to this machine itself ({@code sameHost}), and no request judged so far went unanswered.
     */
    static boolean local(ClockEstimator.Estimate e, boolean sameHost) {
        long limit = sameHost ? SAME_HOST_RTT_MICROS : LOCAL_RTT_MICROS;
        return e.minRttMicros() < limit && e.lossPercent() == 0;
    }

    /**
     * Updates the choice from a new estimate.
     *
     * @param e         the player's current estimate (null: nothing known yet, the choice stays)
     * @param nowMicros the director's clock now, µs (non-decreasing across calls)
     * @return the choice in force from now on
     */
    public Choice update(ClockEstimator.Estimate e, long nowMicros) {
        return update(e, nowMicros, 0);
    }

    /**
     * As {@link #update(ClockEstimator.Estimate, long)}, for a player that renders each change
     * {@code aheadMicros} before it sounds (its stated output latency; 0 when it states none).
     */
    public Choice update(ClockEstimator.Estimate e, long nowMicros, long aheadMicros) {
        if (e == null) {
            lastUpdateMicros = nowMicros;
            return current;
        }
        long elapsed = Math.max(0, nowMicros - lastUpdateMicros);
        lastUpdateMicros = nowMicros;
        long lead = current.leadMicros();
        long needLead = neededLead(e, aheadMicros);
        if (needLead >= lead) {
            lead = needLead;
            leadLowSinceMicros = Long.MIN_VALUE;
        } else {
            if (leadLowSinceMicros == Long.MIN_VALUE) {
                leadLowSinceMicros = nowMicros;
            }
            if (nowMicros - leadLowSinceMicros >= HOLD_MICROS) {
                // Shrink gently, and by less than the time that passed: the horizon never moves back.
                long step = Math.min(elapsed, Math.round(lead * SHRINK_PER_SECOND * elapsed / 1e6));
                lead = Math.max(needLead, lead - step);
            }
        }
        int redundancy = current.redundancy();
        int needCopies = neededRedundancy(e, sameHost);
        lossSeen |= e.lossPercent() > 0;
        if (needCopies >= redundancy || !lossSeen) {
            // More copies at once; fewer at once too while no request was ever judged lost (the
            // copies were the prior's, which the path's evidence now lowers: a local path found
            // local, a clean one judged longer).
            redundancy = needCopies;
            redundancyLowSinceMicros = Long.MIN_VALUE;
        } else {
            if (redundancyLowSinceMicros == Long.MIN_VALUE) {
                redundancyLowSinceMicros = nowMicros;
            }
            if (nowMicros - redundancyLowSinceMicros >= HOLD_MICROS) {
                redundancy--;
                redundancyLowSinceMicros = nowMicros; // one copy less per hold
            }
        }
        current = clamp(new Choice(lead, redundancy));
        return current;
    }

    private static Choice clamp(Choice c) {
        return new Choice(Math.max(MIN_LEAD_MICROS, Math.min(MAX_LEAD_MICROS, c.leadMicros())),
                Math.max(1, Math.min(MAX_REDUNDANCY, c.redundancy())));
    }
}
