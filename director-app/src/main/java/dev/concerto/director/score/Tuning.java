package dev.concerto.director.score;

import dev.concerto.protocol.ToneTable;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * A tone table: index to frequency, and (where the table is laid in semitones) note name to index.
 * Immutable; thread-safe.
 */
public final class Tuning {

    private final double[] hz;
    /** MIDI note number of index 0, or {@code Integer.MIN_VALUE} when names cannot address the table. */
    private final int baseMidi;
    private final String description;

    private Tuning(double[] hz, int baseMidi, String description) {
        this.hz = hz;
        this.baseMidi = baseMidi;
        this.description = description;
    }

    /**
     * The ancestor's formula {@code [round(base*2**(x/steps)) for x in range(count)]}.
     *
     * @param baseHz         frequency of index 0 (&gt; 0)
     * @param stepsPerOctave steps per octave (&gt; 0); names address the table only with 12
     * @param count          number of entries (&gt; 0)
     * @param round          round to whole hertz as the ancestor does (halves to even)
     * @param baseMidi       MIDI note of index 0, used to resolve names; ignored unless 12 steps
     */
    public static Tuning formula(double baseHz, int stepsPerOctave, int count, boolean round, int baseMidi) {
        double[] t = new double[count];
        for (int x = 0; x < count; x++) {
            double f = ToneTable.equalStep(baseHz, stepsPerOctave, x);
            t[x] = round ? Math.rint(f) : f;
        }
        String d = String.format(java.util.Locale.ROOT, "formula %s*2^(x/%d), %d entries%s",
                trim(baseHz), stepsPerOctave, count, round ? ", rounded to whole Hz" : "");
        return new Tuning(t, stepsPerOctave == 12 ? baseMidi : Integer.MIN_VALUE, d);
    }

    /** An explicit list of frequencies; names resolve as semitones from {@code baseMidi} (or not at all if MIN_VALUE). */
    public static Tuning list(double[] hz, int baseMidi) {
        return new Tuning(hz.clone(), baseMidi, "explicit list of " + hz.length + " frequencies");
    }

    /**
     * A named tuning covering MIDI notes {@code lowMidi..highMidi}, index 0 being {@code lowMidi}.
     *
     * @param temperament the cents table
     * @param refMidi     the reference note (69 = A4)
     * @param refHz       its frequency (440, 415, ...)
     * @param keyPc       pitch class of the tonic (0 = C) for keyed temperaments
     */
    public static Tuning named(Temperament temperament, int refMidi, double refHz, int keyPc, int lowMidi, int highMidi) {
        int tonic = temperament.keyed() ? keyPc : 0;
        double[] t = new double[highMidi - lowMidi + 1];
        double refCents = centsOf(temperament, tonic, refMidi);
        for (int m = lowMidi; m <= highMidi; m++) {
            t[m - lowMidi] = refHz * Math.pow(2.0, (centsOf(temperament, tonic, m) - refCents) / 1200.0);
        }
        String d = temperament.key() + (temperament.keyed() ? " in " + NoteNames.nameOf(tonic).replaceAll("-?\\d", "") : "")
                + ", " + NoteNames.nameOf(refMidi) + " = " + trim(refHz) + " Hz, "
                + NoteNames.nameOf(lowMidi) + ".." + NoteNames.nameOf(highMidi);
        return new Tuning(t, lowMidi, d);
    }

    private static double centsOf(Temperament t, int tonic, int midi) {
        int rel = midi - tonic;
        return 1200.0 * Math.floorDiv(rel, 12) + t.cents(Math.floorMod(rel, 12));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Number of entries. */
    public int size() {
        return hz.length;
    }

    /** Frequency in hertz of an index in {@code 0..size()-1}. */
    public double hz(int index) {
        return hz[index];
    }

    /** A copy of the whole table, in hertz. */
    public double[] frequencies() {
        return hz.clone();
    }

    /** Whether note names can address this table (it is laid in semitones from a known note). */
    public boolean acceptsNames() {
        return baseMidi != Integer.MIN_VALUE;
    }

    /** The index of a MIDI note number, or empty when names do not apply or the note is outside the table. */
    public OptionalInt indexOfMidi(int midi) {
        if (!acceptsNames()) {
            return OptionalInt.empty();
        }
        int i = midi - baseMidi;
        return i >= 0 && i < hz.length ? OptionalInt.of(i) : OptionalInt.empty();
    }

    /** The display name of an index: its note name when names apply, else {@code "#i"}. */
    public String nameOfIndex(int index) {
        return acceptsNames() ? NoteNames.nameOf(baseMidi + index) : "#" + index;
    }

    /** The range of names, e.g. {@code "A1..B5"}, or the index range. */
    public String range() {
        return nameOfIndex(0) + ".." + nameOfIndex(hz.length - 1);
    }

    /** One line for people: the kind of table and its range. */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description + " " + Arrays.toString(hz);
    }
}
