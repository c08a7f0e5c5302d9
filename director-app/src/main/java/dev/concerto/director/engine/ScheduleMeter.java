package dev.concerto.director.engine;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * How close to their send times scheduled datagrams went out, recorded wait-free on the scheduler
 * thread and read from any thread: lateness when each send call returned (what a player can at
 * best see) and when it started (how precisely the scheduler woke), in nanoseconds recorded,
 * microseconds reported. Unscheduled sends (silences, notes sounded again on resume) are not
 * recorded. Thread-safe.
 */
public final class ScheduleMeter {

    private final Recorder sent = new Recorder(3);
    private final Recorder calls = new Recorder(3);
    private volatile long lastSentNanos;
    private volatile long lastCallNanos;
    /** The scheduler thread's CPU time spent writing datagrams (scheduler thread writes, any thread reads). */
    private volatile long sendCpuNanos;

    // Totals: guarded by this object's monitor.
    private final Histogram sentTotal = new Histogram(3);
    private final Histogram callTotal = new Histogram(3);
    private Histogram sentInterval;
    private Histogram callInterval;

    /**
     * Records one send (scheduler thread only).
     *
     * @param sentLateNanos when the send returned minus when it was to be sent
     * @param callLateNanos when the send call started minus when it was to be sent
     */
    void record(long sentLateNanos, long callLateNanos) {
        lastSentNanos = sentLateNanos;
        lastCallNanos = callLateNanos;
        sent.recordValue(Math.max(0, sentLateNanos));
        calls.recordValue(Math.max(0, callLateNanos));
    }

    /**
     * Adds CPU time the scheduler thread spent in one round of writing datagrams (a burst of a
     * voice's changes, a silence round, a round of sync requests and lease renewals): encoding,
     * bookkeeping and the system calls. Scheduler thread only.
     */
    void addSendCpu(long cpuNanos) {
        sendCpuNanos += Math.max(0, cpuNanos); // one writer
    }

    /**
     * CPU time the scheduler thread spent writing datagrams since the start, ns: with the datagrams
     * sent, what one core sustains (waiting for deadlines and handling replies not included). Any thread.
     */
    public long sendCpuNanos() {
        return sendCpuNanos;
    }

    /** Lateness of every scheduled send since the start, measured when the send returned. */
    public synchronized ScheduleAccuracy accuracy() {
        sentInterval = sent.getIntervalHistogram(sentInterval);
        sentTotal.add(sentInterval);
        return summary(sentTotal, lastSentNanos);
    }

    /** As {@link #accuracy()}, measured when each send call started (the scheduler's wake-up). */
    public synchronized ScheduleAccuracy wakeAccuracy() {
        callInterval = calls.getIntervalHistogram(callInterval);
        callTotal.add(callInterval);
        return summary(callTotal, lastCallNanos);
    }

    private static ScheduleAccuracy summary(Histogram h, long lastNanos) {
        long count = h.getTotalCount();
        return new ScheduleAccuracy(count,
                count == 0 ? 0 : h.getValueAtPercentile(50) / 1_000,
                count == 0 ? 0 : h.getValueAtPercentile(99) / 1_000,
                count == 0 ? 0 : h.getMaxValue() / 1_000,
                lastNanos / 1_000);
    }
}
