package dev.concerto.director.engine;

/**
 * How close to their deadlines scheduled datagrams went out: send time (when the send call
 * returned) minus deadline, in microseconds. Unscheduled sends (silences on stop or pause, notes
 * re-sounded on resume) are not counted.
 *
 * @param count            scheduled datagrams measured
 * @param p50Micros        median lateness
 * @param p99Micros        99th percentile
 * @param maxMicros        worst
 * @param lastMicros       lateness of the last scheduled datagram (the drift at the end of a piece)
 */
public record ScheduleAccuracy(long count, long p50Micros, long p99Micros, long maxMicros, long lastMicros) {

    @Override
    public String toString() {
        return String.format("send - deadline over %d datagrams: p50 %d us, p99 %d us, max %d us; last %d us",
                count, p50Micros, p99Micros, maxMicros, lastMicros);
    }
}
