package dev.concerto.director.score;

import java.util.ArrayList;
import java.util.List;

/**
 * The score's timing arithmetic in one place: a tempo map (from a beat on, so many beats per
 * minute) and the conversion of beats to seconds through it, plus the beat grid every notation
 * snaps to. Shared by the compiler of every notation and by importers (MIDI, MusicXML), so that a
 * beat lands on the same second whichever way it was written. Immutable; thread-safe.
 */
public final class TempoMap {

    /**
     * Beats closer than this are the same instant: sums of fractions such as 1/3 + 2/3 and 1 are
     * snapped to a grid of this many beats, so a note's end and the next note's start compare equal.
     */
    public static final double BEAT_GRID = 1e-9;

    /**
     * One stretch of constant tempo.
     *
     * @param startBeat   where it starts, in beats from the start of the piece
     * @param startSecond where it starts, in seconds (at the tempi before it)
     * @param bpm         its tempo in beats per minute of the beat unit
     */
    public record Segment(double startBeat, double startSecond, double bpm) {
    }

    private final List<Segment> segments;

    private TempoMap(List<Segment> segments) {
        this.segments = List.copyOf(segments);
    }

    /** A map that starts at {@code bpm} (&gt; 0); add changes with the builder. */
    public static Builder startingAt(double bpm) {
        return new Builder(bpm);
    }

    /** Snaps a number of beats to the {@link #BEAT_GRID}. */
    public static double snap(double beats) {
        return Math.rint(beats * 1e9) / 1e9;
    }

    /** The tempo at beat 0, in beats per minute. */
    public double startBpm() {
        return segments.get(0).bpm();
    }

    /** The segments in order of beat; the first starts at beat 0, second 0. */
    public List<Segment> segments() {
        return segments;
    }

    /**
     * The time of a beat, in seconds from the start of the piece. A binary search over the
     * segments: an orchestral MIDI file has thousands of tempo changes and tens of thousands of notes.
     */
    public double seconds(double beat) {
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) { // the last segment that starts at or before the beat (the first when none does)
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).startBeat() <= beat) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        Segment seg = segments.get(lo);
        return seg.startSecond() + (beat - seg.startBeat()) * 60.0 / seg.bpm();
    }

    /** Builds a tempo map change by change, in order of beat. Not thread-safe. */
    public static final class Builder {
        private final List<Segment> segments = new ArrayList<>();

        private Builder(double bpm) {
            segments.add(new Segment(0, 0, requirePositive(bpm)));
        }

        /**
         * From {@code beat} on, the tempo is {@code bpm}. A change within {@link #BEAT_GRID} of the
         * previous one replaces its tempo.
         *
         * @throws IllegalArgumentException when the beat lies before the previous change or the
         *                                  tempo is not a positive finite number
         */
        public Builder change(double beat, double bpm) {
            Segment last = segments.get(segments.size() - 1);
            if (!(beat >= last.startBeat())) {
                throw new IllegalArgumentException("tempo change at beat " + beat + " lies before beat " + last.startBeat());
            }
            requirePositive(bpm);
            double sec = last.startSecond() + (beat - last.startBeat()) * 60.0 / last.bpm();
            if (beat - last.startBeat() < BEAT_GRID) {
                segments.set(segments.size() - 1, new Segment(last.startBeat(), last.startSecond(), bpm));
            } else {
                segments.add(new Segment(beat, sec, bpm));
            }
            return this;
        }

        public TempoMap build() {
            return new TempoMap(segments);
        }

        private static double requirePositive(double bpm) {
            if (!(bpm > 0) || Double.isInfinite(bpm)) {
                throw new IllegalArgumentException("a tempo must be a positive number of beats per minute, not " + bpm);
            }
            return bpm;
        }
    }
}
