package dev.concerto.director.score;

import static dev.concerto.director.score.ScoreCompiler.fmt;

import dev.concerto.director.score.CompileContext.RawNote;
import dev.concerto.director.score.ScoreDocument.Beats;
import dev.concerto.director.score.ScoreDocument.NoteRef;
import dev.concerto.director.score.ScoreDocument.PartSpec;
import java.util.List;
import java.util.Map;

/**
 * Written-out measures: per measure, per voice a string of {@code NOTE:BEATS} tokens
 * ({@code r} for a rest); every measure lasts the length of the time signature in force where it starts. Stateless; thread-safe.
 */
final class MeasurePartCompiler {

    private MeasurePartCompiler() {
    }

    /**
     * Adds a measures part starting at {@code cursor} beats.
     *
     * @return the beat where the part ends
     */
    static double compile(PartSpec part, FieldPath at, double cursor, MeterMap meters, CompileContext ctx)
            throws ScoreException {
        for (int m = 0; m < part.measures().size(); m++) {
            double perMeasure = meters.beatsPerMeasureAt(cursor);
            Map<String, String> measure = part.measures().get(m);
            FieldPath mat = at.field("measures").index(m);
            if (measure == null) {
                throw ctx.err(mat, "a measure may not be null (write {} for a measure of rest)");
            }
            for (Map.Entry<String, String> e : measure.entrySet()) {
                FieldPath vat = mat.field(e.getKey());
                List<RawNote> voice = ctx.voice(e.getKey(), vat);
                if (e.getValue() == null) {
                    throw ctx.err(vat, "write the voice's notes as a string such as \"C4:1 r:1/2 E4:1/2\"");
                }
                double t = 0;
                for (String token : e.getValue().trim().split("\\s+")) {
                    if (!token.isEmpty()) {
                        t += token(token, cursor + t, voice, vat, ctx);
                    }
                }
                if (t > perMeasure + TempoMap.BEAT_GRID) {
                    throw ctx.err(vat, "voice '" + e.getKey() + "' lasts " + fmt(t) + " beats but a measure has " + fmt(perMeasure));
                }
            }
            cursor += perMeasure;
        }
        return cursor;
    }

    /** Adds one {@code NOTE:BEATS} token at {@code start}; returns its length in beats. */
    private static double token(String token, double start, List<RawNote> voice, FieldPath vat, CompileContext ctx)
            throws ScoreException {
        int colon = token.lastIndexOf(':');
        if (colon <= 0 || colon == token.length() - 1) {
            throw ctx.err(vat, "token '" + token + "' is not NOTE:BEATS (e.g. C4:1/4, 27:0.25, r:1)");
        }
        String note = token.substring(0, colon);
        double d;
        try {
            d = Beats.parse(token.substring(colon + 1));
        } catch (IllegalArgumentException ex) {
            throw ctx.err(vat, "token '" + token + "': " + ex.getMessage());
        }
        if (!(d > 0) || Double.isInfinite(d)) {
            throw ctx.err(vat, "token '" + token + "': a duration must be > 0 beats, not " + fmt(d));
        }
        if (!note.equalsIgnoreCase("r") && !note.equalsIgnoreCase("rest")) {
            NoteRef ref = note.matches("-?\\d{1,9}") ? NoteRef.ofIndex(Integer.parseInt(note)) : NoteRef.ofName(note);
            ctx.add(voice, start, d, ctx.index(ref, vat), vat);
        }
        return d;
    }
}
