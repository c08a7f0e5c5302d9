package dev.concerto.protocol;

import dev.concerto.netem.PathDecider;
import dev.concerto.netem.PathProfile;

/**
 * A director and a player joined by an emulated path, in memory, on a fake clock: true time is
 * the director's clock (µs); the player's clock runs {@code skewPpm} faster from {@code offset}
 * and may step by {@code stepMicros} at true time {@code stepAtMicros}. Each {@link #exchange}
 * runs one sync request through the path's decisions (the emulator's pure core) and feeds the
 * estimator, as the director would.
 */
final class SimulatedPath {

    /** The player's reply takes this long, player µs. */
    static final long TURNAROUND_MICROS = 20;

    private final PathDecider toPlayer;
    private final PathDecider fromPlayer;
    private final double skewPpm;
    private final long offsetMicros;
    private long stepAtMicros = Long.MAX_VALUE;
    private long stepMicros;
    private long lastBack = 0;

    SimulatedPath(PathProfile profile, long seed, long offsetMicros, double skewPpm) {
        this.toPlayer = new PathDecider(profile.toPlayer(), seed);
        this.fromPlayer = new PathDecider(profile.fromPlayer(), seed + 1);
        this.offsetMicros = offsetMicros;
        this.skewPpm = skewPpm;
    }

    SimulatedPath stepAt(long atMicros, long byMicros) {
        this.stepAtMicros = atMicros;
        this.stepMicros = byMicros;
        return this;
    }

    /** The player's clock at true time {@code t}. */
    long playerClock(long t) {
        return Math.round(offsetMicros + t * (1 + skewPpm * 1e-6)) + (t >= stepAtMicros ? stepMicros : 0);
    }

    /**
     * One exchange sent at true time {@code t1}: feeds the estimator (request and, when it
     * survives both ways, the reply).
     *
     * @return the outcome, or {@code null} when the request or reply was lost
     */
    ClockEstimator.Outcome exchange(ClockEstimator est, long t1) {
        est.requestSent(t1);
        PathDecider.Decision there = toPlayer.decide(t1, 20);
        if (!there.forwarded()) {
            return null;
        }
        long arrive = there.releaseMicros();
        long t2 = playerClock(arrive);
        long t3 = t2 + TURNAROUND_MICROS;
        long leave = Math.max(lastBack, arrive + TURNAROUND_MICROS);
        lastBack = leave;
        PathDecider.Decision back = fromPlayer.decide(leave, 40);
        if (!back.forwarded()) {
            return null;
        }
        return est.add(t1, t2, t3, back.releaseMicros());
    }
}
