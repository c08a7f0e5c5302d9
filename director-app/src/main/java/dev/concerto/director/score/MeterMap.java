package dev.concerto.director.score;

import java.util.ArrayList;
import java.util.List;

/**
 * The time signatures of a piece and the measure boundaries they give: from each change's beat
 * on, measures of its length follow one another; a change starts a new measure even when the one
 * before it is not full (a pickup, a cadenza). Beats are of the score's beat unit. Immutable;
 * thread-safe.
 */
public final class MeterMap {

    /**
     * A stretch of one time signature.
     *
     * @param startBeat       where it starts, in beats from the start of the piece
     * @param beatsPerMeasure the length of its measures, in beats (&gt; 0)
     * @param meter           the signature as written, e.g. {@code "3/4"}
     */
    public record Segment(double startBeat, double beatsPerMeasure, String meter) {
    }

    /** Most beats a time signature may have. */
    public static final int MAX_NUMERATOR = 64;

    private final List<Segment> segments;

    /**
     * True for the time signatures a score may have: 1..{@value #MAX_NUMERATOR} beats of a whole,
     * half, quarter, eighth, 16th or 32nd note. Importers drop others (with a warning).
     */
    public static boolean supported(int numerator, int denominator) {
        return numerator > 0 && numerator <= MAX_NUMERATOR
                && (denominator == 1 || denominator == 2 || denominator == 4 || denominator == 8 || denominator == 16
                || denominator == 32);
    }

    private MeterMap(List<Segment> segments) {
        this.segments = List.copyOf(segments);
    }

    /** A single time signature for the whole piece. */
    public static MeterMap of(double beatsPerMeasure, String meter) {
        return builder(beatsPerMeasure, meter).build();
    }

    /** A map that starts with measures of {@code beatsPerMeasure}; add later changes with the builder. */
    public static Builder builder(double beatsPerMeasure, String meter) {
        return new Builder(beatsPerMeasure, meter);
    }

    /** The segments in order of beat; the first starts at beat 0. */
    public List<Segment> segments() {
        return segments;
    }

    /** The length in beats of a measure starting at {@code beat}: that of the signature in force there. */
    public double beatsPerMeasureAt(double beat) {
        Segment in = segments.get(0);
        for (Segment s : segments) {
            if (s.startBeat() <= beat + TempoMap.BEAT_GRID) {
                in = s;
            } else {
                break;
            }
        }
        return in.beatsPerMeasure();
    }

    /**
     * The start of every measure of a piece lasting {@code totalBeats}, in beats: at least one
     * (beat 0), and none at or after the end.
     */
    public List<Double> measureStarts(double totalBeats) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            double end = i + 1 < segments.size() ? segments.get(i + 1).startBeat() : Double.POSITIVE_INFINITY;
            end = Math.min(end, totalBeats);
            for (long m = 0; ; m++) {
                double at = s.startBeat() + m * s.beatsPerMeasure();
                if (out.isEmpty() || at < end - TempoMap.BEAT_GRID) {
                    out.add(at);
                } else {
                    break;
                }
            }
        }
        return out;
    }

    /** Builds a meter map change by change, in order of beat. Not thread-safe. */
    public static final class Builder {
        private final List<Segment> segments = new ArrayList<>();

        private Builder(double beatsPerMeasure, String meter) {
            segments.add(new Segment(0, requirePositive(beatsPerMeasure), meter));
        }

        /**
         * From {@code beat} on, measures last {@code beatsPerMeasure}; a change within
         * {@link TempoMap#BEAT_GRID} of the previous one replaces it.
         *
         * @throws IllegalArgumentException when the beat lies before the previous change or the
         *                                  length is not positive
         */
        public Builder change(double beat, double beatsPerMeasure, String meter) {
            Segment last = segments.get(segments.size() - 1);
            if (!(beat >= last.startBeat() - TempoMap.BEAT_GRID)) {
                throw new IllegalArgumentException("meter change at beat " + beat + " lies before beat " + last.startBeat());
            }
            Segment next = new Segment(Math.max(beat, last.startBeat()), requirePositive(beatsPerMeasure), meter);
            if (beat - last.startBeat() < TempoMap.BEAT_GRID) {
                segments.set(segments.size() - 1, next);
            } else {
                segments.add(next);
            }
            return this;
        }

        public MeterMap build() {
            return new MeterMap(segments);
        }

        private static double requirePositive(double beats) {
            if (!(beats > 0) || Double.isInfinite(beats)) {
                throw new IllegalArgumentException("a measure must last a positive number of beats, not " + beats);
            }
            return beats;
        }
    }
}
