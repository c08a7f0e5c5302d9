package dev.concerto.netem;

import java.util.Objects;

/**
 * What one direction of a path does to each datagram. One-way delay = {@code baseMicros +
 * extraMicros + jitter}; datagrams leave in arrival order (a queue), except those picked for
 * reordering, which are held {@code reorderMicros} longer and may overtake nothing but be overtaken.
 *
 * @param baseMicros          the propagation and serialisation floor, µs (≥ 0)
 * @param extraMicros         a constant added in this direction only (an asymmetric path), µs (≥ 0)
 * @param jitter              the variable part of the delay
 * @param lossProbability     independent loss, 0..1
 * @param burst               periodic outages ({@link BurstLoss#NONE} for none)
 * @param duplicateProbability chance a datagram arrives twice (the copy up to 2 ms later), 0..1
 * @param reorderProbability  chance a datagram is held back and leaves out of order, 0..1
 * @param reorderMicros       how much longer a reordered datagram is held, µs (≥ 0)
 * @param rateBitsPerSecond   the link's rate (a datagram occupies it for its size over this rate;
 *                            datagrams queue behind each other); 0 = unlimited
 */
public record Direction(long baseMicros, long extraMicros, Jitter jitter, double lossProbability, BurstLoss burst,
                        double duplicateProbability, double reorderProbability, long reorderMicros,
                        long rateBitsPerSecond) {

    /** A perfect direction: no delay, no loss. */
    public static final Direction PERFECT = new Direction(0, 0, Jitter.NONE, 0, BurstLoss.NONE, 0, 0, 0, 0);

    public Direction {
        Objects.requireNonNull(jitter, "jitter");
        Objects.requireNonNull(burst, "burst");
        if (baseMicros < 0 || extraMicros < 0 || reorderMicros < 0 || rateBitsPerSecond < 0) {
            throw new IllegalArgumentException("delays and rate must not be negative");
        }
        probability("loss", lossProbability);
        probability("duplication", duplicateProbability);
        probability("reordering", reorderProbability);
    }

    private static void probability(String what, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(what + " probability " + p + " is outside 0..1");
        }
    }

    public Direction withBase(long micros) {
        return new Direction(micros, extraMicros, jitter, lossProbability, burst, duplicateProbability,
                reorderProbability, reorderMicros, rateBitsPerSecond);
    }

    public Direction withExtra(long micros) {
        return new Direction(baseMicros, micros, jitter, lossProbability, burst, duplicateProbability,
                reorderProbability, reorderMicros, rateBitsPerSecond);
    }

    public Direction withJitter(Jitter j) {
        return new Direction(baseMicros, extraMicros, j, lossProbability, burst, duplicateProbability,
                reorderProbability, reorderMicros, rateBitsPerSecond);
    }

    public Direction withLoss(double p) {
        return new Direction(baseMicros, extraMicros, jitter, p, burst, duplicateProbability,
                reorderProbability, reorderMicros, rateBitsPerSecond);
    }

    public Direction withBurst(BurstLoss b) {
        return new Direction(baseMicros, extraMicros, jitter, lossProbability, b, duplicateProbability,
                reorderProbability, reorderMicros, rateBitsPerSecond);
    }

    public Direction withDuplication(double p) {
        return new Direction(baseMicros, extraMicros, jitter, lossProbability, burst, p,
                reorderProbability, reorderMicros, rateBitsPerSecond);
    }

    public Direction withReordering(double p, long micros) {
        return new Direction(baseMicros, extraMicros, jitter, lossProbability, burst, duplicateProbability,
                p, micros, rateBitsPerSecond);
    }

    public Direction withRate(long bitsPerSecond) {
        return new Direction(baseMicros, extraMicros, jitter, lossProbability, burst, duplicateProbability,
                reorderProbability, reorderMicros, bitsPerSecond);
    }
}
