package dev.concerto.director.engine;

import dev.concerto.protocol.TimedMessage;

/**
 * When a clock-sync exchange's request and reply left ({@code t1}, {@code t3}), as the director takes
 * them: the request's kernel send stamp where the sink has it, and the player's {@code t3} held to
 * what the round trip allows. Part of one {@link ClockSyncClient}.
 *
 * <p>Not thread-safe but for {@link #kernelCount()}: the sync owner's thread.
 */
final class SyncDepartures {

    /** How much later than a zero round trip allows a reply's {@code t3} is taken as an estimate's error, µs. */
    static final long T3_TOLERANCE_MICROS = 100;

    private final DatagramSink sink;
    /** The last request's sequence number and the time it was written (its user-space t1), ns. */
    private long lastRequestSeq = -1;
    private long lastRequestNanos;
    /** Replies whose t1 was the kernel's send stamp of the request. */
    private volatile long kernelCount;

    SyncDepartures(DatagramSink sink) {
        this.sink = sink;
    }

    /** Request {@code seq} was handed to the sink at {@code nowNanos}. */
    void requestSent(long seq, long nowNanos) {
        lastRequestSeq = seq;
        lastRequestNanos = nowNanos;
    }

    /**
     * The exchange's {@code t1}: when the request left by the kernel's send stamp
     * ({@link DatagramSink#lastDepartureNanos()}) when the reply answers the last request and the stamp
     * is that request's (not before it was written, not after the reply came); else the time written
     * in the request (a user-space stamp, taken before the send: the send path's tens of µs then
     * bias the exchange's offset).
     */
    long t1Micros(TimedMessage.SyncReply reply, long t4Nanos) {
        if (reply.seq() == lastRequestSeq) {
            long departed = sink.lastDepartureNanos();
            if (departed != DatagramSink.NO_DEPARTURE && departed >= lastRequestNanos && departed <= t4Nanos) {
                kernelCount++;
                return Math.floorDiv(departed, 1000);
            }
        }
        return reply.t1Micros();
    }

    /**
     * The reply's {@code t3}, no later than the round trip allows ({@code t2 + (t4 - t1)}: a round
     * trip of 0) when it is later by at most {@value #T3_TOLERANCE_MICROS} µs. A player with kernel
     * stamps writes as {@code t3} when it expects the reply to leave (its clock plus its learnt send
     * lag, PROTOCOL.md "Sync"): an estimate, a few µs late now and then, which on loopback, where
     * kernel stamps leave a round trip of a few µs, makes it negative. Such an exchange says the two
     * halves were both about 0, not that it is impossible; one later by more still is rejected.
     */
    static long t3Micros(long t1, long t2, long t3, long t4) {
        long latest = t2 + (t4 - t1);
        return t3 > latest && t3 - latest <= T3_TOLERANCE_MICROS && latest >= t2 ? latest : t3;
    }

    /** Replies whose {@code t1} was the kernel's send stamp of the request. Any thread. */
    long kernelCount() {
        return kernelCount;
    }
}
