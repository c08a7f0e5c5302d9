package dev.concerto.director.score;

import static dev.concerto.director.score.ScoreCompiler.fmt;

import dev.concerto.director.score.ScoreDocument.TempoChange;
import dev.concerto.director.score.ScoreDocument.TempoSpec;

/**
 * Reads a score's {@code tempo} into a {@link TempoMap} and its {@code meter} and
 * {@code meterChanges} into a {@link MeterMap}, with located errors. Stateless; thread-safe.
 */
final class TempoCompiler {

    private TempoCompiler() {
    }

    /** The beat unit (4 = quarter note); 4 when the score does not say. */
    static int beatUnit(ScoreDocument doc) {
        TempoSpec t = doc.tempo();
        return t == null || t.beatUnit() == null ? 4 : t.beatUnit();
    }

    /** The tempo map from {@code bpm} or the ancestor's {@code dt}, and {@code changes}. */
    static TempoMap map(ScoreDocument doc, ScoreSource src) throws ScoreException {
        FieldPath at = FieldPath.ROOT.field("tempo");
        TempoSpec t = doc.tempo();
        if (t == null) {
            throw src.error(FieldPath.ROOT, "missing field 'tempo' (e.g. {\"bpm\": 66, \"beatUnit\": 4} or {\"dt\": 0.025})");
        }
        int unit = beatUnit(doc);
        if (unit != 1 && unit != 2 && unit != 4 && unit != 8 && unit != 16 && unit != 32) {
            throw src.error(at.field("beatUnit"), "beatUnit must be 1, 2, 4, 8, 16 or 32 (4 = quarter note), not " + unit);
        }
        double bpm;
        if (t.bpm() != null && t.dt() != null) {
            throw src.error(at, "give either 'bpm' or 'dt', not both");
        } else if (t.bpm() != null) {
            bpm = checkedBpm(t.bpm(), at.field("bpm"), src);
        } else if (t.dt() != null) {
            double dt = t.dt();
            if (!(dt > 0) || Double.isInfinite(dt)) {
                throw src.error(at.field("dt"), "dt must be a positive number of seconds, not " + fmt(dt));
            }
            bpm = bpmOfDt(dt, unit);
            if (!TempoRange.contains(bpm)) {
                throw src.error(at.field("dt"), "dt " + fmt(dt) + " s makes " + fmt(bpm) + " bpm (a sixteenth lasts 8*dt); "
                        + "the tempo must be " + TempoRange.text() + ", which is dt " + fmt(dtOfBpm(TempoRange.MAX_BPM, unit))
                        + ".." + fmt(dtOfBpm(TempoRange.MIN_BPM, unit)) + " s at beatUnit " + unit);
            }
        } else {
            throw src.error(at, "the tempo needs 'bpm' (with 'beatUnit') or the ancestor's 'dt'");
        }
        TempoMap.Builder map = TempoMap.startingAt(bpm);
        double lastBeat = 0;
        if (t.changes() != null) {
            for (int i = 0; i < t.changes().size(); i++) {
                TempoChange c = t.changes().get(i);
                FieldPath ci = at.field("changes").index(i);
                if (c == null || c.beat() == null || c.bpm() == null) {
                    throw src.error(ci, "a tempo change needs 'beat' and 'bpm'");
                }
                double beat = c.beat().value();
                if (!(beat >= lastBeat)) {
                    throw src.error(ci.field("beat"), "tempo changes must be in order of beat (" + beat + " < " + lastBeat + ")");
                }
                if (beat > ScoreCompiler.MAX_BEATS) {
                    throw src.error(ci.field("beat"), "a tempo change must be at most " + fmt(ScoreCompiler.MAX_BEATS)
                            + " beats in, not " + fmt(beat));
                }
                map.change(beat, checkedBpm(c.bpm(), ci.field("bpm"), src));
                if (beat - lastBeat >= TempoMap.BEAT_GRID) {
                    lastBeat = beat;
                }
            }
        }
        return map.build();
    }

    private static double checkedBpm(double bpm, FieldPath at, ScoreSource src) throws ScoreException {
        if (!TempoRange.contains(bpm)) {
            throw src.error(at, "bpm " + fmt(bpm) + " is outside " + TempoRange.text());
        }
        return bpm;
    }

    /** The ancestor's note() sleeps 8*dt per sixteenth; a beat of unit u holds 16/u sixteenths. */
    private static double bpmOfDt(double dt, int unit) {
        return 60.0 / (8.0 * dt * 16.0 / unit);
    }

    private static double dtOfBpm(double bpm, int unit) {
        return 60.0 / (8.0 * bpm * 16.0 / unit);
    }

    /**
     * The time signatures: {@code meter} (default 4/4) from the start, then each of
     * {@code meterChanges}, in beats of the beat unit.
     */
    static MeterMap meters(ScoreDocument doc, ScoreSource src) throws ScoreException {
        String first = doc.meter() == null ? "4/4" : doc.meter().trim();
        MeterMap.Builder map = MeterMap.builder(beatsPerMeasure(first, doc, src, FieldPath.ROOT.field("meter")), first);
        if (doc.meterChanges() != null) {
            double lastBeat = 0;
            for (int i = 0; i < doc.meterChanges().size(); i++) {
                ScoreDocument.MeterChange c = doc.meterChanges().get(i);
                FieldPath ci = FieldPath.ROOT.field("meterChanges").index(i);
                if (c == null || c.beat() == null || c.meter() == null) {
                    throw src.error(ci, "a meter change needs 'beat' and 'meter' (e.g. {\"beat\": 24, \"meter\": \"4/4\"})");
                }
                double beat = c.beat().value();
                if (!(beat >= lastBeat)) {
                    throw src.error(ci.field("beat"), "meter changes must be in order of beat (" + fmt(beat) + " < "
                            + fmt(lastBeat) + ")");
                }
                if (beat > ScoreCompiler.MAX_BEATS) {
                    throw src.error(ci.field("beat"), "a meter change must be at most " + fmt(ScoreCompiler.MAX_BEATS)
                            + " beats in, not " + fmt(beat));
                }
                String meter = c.meter().trim();
                map.change(beat, beatsPerMeasure(meter, doc, src, ci.field("meter")), meter);
                lastBeat = beat;
            }
        }
        return map.build();
    }

    /** The length of a measure of {@code meter} in beats of the score's beat unit. */
    private static double beatsPerMeasure(String meter, ScoreDocument doc, ScoreSource src, FieldPath at)
            throws ScoreException {
        String[] p = meter.split("/");
        try {
            if (p.length == 2) {
                int num = Integer.parseInt(p[0].trim());
                int den = Integer.parseInt(p[1].trim());
                if (MeterMap.supported(num, den)) {
                    return num * (double) beatUnit(doc) / den;
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw src.error(at, "meter must be a time signature such as \"4/4\" or \"3/8\", not \"" + meter + "\"");
    }
}
