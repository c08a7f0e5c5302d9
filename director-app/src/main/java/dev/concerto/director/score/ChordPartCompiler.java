package dev.concerto.director.score;

import dev.concerto.director.score.CompileContext.RawNote;
import dev.concerto.director.score.ScoreDocument.ChordSpec;
import dev.concerto.director.score.ScoreDocument.FigureSpec;
import dev.concerto.director.score.ScoreDocument.FigureStep;
import dev.concerto.director.score.ScoreDocument.PartSpec;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The 2017 notation: a chord sequence played through a named figure (which voice sounds which
 * chord tone at which step), each chord repeated, optionally followed by a silence on every voice
 * (the ancestor's {@code stop()}) and a rest. Stateless; thread-safe.
 */
final class ChordPartCompiler {

    private ChordPartCompiler() {
    }

    /** A figure resolved once: per step its voice, chord tone, start step and length in steps. */
    private record Figure(List<RawNote>[] voice, int[] tone, int[] startStep, int[] len, int length, double step) {
        int size() {
            return tone.length;
        }
    }

    /**
     * Adds a chords part starting at {@code cursor} beats.
     *
     * @return the beat where the part ends
     */
    static double compile(PartSpec part, FieldPath at, double cursor, Map<String, FigureSpec> figures, CompileContext ctx)
            throws ScoreException {
        if (part.figure() == null) {
            throw ctx.err(at, "a chords part needs a 'figure'");
        }
        FigureSpec fig = figures.get(part.figure());
        if (fig == null && figures.containsKey(part.figure())) {
            throw ctx.err(FieldPath.ROOT.field("figures").field(part.figure()), "figure '" + part.figure() + "' is null");
        }
        if (fig == null) {
            throw ctx.err(at.field("figure"), "unknown figure '" + part.figure() + "' (" + (figures.isEmpty()
                    ? "the score defines no figures" : "defined: " + String.join(", ", figures.keySet())) + ")");
        }
        Figure f = resolve(part.figure(), fig, ctx);
        int n = f.size();
        int repeat = part.repeat() == null ? 1 : part.repeat();
        if (repeat < 1) {
            throw ctx.err(at.field("repeat"), "repeat must be >= 1, not " + repeat);
        }
        double rest = part.restBeats() == null ? 0 : ctx.positive(part.restBeats(), at.field("restBeats"), "restBeats", true);
        boolean stop = part.stop() != null && part.stop();
        if (part.chords().isEmpty()) {
            throw ctx.err(at.field("chords"), "a chords part needs at least one chord");
        }
        for (int k = 0; k < part.chords().size(); k++) {
            ChordSpec chord = part.chords().get(k);
            FieldPath cat = at.field("chords").index(k);
            if (chord == null || chord.tones().isEmpty()) {
                throw ctx.err(cat, "an empty chord");
            }
            int[] idx = new int[chord.tones().size()];
            for (int q = 0; q < idx.length; q++) {
                idx[q] = ctx.index(chord.tones().get(q), chord.text() != null ? cat : cat.index(q));
            }
            for (int j = 0; j < n; j++) {
                if (f.tone()[j] >= idx.length) {
                    throw ctx.err(cat, "figure '" + part.figure() + "' plays chord tone '" + (char) ('a' + f.tone()[j])
                            + "' (figures." + part.figure() + ".steps[" + j + "]) but this chord has only "
                            + idx.length + " tones (a.." + (char) ('a' + idx.length - 1) + ")");
                }
            }
            for (int r = 0; r < repeat; r++) {
                double base = cursor + r * f.length() * f.step();
                for (int j = 0; j < n; j++) {
                    ctx.add(f.voice()[j], base + f.startStep()[j] * f.step(), f.len()[j] * f.step(), idx[f.tone()[j]], cat);
                }
            }
            cursor += repeat * f.length() * f.step();
            if (stop) {
                for (List<RawNote> v : ctx.notesByVoice().values()) {
                    ctx.addSilence(v, cursor, cat);
                }
            }
            cursor += rest;
        }
        return cursor;
    }

    private static Figure resolve(String name, FigureSpec fig, CompileContext ctx) throws ScoreException {
        FieldPath fat = FieldPath.ROOT.field("figures").field(name);
        double step = ctx.positive(fig.stepBeats(), fat.field("stepBeats"), "stepBeats", false);
        if (fig.steps() == null || fig.steps().isEmpty()) {
            throw ctx.err(fat.field("steps"), "a figure needs at least one step");
        }
        int n = fig.steps().size();
        List<RawNote>[] fv = newArray(n);
        int[] tone = new int[n];
        int[] startStep = new int[n];
        int[] len = new int[n];
        int next = 0;
        int end = 0;
        for (int j = 0; j < n; j++) {
            FigureStep s = fig.steps().get(j);
            FieldPath sat = fat.field("steps").index(j);
            if (s == null || s.voice() == null || s.tone() == null) {
                throw ctx.err(sat, "a figure step needs 'voice' and 'tone'");
            }
            fv[j] = ctx.voice(s.voice(), sat.field("voice"));
            String t = s.tone().trim().toLowerCase(Locale.ROOT);
            if (t.length() != 1 || t.charAt(0) < 'a' || t.charAt(0) > 'z') {
                throw ctx.err(sat.field("tone"), "a chord tone is a letter: a = the chord's first tone, b the second, ... (not '" + s.tone() + "')");
            }
            tone[j] = t.charAt(0) - 'a';
            startStep[j] = s.at() == null ? next : s.at();
            if (startStep[j] < 0) {
                throw ctx.err(sat.field("at"), "a step position must be >= 0, not " + startStep[j]);
            }
            len[j] = s.steps() == null ? 1 : s.steps();
            if (len[j] <= 0) {
                throw ctx.err(sat.field("steps"), "a step must last >= 1 steps, not " + len[j]);
            }
            next = startStep[j] + 1;
            end = Math.max(end, startStep[j] + len[j]);
        }
        int figLen = fig.length() == null ? end : fig.length();
        if (figLen < end) {
            throw ctx.err(fat.field("length"), "the figure's length (" + figLen + " steps) is shorter than its steps (" + end + ")");
        }
        return new Figure(fv, tone, startStep, len, figLen, step);
    }

    @SuppressWarnings("unchecked")
    private static List<RawNote>[] newArray(int n) {
        return (List<RawNote>[]) new List[n];
    }
}
