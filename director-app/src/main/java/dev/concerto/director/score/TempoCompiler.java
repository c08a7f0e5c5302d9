package dev.concerto.director.score;

import static dev.concerto.director.score.ScoreCompiler.fmt;

import dev.concerto.director.score.ScoreDocument.TempoChange;
import dev.concerto.director.score.ScoreDocument.TempoSpec;

/**
 * Reads a score's {@code tempo} and {@code meter} into a {@link TempoMap} and the length of a
 * measure, with located errors. Stateless; thread-safe.
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
            bpm = t.bpm();
            if (!(bpm > 0) || bpm > 2000) {
                throw src.error(at.field("bpm"), "bpm must be in (0, 2000], not " + fmt(bpm));
            }
        } else if (t.dt() != null) {
            double dt = t.dt();
            if (!(dt > 0) || dt > 10) {
                throw src.error(at.field("dt"), "dt must be in (0, 10] seconds, not " + fmt(dt));
            }
            // The ancestor's note() sleeps 8*dt per sixteenth; a beat of unit u holds 16/u sixteenths.
            bpm = 60.0 / (8.0 * dt * 16.0 / unit);
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
                if (!(beat >= lastBeat) || beat > ScoreCompiler.MAX_BEATS) {
                    throw src.error(ci.field("beat"), "tempo changes must be in order of beat (" + beat + " < " + lastBeat + ")");
                }
                if (!(c.bpm() > 0) || c.bpm() > 2000) {
                    throw src.error(ci.field("bpm"), "bpm must be in (0, 2000], not " + fmt(c.bpm()));
                }
                map.change(beat, c.bpm());
                if (beat - lastBeat >= TempoMap.BEAT_GRID) {
                    lastBeat = beat;
                }
            }
        }
        return map.build();
    }

    /** The length of a measure in beats, from {@code meter} (default 4/4) and the beat unit. */
    static double beatsPerMeasure(ScoreDocument doc, ScoreSource src) throws ScoreException {
        String meter = doc.meter() == null ? "4/4" : doc.meter().trim();
        String[] p = meter.split("/");
        try {
            if (p.length == 2) {
                int num = Integer.parseInt(p[0].trim());
                int den = Integer.parseInt(p[1].trim());
                if (num > 0 && num <= 64 && (den == 1 || den == 2 || den == 4 || den == 8 || den == 16 || den == 32)) {
                    return num * (double) beatUnit(doc) / den;
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw src.error(FieldPath.ROOT.field("meter"),
                "meter must be a time signature such as \"4/4\" or \"3/8\", not \"" + meter + "\"");
    }
}
