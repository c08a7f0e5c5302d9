package dev.concerto.netem;

import java.util.SplittableRandom;

/**
 * Decides the fate of each datagram on one direction of a path: lost (independently or in an
 * outage), or released at a time, possibly twice. Pure and deterministic: the same seed and the
 * same arrivals give the same decisions, whatever the machine's load; no clock, no socket, no thread.
 *
 * <p>Rules, in order, for a datagram of {@code bytes} arriving at {@code t} (µs since the path
 * started): in an outage → {@link Fate#LOST_BURST}; else with the loss probability →
 * {@link Fate#LOST_RANDOM}; else released at {@code t + base + extra + jitter}, but not before the
 * previous in-order datagram (a queue keeps its order), and not before the link has finished
 * sending the previous one at the rate limit; a datagram picked for reordering is held
 * {@code reorderMicros} longer and leaves the queue's order; a datagram picked for duplication is
 * released a second time up to {@value #DUPLICATE_LAG_MICROS} µs after the first (a link-layer
 * retry whose acknowledgement was lost).
 *
 * <p>Not thread-safe: one owner per direction.
 */
public final class PathDecider {

    /** What becomes of a datagram. */
    public enum Fate {
        FORWARDED, LOST_RANDOM, LOST_BURST
    }

    /**
     * One decision.
     *
     * @param fate                   forwarded or lost, and why
     * @param releaseMicros          when to send it on, µs since the path started (forwarded only)
     * @param duplicateReleaseMicros when to send a second copy, or −1 for none
     * @param reordered              whether it was held back out of order
     */
    public record Decision(Fate fate, long releaseMicros, long duplicateReleaseMicros, boolean reordered) {
        static final Decision LOST_RANDOM = new Decision(Fate.LOST_RANDOM, -1, -1, false);
        static final Decision LOST_BURST = new Decision(Fate.LOST_BURST, -1, -1, false);

        public boolean forwarded() {
            return fate == Fate.FORWARDED;
        }
    }

    /** A duplicate follows its original by up to this, µs. */
    public static final long DUPLICATE_LAG_MICROS = 2_000;

    private final Direction direction;
    private final Jitter jitter;
    private final SplittableRandom random;
    private long lastInOrderMicros = Long.MIN_VALUE;
    private long linkFreeMicros = Long.MIN_VALUE;

    /**
     * @param direction what this direction does
     * @param seed      the random seed (same seed, same decisions)
     */
    public PathDecider(Direction direction, long seed) {
        this.direction = direction;
        this.jitter = Jitter.fresh(direction.jitter());
        this.random = new SplittableRandom(seed);
    }

    /**
     * Decides what happens to one datagram.
     *
     * @param arrivalMicros when it arrived, µs since the path started (non-decreasing across calls)
     * @param bytes         its size
     */
    public Decision decide(long arrivalMicros, int bytes) {
        // Draw every random number every time, in a fixed order, so one datagram's fate never
        // shifts the draws of the ones after it between configurations that differ only in a rule.
        double lossDraw = random.nextDouble();
        double dupDraw = random.nextDouble();
        double reorderDraw = random.nextDouble();
        long delay = direction.baseMicros() + direction.extraMicros() + jitter.sampleMicros(random);
        long dupLag = random.nextLong(DUPLICATE_LAG_MICROS + 1);
        if (direction.burst().inOutage(arrivalMicros)) {
            return Decision.LOST_BURST;
        }
        if (lossDraw < direction.lossProbability()) {
            return Decision.LOST_RANDOM;
        }
        long release = arrivalMicros + delay;
        long rate = direction.rateBitsPerSecond();
        if (rate > 0) {
            long occupy = (bytes * 8L * 1_000_000L + rate - 1) / rate;
            long start = Math.max(arrivalMicros, linkFreeMicros);
            linkFreeMicros = start + occupy;
            release = Math.max(release, linkFreeMicros);
        }
        boolean reordered = reorderDraw < direction.reorderProbability();
        if (reordered) {
            release += direction.reorderMicros();
        } else {
            release = Math.max(release, lastInOrderMicros);
            lastInOrderMicros = release;
        }
        long dup = dupDraw < direction.duplicateProbability() ? release + dupLag : -1;
        return new Decision(Fate.FORWARDED, release, dup, reordered);
    }
}
