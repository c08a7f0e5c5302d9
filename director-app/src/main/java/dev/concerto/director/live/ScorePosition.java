package dev.concerto.director.live;

import dev.concerto.director.score.Timeline;

/**
 * Converts between a timeline's seconds (at the score's own tempo), beats and measures, for the
 * OSC position messages and MIDI clock (whose quarter note is taken as the score's beat). Pure.
 */
public final class ScorePosition {

    private ScorePosition() {
    }

    /** Beats from the start at {@code seconds} of score time. */
    public static double beats(Timeline t, double seconds) {
        return seconds * t.bpm() / 60.0;
    }

    /**
     * The beat within its measure, 1-based with a fraction (1.0 = the downbeat).
     *
     * @param measure the 1-based measure holding {@code seconds}
     */
    public static double beatInMeasure(Timeline t, int measure, double seconds) {
        if (t.measureStartBeats().isEmpty()) {
            return beats(t, seconds) + 1;
        }
        int i = Math.max(0, Math.min(t.measureStartBeats().size() - 1, measure - 1));
        return beats(t, seconds) - t.measureStartBeats().get(i) + 1;
    }

    /** The 1-based measure holding a position given in beats (clamped to the piece). */
    public static int measureAtBeats(Timeline t, double beats) {
        return t.measureAt(beats * 60.0 / t.bpm());
    }
}
