package dev.concerto.director.engine;

import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.ClockEstimator;
import dev.concerto.protocol.ClockSync;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.OutputLatencyToken;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import java.util.List;

/**
 * The director's half of the clock-sync exchange with one player (PROTOCOL.md, "Clock sync"), as a
 * pure state machine: it says when the next {@code S} request is due ({@link #nextRequestNanos()}),
 * writes it when asked ({@link #sendRequest(long)}), and takes the player's {@code R} replies as
 * bytes with their arrival time ({@link #onDatagram}). Requests go out in a burst of
 * {@value #BURST}, {@value #BURST_SPACING_NANOS} ns apart, then {@value #FAST_REQUESTS} one every
 * {@value #FAST_INTERVAL_NANOS} ns, then {@value #SETTLE_REQUESTS} while the estimate settles, one
 * every {@value #SETTLE_INTERVAL_NANOS} ns, then one every {@value #INTERVAL_NANOS} ns (every
 * {@value #NOISY_INTERVAL_NANOS} ns on a noisy path; longer in a large roster); each is due a fixed
 * step after the previous one was due (not after
 * it was sent), so the requests of a whole roster stay in step and the scheduler sends them in
 * rounds — of at most {@value #MAX_ROUND_PLAYERS} players each, spread over the spacing and the
 * interval ({@link Schedule#forRoster}).
 *
 * <p>A reply is used only when its {@code seq} and echoed {@code t1} match a request still
 * outstanding (a duplicate, unsolicited or forged reply is counted and ignored). The player is
 * {@linkplain PlayerActivity.Liveness#REACHABLE reachable} while it answered within
 * {@value #SILENT_AFTER_NANOS} ns.
 *
 * <p>The replies feed a {@link PathTracker}: a {@link ClockEstimator} (follows skew, detects clock
 * steps, measures round trips, jitter and loss) and the {@link DeliveryPolicy} that chooses the
 * player's lead and redundancy unless the user fixed them. A reply that looks like a clock step
 * makes the next request due at once (to confirm it); a confirmed step is reported once through
 * {@link #takeStep()}, so the {@link TimedToneStream} re-stamps what it handed over ahead.
 *
 * <p>Times: {@code nanos} arguments are the director's monotonic clock; the wire carries its
 * microseconds. Thread-safety: one thread (the scheduler's) calls every method that changes state;
 * the estimate and the counters are published through volatile fields for any thread to read.
 */
public final class ClockSyncClient {

    /** Requests in the first burst. */
    public static final int BURST = 8;
    /** Space between the burst's requests, ns. */
    public static final long BURST_SPACING_NANOS = 20_000_000;
    /**
     * Requests right after the burst, {@value #FAST_INTERVAL_NANOS} ns apart (within the roster's budget):
     * the first notes are stamped with what the first second gave, and a busy machine's or a Wi-Fi path's
     * exchanges are each hundreds of µs off, so the line is as good as the number of short round trips
     * it rests on. Simulated on {@code wifi-busy} (40 paths, notes one lead ahead), p99 stamping error
     * 1.1-2 s after the first request: 720 µs with the settling requests alone (one per 100 ms), 393 µs
     * with these; 2-3 s: 534 and 220 µs. Only for a few seconds: a window of {@link ClockEstimator#FIT_WINDOW}
     * exchanges crowded into its first seconds leaves the line's slope resting on a short span
     * (500 requests every 40 ms, then every 500 ms, made 20-40 s after the start worse: 423 µs, not 392).
     */
    public static final int FAST_REQUESTS = 60;
    /** Space between the fast requests after the burst, ns (longer in a large roster). */
    public static final long FAST_INTERVAL_NANOS = 40_000_000;
    /**
     * Then requests spaced {@value #SETTLE_INTERVAL_NANOS} ns apart: the first half minute decides the
     * skew, and five times as many exchanges as settled ones give the line five times as many short
     * round trips to rest on (replayed on the network suite's recorded exchanges: see {@link ClockEstimator}).
     */
    public static final int SETTLE_REQUESTS = 200;
    /** Space between the requests while the estimate settles, ns (longer in a large roster). */
    public static final long SETTLE_INTERVAL_NANOS = 100_000_000;
    /** Space between requests once the estimate has settled, ns. */
    public static final long INTERVAL_NANOS = 500_000_000;
    /**
     * Space between settled requests on a noisy path (estimated one-way jitter above
     * {@value #NOISY_JITTER_MICROS} µs), ns, within the roster's budget. The estimator's window holds
     * {@value ClockEstimator#FIT_WINDOW} exchanges: one every 500 ms on {@code wifi-busy} left a p99
     * stamping error of 392 µs 20-40 s after the start, one every 300 ms (after the fast start) 263 µs,
     * 90-180 s after 309 and 268 µs (simulated, as above; one every 200 ms: 255 and 248 µs, for twice the
     * requests).
     * A clean path (loopback, a wired LAN) keeps {@value #INTERVAL_NANOS} ns: its exchanges are each
     * within tens of µs.
     */
    public static final long NOISY_INTERVAL_NANOS = 300_000_000;
    /** A path whose estimated one-way jitter (p99) exceeds this is noisy, µs. */
    public static final double NOISY_JITTER_MICROS = 1_000;
    /** A player whose last answer is older than this is shown as silent, ns. */
    public static final long SILENT_AFTER_NANOS = 3_000_000_000L;
    /** Outstanding requests remembered for matching replies. */
    static final int OUTSTANDING = 32;
    /**
     * Sync requests per second a whole roster sends at most after the bursts: a larger roster asks
     * each player less often than every {@value #INTERVAL_NANOS} ns ({@link Schedule#forRoster}).
     */
    public static final int MAX_ROSTER_REQUESTS_PER_SECOND = 1000;
    /** Players whose requests share one round at most ({@link Schedule#forRoster}). */
    public static final int MAX_ROUND_PLAYERS = 50;

    /**
     * When one player's requests go out, within a roster.
     *
     * @param intervalNanos space between requests once settled, ns (&ge; {@value #INTERVAL_NANOS})
     * @param burstPhaseNanos the first request's delay from the start, ns (0..{@value #BURST_SPACING_NANOS})
     * @param phaseNanos   the delay of the settled requests within the interval, ns
     * @param settleIntervalNanos space between the {@value #SETTLE_REQUESTS} settling requests, ns
     *                     ({@value #SETTLE_INTERVAL_NANOS}..{@code intervalNanos})
     * @param settlePhaseNanos the delay of those requests within their interval, ns
     * @param fastIntervalNanos space between the {@value #FAST_REQUESTS} requests right after the burst, ns
     *                     ({@value #FAST_INTERVAL_NANOS}..{@code settleIntervalNanos}); their phase is
     *                     the settling requests' phase, scaled
     */
    public record Schedule(long intervalNanos, long burstPhaseNanos, long phaseNanos, long settleIntervalNanos,
                           long settlePhaseNanos, long fastIntervalNanos) {

        /**
         * One player on its own: the burst at once, then every {@value #FAST_INTERVAL_NANOS} ns, every
         * {@value #SETTLE_INTERVAL_NANOS} ns while settling, then every {@value #INTERVAL_NANOS} ns.
         */
        public static final Schedule SINGLE = new Schedule(INTERVAL_NANOS, 0, 0, SETTLE_INTERVAL_NANOS, 0,
                FAST_INTERVAL_NANOS);

        /** The fast requests' delay within their interval, ns: the settling requests' phase, scaled. */
        public long fastPhaseNanos() {
            return settlePhaseNanos * fastIntervalNanos / settleIntervalNanos;
        }

        /**
         * Space between settled requests on a noisy path, ns: {@value #NOISY_INTERVAL_NANOS} while the
         * roster's budget allows it (the settling interval is the budget's shortest space for this
         * roster), never longer than {@link #intervalNanos()}.
         */
        public long noisyIntervalNanos() {
            return Math.min(intervalNanos, Math.max(NOISY_INTERVAL_NANOS, settleIntervalNanos));
        }

        /** The noisy path's delay within its interval, ns: the settled requests' phase, scaled. */
        public long noisyPhaseNanos() {
            return phaseNanos * noisyIntervalNanos() / intervalNanos;
        }

        public Schedule {
            if (intervalNanos < INTERVAL_NANOS || burstPhaseNanos < 0 || burstPhaseNanos > BURST_SPACING_NANOS
                    || phaseNanos < 0 || phaseNanos >= intervalNanos || settleIntervalNanos < SETTLE_INTERVAL_NANOS
                    || settleIntervalNanos > intervalNanos || settlePhaseNanos < 0
                    || settlePhaseNanos >= settleIntervalNanos || fastIntervalNanos < FAST_INTERVAL_NANOS
                    || fastIntervalNanos > settleIntervalNanos) {
                throw new IllegalArgumentException("not a sync schedule: " + intervalNanos + " / " + burstPhaseNanos
                        + " / " + phaseNanos + " / " + settleIntervalNanos + " / " + settlePhaseNanos + " / "
                        + fastIntervalNanos + " ns");
            }
        }

        /** Settled requests every {@code intervalNanos} at {@code phaseNanos}, with no faster settling. */
        public Schedule(long intervalNanos, long burstPhaseNanos, long phaseNanos) {
            this(intervalNanos, burstPhaseNanos, phaseNanos, intervalNanos, phaseNanos, intervalNanos);
        }

        /**
         * Player {@code index}'s schedule in a roster of {@code players}. The roster's requests go
         * out in rounds of at most {@value #MAX_ROUND_PLAYERS} players spread evenly over the burst
         * spacing and over the interval, not all at once: a round is sent one request after another
         * and its replies come back together, so a thousand players in one round held the notes due
         * then behind a thousand sends and the replies' handling, and queued the last replies behind
         * the first at the players' receive loops (their round trips, and so the automatic lead,
         * grew with the roster). And the roster asks at most {@value #MAX_ROSTER_REQUESTS_PER_SECOND}
         * requests per second: the interval grows past {@value #INTERVAL_NANOS} ns beyond
         * {@code MAX_ROSTER_REQUESTS_PER_SECOND / 2} players (1 s for 1,000 players), which the
         * estimator's window of exchanges then spans for longer. The same budget bounds the settling
         * requests: every {@value #SETTLE_INTERVAL_NANOS} ns up to
         * {@code MAX_ROSTER_REQUESTS_PER_SECOND / 10} players, less often beyond, none slower than the
         * settled ones; and the fast ones: every {@value #FAST_INTERVAL_NANOS} ns up to
         * {@code MAX_ROSTER_REQUESTS_PER_SECOND / 25} players, less often beyond, none slower than the
         * settling ones.
         */
        public static Schedule forRoster(int players, int index) {
            if (players < 1 || index < 0 || index >= players) {
                throw new IllegalArgumentException("player " + index + " of " + players);
            }
            long budget = players * 1_000_000_000L / MAX_ROSTER_REQUESTS_PER_SECOND; // the shortest space the budget allows
            long interval = Math.max(INTERVAL_NANOS, budget);
            long settle = Math.min(interval, Math.max(SETTLE_INTERVAL_NANOS, budget));
            int rounds = (players + MAX_ROUND_PLAYERS - 1) / MAX_ROUND_PLAYERS;
            int round = index % rounds;
            long fast = Math.min(settle, Math.max(FAST_INTERVAL_NANOS, budget));
            return new Schedule(interval, BURST_SPACING_NANOS * round / rounds, interval * round / rounds, settle,
                    settle * round / rounds, fast);
        }
    }

    private final DatagramSink sink;
    private final Authenticator auth;
    private final PathTracker path;
    private final long[] outstandingSeq = new long[OUTSTANDING];
    private final long[] outstandingT1 = new long[OUTSTANDING];
    private final Schedule schedule;
    /** The request being written (the sink copies it out before returning). */
    private final byte[] request = new byte[TimedCodec.MAX_TONE_BYTES];
    private long nextSeq;
    private long nextRequestNanos;
    private int requestsSent;
    /** Which t1 and t3 each exchange is taken with (the kernel's send stamp, where there is one). */
    private final SyncDepartures departures;

    private volatile ClockSync.Estimate estimate;
    /** Lead and copies in force (read by the tone stream; published for the status). */
    private volatile DeliveryPolicy.Choice choice;
    private volatile PathTracker.Status status;
    private boolean stepped;
    /** Whether the path's estimated one-way jitter exceeds {@value #NOISY_JITTER_MICROS} µs. */
    private boolean noisy;
    private SyncExchange lastExchange;
    private volatile long firstRequestNanos = Long.MIN_VALUE;
    private volatile long lastReplyNanos = Long.MIN_VALUE;
    private volatile List<String> versions = List.of();
    private volatile double outputLatencyMs = Double.NaN;
    private volatile long requests;
    private volatile long replies;
    private volatile long rejected;
    private volatile long steps;

    /**
     * @param options    the key, and the lead and redundancy (fixed, or where the automatic choice starts)
     * @param firstSeq   the first request's sequence number (from the wall clock, so a restarted
     *                   director is never older than the last one)
     * @param startNanos when the first request is due
     */
    public ClockSyncClient(DatagramSink sink, TimedOptions options, long firstSeq, long startNanos) {
        this(sink, options, firstSeq, startNanos, false, Schedule.SINGLE);
    }

    /**
     * As {@link #ClockSyncClient(DatagramSink, TimedOptions, long, long)}, for a player at one of this
     * machine's own addresses when {@code sameHost} (its path counts as local: {@link DeliveryPolicy}),
     * asked on {@code schedule} within its roster.
     */
    public ClockSyncClient(DatagramSink sink, TimedOptions options, long firstSeq, long startNanos, boolean sameHost,
                           Schedule schedule) {
        this.schedule = java.util.Objects.requireNonNull(schedule, "schedule");
        this.sink = java.util.Objects.requireNonNull(sink, "sink");
        this.departures = new SyncDepartures(sink);
        this.auth = options.authenticator();
        this.path = new PathTracker(options, sameHost);
        this.choice = path.choice();
        this.nextSeq = firstSeq & TimedMessage.MAX_SEQ;
        this.nextRequestNanos = startNanos + schedule.burstPhaseNanos();
        java.util.Arrays.fill(outstandingSeq, -1);
    }

    /** When the next request is due. */
    public long nextRequestNanos() {
        return nextRequestNanos;
    }

    /** Writes one {@code S seq t1} (t1 = {@code nowNanos} in µs) and schedules the next request. */
    public void sendRequest(long nowNanos) {
        if (firstRequestNanos == Long.MIN_VALUE) {
            firstRequestNanos = nowNanos;
        }
        long seq = nextSeq;
        nextSeq = (nextSeq + 1) & TimedMessage.MAX_SEQ;
        long t1 = Math.floorDiv(nowNanos, 1000);
        int slot = (int) (seq % OUTSTANDING);
        outstandingSeq[slot] = seq;
        outstandingT1[slot] = t1;
        int length = TimedCodec.encodeSyncRequest(seq, t1, auth, request);
        path.requestSent(t1);
        departures.requestSent(seq, nowNanos);
        requestsSent++;
        requests = requestsSent;
        // The burst's requests a spacing apart; then the fast interval, the settling one, the settled one, the
        // first of each moved to its own phase (so the roster's rounds stay spread).
        int fastEnd = BURST + FAST_REQUESTS;
        int settled = fastEnd + SETTLE_REQUESTS;
        long step = requestsSent < BURST ? BURST_SPACING_NANOS
                : requestsSent == BURST
                        ? schedule.fastIntervalNanos() + schedule.fastPhaseNanos() - schedule.burstPhaseNanos()
                : requestsSent < fastEnd ? schedule.fastIntervalNanos()
                : requestsSent == fastEnd
                        ? schedule.settleIntervalNanos() + schedule.settlePhaseNanos() - schedule.fastPhaseNanos()
                : requestsSent < settled ? schedule.settleIntervalNanos()
                : requestsSent == settled
                        ? settledInterval() + settledPhase() - schedule.settlePhaseNanos()
                : settledInterval();
        // Due a step after the previous due time; after a long stall, a step after now.
        nextRequestNanos = Math.max(nextRequestNanos + step, nowNanos + step / 2);
        sink.sendStamped(request, length);
    }

    /**
     * The space between settled requests: shorter on a noisy path. A path that turns noisy (or clean)
     * mid-piece changes it from the next request on; the roster's rounds then drift apart in phase,
     * which only a roster of more than {@value #MAX_ROUND_PLAYERS} players has.
     */
    private long settledInterval() {
        return noisy ? schedule.noisyIntervalNanos() : schedule.intervalNanos();
    }

    /** This player's delay within the settled interval, ns: its round's share of it. */
    private long settledPhase() {
        return noisy ? schedule.noisyPhaseNanos() : schedule.phaseNanos();
    }

    /**
     * Takes one datagram that arrived from the player.
     *
     * @param t4Nanos when it arrived, on the director's monotonic clock
     * @return whether it was a reply that went into the estimate
     */
    public boolean onDatagram(byte[] datagram, int length, long t4Nanos) {
        DecodeResult<TimedMessage> r = TimedCodec.decode(datagram, 0, length, auth);
        if (r instanceof DecodeResult.Accepted<TimedMessage> a && a.value() instanceof TimedMessage.SyncReply reply) {
            return onReply(reply, Math.floorDiv(t4Nanos, 1000), t4Nanos);
        }
        rejected++;
        return false;
    }

    private boolean onReply(TimedMessage.SyncReply reply, long t4Micros, long t4Nanos) {
        int slot = (int) (reply.seq() % OUTSTANDING);
        if (outstandingSeq[slot] != reply.seq() || outstandingT1[slot] != reply.t1Micros()) {
            rejected++;
            return false;
        }
        outstandingSeq[slot] = -1; // a duplicate reply is not a second sample
        long t1Micros = departures.t1Micros(reply, t4Nanos);
        long t3Micros = SyncDepartures.t3Micros(t1Micros, reply.t2Micros(), reply.t3Micros(), t4Micros);
        double statedLatencyMs = OutputLatencyToken.in(reply.versions()).orElse(Double.NaN);
        long aheadMicros = Double.isNaN(statedLatencyMs) ? 0 : Math.round(statedLatencyMs * 1000);
        // The lead is judged by the whole way round as the threads saw it: from the stamp written in the
        // request to the reply's arrival, the player's turnaround included. Kernel stamps take the
        // wake-ups and the player's queue out of the exchange's own round trip, and a note waits for them.
        long pathRttMicros = t4Micros - reply.t1Micros();
        ClockEstimator.Outcome outcome = path.reply(reply.t1Micros(), t1Micros, reply.t2Micros(), t3Micros, t4Micros,
                pathRttMicros, aheadMicros);
        if (outcome == ClockEstimator.Outcome.REJECTED) {
            rejected++;
            return false;
        }
        replies++;
        versions = OutputLatencyToken.protocols(reply.versions());
        outputLatencyMs = statedLatencyMs;
        lastReplyNanos = t4Nanos;
        estimate = path.legacyEstimate();
        lastExchange = new SyncExchange(t1Micros, reply.t2Micros(), t3Micros, t4Micros, outcome,
                estimate.toPlayerMicros(t4Micros) - t4Micros);
        choice = path.choice();
        status = path.status();
        noisy = status.jitterMicros() > NOISY_JITTER_MICROS;
        if (path.suspectsStep()) {
            nextRequestNanos = Math.min(nextRequestNanos, t4Nanos); // confirm a suspected clock step at once
        }
        if (outcome == ClockEstimator.Outcome.STEP) {
            stepped = true;
            steps++;
        }
        return true;
    }

    /** The last exchange that went into the estimate (for diagnosis), or {@code null}. The sync owner's thread. */
    public SyncExchange lastExchange() {
        return lastExchange;
    }

    /**
     * Whether the player's clock stepped since the last call (the changes handed over ahead carry
     * times in its old clock and must be re-stamped); clears it.
     */
    public boolean takeStep() {
        boolean s = stepped;
        stepped = false;
        return s;
    }

    /** Lead and redundancy in force for this player. Any thread. */
    public DeliveryPolicy.Choice choice() {
        return choice;
    }

    /** This player's path and what was chosen for it, or {@code null} before the first answer. Any thread. */
    public PathTracker.Status pathStatus() {
        return status;
    }

    /** Clock steps followed. Any thread. */
    public long stepCount() {
        return steps;
    }

    /** The player's clock as estimated now, or {@code null} before the first answer. Any thread. */
    public ClockSync.Estimate estimate() {
        return estimate;
    }

    /** What the director knows of the player at {@code nowNanos}. Any thread. */
    public PlayerActivity.Liveness liveness(long nowNanos) {
        long last = lastReplyNanos;
        if (last != Long.MIN_VALUE && nowNanos - last <= SILENT_AFTER_NANOS) {
            return PlayerActivity.Liveness.REACHABLE;
        }
        long first = firstRequestNanos;
        return first != Long.MIN_VALUE && nowNanos - first > SILENT_AFTER_NANOS
                ? PlayerActivity.Liveness.SILENT : PlayerActivity.Liveness.UNKNOWN;
    }

    /** The protocol versions the player listed in its last reply. Any thread. */
    public List<String> versions() {
        return versions;
    }

    /**
     * The output latency the player stated in its last reply (its audio line's, estimated when the line
     * became ready), ms; NaN when it stated none (no audio line, or an older player). Any thread.
     */
    public double outputLatencyMs() {
        return outputLatencyMs;
    }

    /** Requests sent. Any thread. */
    public long requestCount() {
        return requests;
    }

    /** Replies used. Any thread. */
    public long replyCount() {
        return replies;
    }

    /** Datagrams from the player that did not decode, failed authentication or matched no request. Any thread. */
    public long rejectedCount() {
        return rejected;
    }

    /** Replies whose {@code t1} was the kernel's send stamp of the request (the rest used the stamp in the request). Any thread. */
    public long kernelDepartureCount() {
        return departures.kernelCount();
    }
}
