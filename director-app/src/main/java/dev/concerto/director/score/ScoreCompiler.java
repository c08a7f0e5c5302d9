package dev.concerto.director.score;

import dev.concerto.director.score.ScoreDocument.FigureSpec;
import dev.concerto.director.score.ScoreDocument.PartSpec;
import java.util.Locale;
import java.util.Map;

/**
 * Compiles a {@link Score} to a {@link Timeline}: reads the tone table ({@link TuningCompiler}) and
 * the tempo map and time signatures ({@link TempoCompiler}), lays out each part through the compiler of its
 * notation ({@link ChordPartCompiler}, {@link MeasurePartCompiler}, {@link EventPartCompiler}) in
 * beats, and converts beats to seconds and checks the result ({@link TimelineBuilder}: monophonic
 * voices, every voice used). Pure and deterministic: the same score gives an equal timeline.
 * Stateless; thread-safe.
 */
public final class ScoreCompiler {

    /** No single time or length in a score may exceed this many beats (about 4.6 hours at 60 bpm). */
    static final double MAX_BEATS = 1_000_000;

    private ScoreCompiler() {
    }

    /**
     * Compiles the score; the exception names the file, line, column and field of the first problem.
     * A score compiles to the same timeline every time, so the first one is kept with the score.
     */
    public static Timeline compile(Score score) throws ScoreException {
        Timeline known = score.compiled();
        if (known != null) {
            return known;
        }
        Timeline t = compileDocument(score);
        score.keep(t);
        return t;
    }

    private static Timeline compileDocument(Score score) throws ScoreException {
        ScoreDocument doc = score.document();
        ScoreSource src = score.source();
        if (doc.title() == null || doc.title().isBlank()) {
            throw src.error(FieldPath.ROOT, "missing field 'title'");
        }
        CompileContext ctx = new CompileContext(src, TuningCompiler.compile(doc, src),
                index -> TuningCompiler.originOf(doc, index));
        TempoMap tempo = TempoCompiler.map(doc, src);
        MeterMap meters = TempoCompiler.meters(doc, src);
        ctx.declareVoices(doc.voices());
        Map<String, FigureSpec> figures = doc.figures() == null ? Map.of() : doc.figures();
        if (doc.parts() == null || doc.parts().isEmpty()) {
            throw src.error(FieldPath.ROOT.field("parts"), "the score has no parts (write chords, measures or events)");
        }
        double cursor = 0;
        for (int i = 0; i < doc.parts().size(); i++) {
            PartSpec part = doc.parts().get(i);
            FieldPath at = FieldPath.ROOT.field("parts").index(i);
            if (part == null) {
                throw src.error(at, "a part may not be null");
            }
            int kinds = (part.chords() != null ? 1 : 0) + (part.measures() != null ? 1 : 0) + (part.events() != null ? 1 : 0);
            if (kinds != 1) {
                throw src.error(at, "a part has exactly one of 'chords', 'measures' or 'events' (this one has " + kinds + ")");
            }
            if (part.chords() != null) {
                cursor = ChordPartCompiler.compile(part, at, cursor, figures, ctx);
            } else if (part.measures() != null) {
                cursor = MeasurePartCompiler.compile(part, at, cursor, meters, ctx);
            } else {
                cursor = EventPartCompiler.compile(part, at, cursor, ctx);
            }
        }
        return TimelineBuilder.build(doc, ctx, tempo, meters, cursor);
    }

    /** The score's tone table. */
    public static Tuning tuning(Score score) throws ScoreException {
        return TuningCompiler.compile(score.document(), score.source());
    }

    /** The tempo in force, as beats per minute of the beat unit, resolved from bpm or dt. */
    public static double nominalBpm(Score score) throws ScoreException {
        return TempoCompiler.map(score.document(), score.source()).startBpm();
    }

    /** The beat unit (4 = quarter note). */
    public static int beatUnit(Score score) {
        return TempoCompiler.beatUnit(score.document());
    }

    /** A number for messages: whole numbers without a fraction, others with up to 6 significant digits. */
    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String g = String.format(Locale.ROOT, "%.6g", v);
        return g.contains("e") ? g.replaceAll("\\.?0+e", "e") : g.replaceAll("\\.?0+$", "");
    }
}
