package dev.concerto.protocol;

/**
 * Tone-table arithmetic shared by the director and the players.
 *
 * <p>The ancestor's director builds its table with
 * {@code f=[round(55*2**(x/12)) for x in range(51)]}: index 0 is A1 (55 Hz), index 27 is C4
 * (262 Hz), index 50 is B5 (988 Hz). Pure functions; thread-safe.
 */
public final class ToneTable {

    /** The ancestor's base frequency, A1, in hertz. */
    public static final double ANCESTOR_BASE_HZ = 55.0;
    /** The ancestor's steps per octave. */
    public static final int ANCESTOR_STEPS_PER_OCTAVE = 12;
    /** The number of entries in the ancestor's table. */
    public static final int ANCESTOR_SIZE = 51;

    private ToneTable() {
    }

    /**
     * One entry of an equal-step table, unrounded: {@code baseHz * 2^(index / stepsPerOctave)}.
     *
     * @param baseHz         frequency of index 0, in hertz (&gt; 0)
     * @param stepsPerOctave steps per octave (&gt; 0)
     * @param index          any integer; negative indices lie below the base
     */
    public static double equalStep(double baseHz, int stepsPerOctave, int index) {
        if (!(baseHz > 0) || stepsPerOctave <= 0) {
            throw new IllegalArgumentException("need baseHz > 0 and stepsPerOctave > 0");
        }
        return baseHz * Math.pow(2.0, (double) index / stepsPerOctave);
    }

    /**
     * An equal-step table rounded to whole hertz as the ancestor rounds it. Python's {@code round}
     * rounds halves to even; {@link Math#rint} does the same, so the tables agree exactly.
     *
     * @return a new array of {@code size} frequencies in hertz
     */
    public static int[] roundedEqualSteps(double baseHz, int stepsPerOctave, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0");
        }
        int[] table = new int[size];
        for (int x = 0; x < size; x++) {
            table[x] = (int) Math.rint(equalStep(baseHz, stepsPerOctave, x));
        }
        return table;
    }

    /** The ancestor's 51-entry table, 55..988 Hz. A new array each call. */
    public static int[] ancestor() {
        return roundedEqualSteps(ANCESTOR_BASE_HZ, ANCESTOR_STEPS_PER_OCTAVE, ANCESTOR_SIZE);
    }

    /** The ancestor's table index of a MIDI note number: {@code idx = midi - 33} (A1 is MIDI 33). */
    public static int ancestorIndexOfMidi(int midiNote) {
        return midiNote - 33;
    }
}
