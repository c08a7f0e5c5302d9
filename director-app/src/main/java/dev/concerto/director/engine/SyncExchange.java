package dev.concerto.director.engine;

import dev.concerto.protocol.ClockEstimator;

/**
 * One clock-sync exchange with a player as the director used it, for diagnosis (the events file's
 * {@code "sync"} lines): the four stamps as they crossed the wire, what the estimator made of it, and
 * the offset notes were stamped with once it was in. Where the player shares the director's clock
 * (player processes on one machine, no skew option) the true offset is zero, so {@code t2 − t1} and
 * {@code t4 − t3} are each half's real duration and the stamped offset is the stamping error.
 * Immutable.
 *
 * @param t1Micros            the request's send stamp, director clock, µs
 * @param t2Micros            its arrival stamp, player clock, µs
 * @param t3Micros            the reply's send stamp, player clock, µs
 * @param t4Micros            the reply's arrival stamp, director clock, µs
 * @param outcome             what the estimator did with it
 * @param stampedOffsetMicros player minus director clock at {@code t4} as notes are stamped after it, µs
 */
public record SyncExchange(long t1Micros, long t2Micros, long t3Micros, long t4Micros, ClockEstimator.Outcome outcome,
                           double stampedOffsetMicros) {

    /** Round trip without the player's own time: {@code (t4 − t1) − (t3 − t2)}, µs. */
    public long rttMicros() {
        return (t4Micros - t1Micros) - (t3Micros - t2Micros);
    }

    /** This exchange's own offset estimate, {@code ((t2 − t1) + (t3 − t4)) / 2}, µs. */
    public double offsetMicros() {
        return ((t2Micros - t1Micros) + (t3Micros - t4Micros)) / 2.0;
    }
}
