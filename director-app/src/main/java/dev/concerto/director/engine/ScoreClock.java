package dev.concerto.director.engine;

import dev.concerto.director.score.Timeline;

/**
 * Where the score is in time: the tempo and one anchor (the monotonic clock reading, ns, at which a
 * given score position, s, is due), from which every change's deadline is computed — never "send,
 * then sleep", so lateness does not accumulate. A tempo change, pause or seek moves the anchor and
 * keeps the musical position. Pure arithmetic; not thread-safe (the {@link Scheduler}'s).
 */
final class ScoreClock {

    private final Timeline timeline;
    private double tempoBpm;
    private long anchorNanos;
    private double anchorSeconds;

    /** @param tempoBpm the starting tempo; {@code <= 0}: the score's own */
    ScoreClock(Timeline timeline, double tempoBpm) {
        this.timeline = timeline;
        this.tempoBpm = tempoBpm > 0 ? tempoBpm : timeline.bpm();
    }

    double tempoBpm() {
        return tempoBpm;
    }

    void setTempo(double bpm) {
        tempoBpm = bpm;
    }

    /** Score position {@code scoreSeconds} is due at {@code nanos}. */
    void anchor(long nanos, double scoreSeconds) {
        anchorNanos = nanos;
        anchorSeconds = scoreSeconds;
    }

    long anchorNanos() {
        return anchorNanos;
    }

    /** When score position {@code scoreSeconds} is due, ns. */
    long deadlineOf(double scoreSeconds) {
        double realSeconds = (scoreSeconds - anchorSeconds) * timeline.bpm() / tempoBpm;
        return anchorNanos + Math.round(realSeconds * 1e9);
    }

    /** The position heard at {@code nanos}, never before the anchor nor past {@code limitSeconds}. */
    double positionAt(long nanos, double limitSeconds) {
        double elapsed = (nanos - anchorNanos) / 1e9 * tempoBpm / timeline.bpm();
        double pos = anchorSeconds + Math.max(0, elapsed);
        return Math.max(anchorSeconds, Math.min(pos, limitSeconds));
    }

    /** Score time of a 1-based measure's start, s. */
    double measureStart(int measure) {
        return timeline.measureStartSeconds().get(measure - 1);
    }

    /** Score time of a 1-based measure's end, s. */
    double measureEnd(int measure) {
        return measure < timeline.measureCount() ? measureStart(measure + 1) : timeline.totalSeconds();
    }
}
