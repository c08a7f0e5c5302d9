package dev.concerto.director.score;

/**
 * The tempi Concerto plays, defined once for everything that sets a tempo: a score's {@code bpm},
 * {@code dt} and tempo changes (checked where the score is read), {@code play}/{@code render
 * --tempo}, the engine and the GUI's tempo control. In beats per minute of the score's beat unit.
 *
 * <p>From 0.1 (a beat every 10 minutes: drones, and a 0.5 bpm score plays) to 2000 (a score
 * written in sixteenths at a brisk 500 quarters a minute). Beyond that a tempo is a typo, such as
 * {@code "dt": 1e-12} (1.9 trillion bpm), and would only flood the players with datagrams.
 * Stateless; thread-safe.
 */
public final class TempoRange {

    /** The slowest tempo, in beats per minute. */
    public static final double MIN_BPM = 0.1;
    /** The fastest tempo, in beats per minute. */
    public static final double MAX_BPM = 2000;

    private TempoRange() {
    }

    /** Whether {@code bpm} lies in {@link #MIN_BPM}..{@link #MAX_BPM} (NaN does not). */
    public static boolean contains(double bpm) {
        return bpm >= MIN_BPM && bpm <= MAX_BPM;
    }

    /** {@code bpm} moved into the range (NaN becomes {@link #MIN_BPM}). */
    public static double clamp(double bpm) {
        return bpm >= MIN_BPM ? Math.min(bpm, MAX_BPM) : MIN_BPM;
    }

    /** The range for messages: {@code "0.1..2000 bpm"}. */
    public static String text() {
        return ScoreCompiler.fmt(MIN_BPM) + ".." + ScoreCompiler.fmt(MAX_BPM) + " bpm";
    }
}
