package dev.concerto.director.score;

import static dev.concerto.director.score.ScoreCompiler.fmt;

import dev.concerto.director.score.ScoreDocument.TuningSpec;
import dev.concerto.protocol.ToneTable;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Reads a score's {@code tuning} into a {@link Tuning} (the tone table): the ancestor's formula,
 * an explicit list of frequencies, or a named temperament at a reference pitch, with located
 * errors. Stateless; thread-safe.
 */
final class TuningCompiler {

    /** The most entries a tone table has (a formula's count, a list's frequencies). */
    static final int MAX_ENTRIES = 1000;

    private TuningCompiler() {
    }

    /** The field that sets the frequency of table index {@code index}, for messages. */
    static String originOf(ScoreDocument doc, int index) {
        String type = doc.tuning() == null || doc.tuning().type() == null ? "" : doc.tuning().type().trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "formula" -> "tuning.baseHz and tuning.stepsPerOctave";
            case "list" -> "tuning.hz[" + index + "]";
            default -> "tuning.referenceHz";
        };
    }

    static Tuning compile(ScoreDocument doc, ScoreSource src) throws ScoreException {
        FieldPath at = FieldPath.ROOT.field("tuning");
        TuningSpec t = doc.tuning();
        if (t == null) {
            throw src.error(FieldPath.ROOT, "missing field 'tuning' (e.g. {\"type\": \"equal\"} or the ancestor's formula)");
        }
        String type = t.type() == null ? "" : t.type().trim().toLowerCase(Locale.ROOT);
        switch (type) {
            case "formula" -> {
                double base = t.baseHz() == null ? ToneTable.ANCESTOR_BASE_HZ : t.baseHz();
                int steps = t.stepsPerOctave() == null ? ToneTable.ANCESTOR_STEPS_PER_OCTAVE : t.stepsPerOctave();
                int count = t.count() == null ? ToneTable.ANCESTOR_SIZE : t.count();
                if (!(base > 0) || Double.isInfinite(base)) {
                    throw src.error(at.field("baseHz"), "baseHz must be > 0, not " + fmt(base));
                }
                if (steps <= 0) {
                    throw src.error(at.field("stepsPerOctave"), "stepsPerOctave must be > 0, not " + steps);
                }
                if (count <= 0 || count > MAX_ENTRIES) {
                    throw src.error(at.field("count"), "count must be 1.." + MAX_ENTRIES + ", not " + count);
                }
                int baseMidi = t.baseNote() != null ? midiOf(t.baseNote(), at.field("baseNote"), src)
                        : (int) Math.round(69 + 12 * Math.log(base / 440.0) / Math.log(2));
                return Tuning.formula(base, steps, count, t.round() == null || t.round(), baseMidi);
            }
            case "list" -> {
                if (t.hz() == null || t.hz().isEmpty()) {
                    throw src.error(at.field("hz"), "a list tuning needs a non-empty 'hz' array");
                }
                if (t.hz().size() > MAX_ENTRIES) {
                    throw src.error(at.field("hz"), "a list tuning has at most " + MAX_ENTRIES + " frequencies, not " + t.hz().size());
                }
                double[] hz = new double[t.hz().size()];
                for (int i = 0; i < hz.length; i++) {
                    Double f = t.hz().get(i);
                    if (f == null || !(f > 0) || Double.isInfinite(f)) {
                        throw src.error(at.field("hz").index(i), "a frequency must be > 0 Hz, not " + (f == null ? "null" : fmt(f)));
                    }
                    hz[i] = f;
                }
                int baseMidi = t.baseNote() == null ? Integer.MIN_VALUE : midiOf(t.baseNote(), at.field("baseNote"), src);
                return Tuning.list(hz, baseMidi);
            }
            default -> {
                Temperament temp = Temperament.byKey(type).orElseThrow(() -> src.error(at.field("type"),
                        "unknown tuning '" + t.type() + "' (known: formula, list, " + Temperament.knownKeys() + ")"));
                int refMidi = t.referenceNote() == null ? 69 : midiOf(t.referenceNote(), at.field("referenceNote"), src);
                double refHz = t.referenceHz() == null ? 440.0 : t.referenceHz();
                if (!(refHz > 0) || Double.isInfinite(refHz)) {
                    throw src.error(at.field("referenceHz"), "referenceHz must be > 0, not " + fmt(refHz));
                }
                int keyPc = 0;
                if (t.key() != null) {
                    OptionalInt pc = NoteNames.pitchClassOf(t.key());
                    if (pc.isEmpty()) {
                        throw src.error(at.field("key"), "unknown key '" + t.key() + "' (write C, F#, Bb, ...)");
                    }
                    keyPc = pc.getAsInt();
                }
                int low = t.lowest() == null ? 21 : midiOf(t.lowest(), at.field("lowest"), src);
                int high = t.highest() == null ? 108 : midiOf(t.highest(), at.field("highest"), src);
                if (high < low) {
                    throw src.error(at.field("highest"), "highest lies below lowest");
                }
                return Tuning.named(temp, refMidi, refHz, keyPc, low, high);
            }
        }
    }

    private static int midiOf(String name, FieldPath at, ScoreSource src) throws ScoreException {
        OptionalInt m = NoteNames.midiOf(name);
        if (m.isEmpty()) {
            throw src.error(at, "unknown note name '" + name + "' (write C4, F#3, Bb2, ...)");
        }
        return m.getAsInt();
    }
}
