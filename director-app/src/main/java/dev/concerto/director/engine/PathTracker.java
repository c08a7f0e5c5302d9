package dev.concerto.director.engine;

import dev.concerto.protocol.ClockEstimator;
import dev.concerto.protocol.ClockSync;

/**
 * Everything the director learns about one timed player's clock and path from the clock-sync
 * exchanges, and what it decides from it: the {@link ClockEstimator} (offset, skew, steps, round
 * trips, loss) and the {@link DeliveryPolicy} (lead and redundancy), unless the user fixed them.
 * Pure: times are passed in (director µs); not thread-safe (the one sync owner feeds it and
 * publishes {@link Status} snapshots, which are immutable).
 */
public final class PathTracker {

    /**
     * What the roster and the CLI summary show for one player.
     *
     * @param rttP50Micros  median round trip, µs
     * @param rttP99Micros  99th-percentile round trip, µs
     * @param jitterMicros  estimated one-way delay variation (p99), µs
     * @param lossPercent   sync exchanges lost (both directions), percent
     * @param leadMicros    the lead in force, µs
     * @param redundancy    copies of each message in force
     * @param automatic     whether lead and redundancy are chosen from the path (false: fixed by the user)
     * @param skewPpm       the player's clock rate against the director's, ppm
     * @param steps         clock steps detected
     */
    public record Status(long rttP50Micros, long rttP99Micros, double jitterMicros, double lossPercent, long leadMicros,
                         int redundancy, boolean automatic, double skewPpm, int steps) {
    }

    /**
     * One line for people: {@code RTT 3.1/41.0 ms · jitter 19.0 ms · loss 4.7 % · lead 240 ms ×3 (auto) · skew +12.3 ppm}.
     */
    public static String describe(Status s) {
        return String.format(java.util.Locale.ROOT, "RTT %.1f/%.1f ms · jitter %.1f ms · loss %.1f %% · lead %d ms ×%d%s"
                        + " · skew %+.1f ppm%s", s.rttP50Micros() / 1000.0, s.rttP99Micros() / 1000.0,
                s.jitterMicros() / 1000.0, s.lossPercent(), s.leadMicros() / 1000, s.redundancy(),
                s.automatic() ? " (auto)" : "", s.skewPpm(), s.steps() > 0 ? " · " + s.steps() + " clock step(s)" : "");
    }

    private final ClockEstimator estimator = new ClockEstimator();
    private final DeliveryPolicy policy;
    private final boolean autoLead;
    private final boolean autoRedundancy;
    private final DeliveryPolicy.Choice fixed;
    private DeliveryPolicy.Choice choice;
    private ClockEstimator.Estimate estimate;

    /** @param sameHost whether the player's address is this machine's own (see {@link DeliveryPolicy}) */
    PathTracker(TimedOptions options, boolean sameHost) {
        this.fixed = new DeliveryPolicy.Choice(options.leadMillis() * 1000L, options.redundancy());
        this.autoLead = options.autoLead();
        this.autoRedundancy = options.autoRedundancy();
        this.policy = new DeliveryPolicy(fixed, sameHost);
        this.choice = fixed;
    }

    /** A request left at director time {@code t1Micros}. */
    void requestSent(long t1Micros) {
        estimator.requestSent(t1Micros);
    }

    /**
     * A matched reply from a player that renders each change {@code aheadMicros} before it sounds (the
     * output latency it stated; 0 when none); returns what the estimator made of it.
     *
     * @param requestT1     the request's {@code t1} as {@link #requestSent} had it; {@code t1} when it
     *                      left (the kernel's send stamp, when the director has it)
     * @param pathRttMicros the round trip the path and the lead are judged by
     *                      ({@link ClockEstimator#add(long, long, long, long, long, long)})
     */
    ClockEstimator.Outcome reply(long requestT1, long t1, long t2, long t3, long t4, long pathRttMicros,
                                 long aheadMicros) {
        ClockEstimator.Outcome o = estimator.add(requestT1, t1, t2, t3, t4, pathRttMicros);
        estimate = estimator.estimate(t4);
        DeliveryPolicy.Choice auto = policy.update(estimate, t4, aheadMicros);
        choice = new DeliveryPolicy.Choice(autoLead ? auto.leadMicros() : fixed.leadMicros(),
                autoRedundancy ? auto.redundancy() : fixed.redundancy());
        return o;
    }

    /** Whether the last exchange looked like a clock step (send a confirming request now). */
    boolean suspectsStep() {
        return estimator.suspectsStep();
    }

    /** The estimate, or null before the first exchange. */
    ClockEstimator.Estimate estimate() {
        return estimate;
    }

    /** Lead and redundancy in force. */
    DeliveryPolicy.Choice choice() {
        return choice;
    }

    /** The estimate in the shape the engine has always published (offset, drift, minimum RTT). */
    ClockSync.Estimate legacyEstimate() {
        ClockEstimator.Estimate e = estimate;
        return e == null ? null : new ClockSync.Estimate(e.offsetMicros(), e.refMicros(), e.skewPpm(), e.minRttMicros(),
                e.jitterMicros(), (int) Math.min(Integer.MAX_VALUE, e.samples()));
    }

    /** What to show, or null before the first exchange. */
    Status status() {
        ClockEstimator.Estimate e = estimate;
        return e == null ? null : new Status(e.rttP50Micros(), e.rttP99Micros(), e.jitterMicros(), e.lossPercent(),
                choice.leadMicros(), choice.redundancy(), autoLead || autoRedundancy, e.skewPpm(), e.steps());
    }
}
