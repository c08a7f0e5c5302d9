package dev.concerto.netem;

/**
 * A director and a player joined by an emulated path, in memory, for tests on a fake clock: true
 * time is the director's clock (µs); the player's clock runs {@code skewPpm} faster from an offset
 * and may step at a given time. {@link #exchange} runs one NTP-style request through both
 * directions' {@link PathDecider}s and returns the four times the director would see. Pure and
 * deterministic; not thread-safe.
 */
public final class SimulatedPath {

    /** The player's reply leaves this long after the request arrived, µs. */
    public static final long TURNAROUND_MICROS = 20;

    /**
     * One exchange's times: {@code t1} director send, {@code t2} player receive, {@code t3} player
     * send (player clock), {@code t4} director receive, µs.
     */
    public record Exchange(long t1, long t2, long t3, long t4) {
    }

    private final PathDecider toPlayer;
    private final PathDecider fromPlayer;
    private final double skewPpm;
    private final long offsetMicros;
    private long stepAtMicros = Long.MAX_VALUE;
    private long stepMicros;
    private long lastBack;

    public SimulatedPath(PathProfile profile, long seed, long offsetMicros, double skewPpm) {
        this.toPlayer = new PathDecider(profile.toPlayer(), seed);
        this.fromPlayer = new PathDecider(profile.fromPlayer(), seed + 1);
        this.offsetMicros = offsetMicros;
        this.skewPpm = skewPpm;
    }

    /** The player's clock steps by {@code byMicros} at true time {@code atMicros}. */
    public SimulatedPath stepAt(long atMicros, long byMicros) {
        this.stepAtMicros = atMicros;
        this.stepMicros = byMicros;
        return this;
    }

    /** The player's clock at true time {@code t}, µs. */
    public long playerClock(long t) {
        return Math.round(offsetMicros + t * (1 + skewPpm * 1e-6)) + (t >= stepAtMicros ? stepMicros : 0);
    }

    /**
     * One request sent at true time {@code t1} (non-decreasing across calls).
     *
     * @return the exchange, or {@code null} when the request or its reply was lost
     */
    public Exchange exchange(long t1) {
        PathDecider.Decision there = toPlayer.decide(t1, 20);
        if (!there.forwarded()) {
            return null;
        }
        long arrive = there.releaseMicros();
        long t2 = playerClock(arrive);
        long leave = Math.max(lastBack, arrive + TURNAROUND_MICROS);
        lastBack = leave;
        long t3 = t2 + (leave - arrive);
        PathDecider.Decision back = fromPlayer.decide(leave, 40);
        if (!back.forwarded()) {
            return null;
        }
        return new Exchange(t1, t2, t3, back.releaseMicros());
    }
}
