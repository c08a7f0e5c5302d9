package dev.concerto.director.score;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Named tunings of the twelve pitch classes, as cents above the tonic (published tables).
 *
 * <p>Werckmeister III and Kirnberger III are temperaments of a keyboard tuned from C: their table
 * is always laid from C, whatever the score's key. Pythagorean and just intonation are laid from
 * the score's key (their tonic), so "just in D" has pure thirds on D.
 */
public enum Temperament {
    /** Twelve equal semitones of 100 cents. */
    EQUAL("equal", false, cents(0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100)),
    /**
     * Werckmeister III (1691; "Werckmeister I (III)" in modern numbering): four fifths (C-G-D-A and
     * B-F#) narrowed by a quarter of the Pythagorean comma, the rest pure.
     */
    WERCKMEISTER_III("werckmeister3", false, new double[] {
            0, 90.225, 192.180, 294.135, 390.225, 498.045, 588.270, 696.090, 792.180, 888.270, 996.090, 1092.180}),
    /** Kirnberger III (1779): pure C-E third, C-G-D-A narrowed by a quarter of the syntonic comma, F#-C# by a schisma. */
    KIRNBERGER_III("kirnberger3", false, new double[] {
            0, 90.225, 193.157, 294.135, 386.314, 498.045, 590.224, 696.578, 792.180, 889.735, 996.090, 1088.269}),
    /** Pythagorean: pure 3:2 fifths from the minor second to the augmented fourth (wolf between them). */
    PYTHAGOREAN("pythagorean", true, ratios(1, 1, 256, 243, 9, 8, 32, 27, 81, 64, 4, 3, 729, 512, 3, 2, 128, 81, 27, 16, 16, 9, 243, 128)),
    /** Five-limit just intonation (the symmetric scale with 16:9 minor seventh, 45:32 tritone). */
    JUST("just", true, ratios(1, 1, 16, 15, 9, 8, 6, 5, 5, 4, 4, 3, 45, 32, 3, 2, 8, 5, 5, 3, 16, 9, 15, 8));

    private final String key;
    private final boolean keyed;
    private final double[] cents;

    Temperament(String key, boolean keyed, double[] cents) {
        this.key = key;
        this.keyed = keyed;
        this.cents = cents;
    }

    /** The name used in score files ({@code "werckmeister3"}, ...). */
    public String key() {
        return key;
    }

    /** Whether the table is laid from the score's key (true) or always from C (false). */
    public boolean keyed() {
        return keyed;
    }

    /** Cents above the tonic of pitch class {@code step} (0..11) of the table. */
    public double cents(int step) {
        return cents[step];
    }

    /** The temperament of that file name, case-insensitive; accepts a few common aliases. */
    public static Optional<Temperament> byKey(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "");
        switch (n) {
            case "equal", "12tet", "et", "equaltemperament" -> {
                return Optional.of(EQUAL);
            }
            case "werckmeister3", "werckmeisteriii", "werckmeister" -> {
                return Optional.of(WERCKMEISTER_III);
            }
            case "kirnberger3", "kirnbergeriii", "kirnberger" -> {
                return Optional.of(KIRNBERGER_III);
            }
            case "pythagorean" -> {
                return Optional.of(PYTHAGOREAN);
            }
            case "just", "justintonation" -> {
                return Optional.of(JUST);
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** The file names of all temperaments, for error messages. */
    public static String knownKeys() {
        return String.join(", ", Arrays.stream(values()).map(Temperament::key).toList());
    }

    private static double[] cents(double... c) {
        return c;
    }

    private static double[] ratios(int... numDen) {
        double[] c = new double[numDen.length / 2];
        for (int i = 0; i < c.length; i++) {
            c[i] = 1200.0 * Math.log((double) numDen[2 * i] / numDen[2 * i + 1]) / Math.log(2.0);
        }
        return c;
    }
}
