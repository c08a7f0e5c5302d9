package dev.concerto.director.live;

import dev.concerto.director.score.Temperament;
import dev.concerto.director.score.Tuning;
import java.util.Objects;

/**
 * How a MIDI key becomes a frequency: a transposition (octaves are 12 semitones of it), a tuning
 * over the MIDI keys (equal temperament at A4 = 440 Hz by default, or any of the score tunings,
 * e.g. Werckmeister III) and the pitch-bend range. Immutable; thread-safe.
 *
 * @param transposeSemitones added to every key before it is tuned, -48..48
 * @param tuning             a table over MIDI keys 0..127 (index = key)
 * @param bendRangeSemitones how far a full pitch bend moves a note, 0..24 semitones (2 is the MIDI default)
 */
public record KeyMapping(int transposeSemitones, Tuning tuning, double bendRangeSemitones) {

    /** The frequencies a player can sound (the wire's range, whole hertz). */
    public static final int MIN_HZ = 1;
    public static final int MAX_HZ = 20_000;
    public static final double DEFAULT_BEND_RANGE = 2;

    public KeyMapping {
        if (transposeSemitones < -48 || transposeSemitones > 48) {
            throw new IllegalArgumentException("transpose " + transposeSemitones + " is outside -48..48 semitones");
        }
        Objects.requireNonNull(tuning, "tuning");
        if (tuning.size() != 128 || !tuning.indexOfMidi(0).isPresent() || tuning.indexOfMidi(0).getAsInt() != 0) {
            throw new IllegalArgumentException("a live tuning covers MIDI keys 0..127, index = key");
        }
        if (!(bendRangeSemitones >= 0 && bendRangeSemitones <= 24)) {
            throw new IllegalArgumentException("pitch-bend range " + bendRangeSemitones + " is outside 0..24 semitones");
        }
    }

    /** Equal temperament, A4 = 440 Hz, no transposition, ±2 semitones of bend. */
    public static KeyMapping standard() {
        return of(Temperament.EQUAL, 440, 0, 0);
    }

    /**
     * A named tuning over every MIDI key.
     *
     * @param a4Hz  the reference A4 in hertz (415, 440, ...)
     * @param keyPc the tonic's pitch class for keyed temperaments (0 = C)
     */
    public static KeyMapping of(Temperament temperament, double a4Hz, int keyPc, int transposeSemitones) {
        return new KeyMapping(transposeSemitones, Tuning.named(temperament, 69, a4Hz, keyPc, 0, 127), DEFAULT_BEND_RANGE);
    }

    public KeyMapping withTranspose(int semitones) {
        return new KeyMapping(semitones, tuning, bendRangeSemitones);
    }

    public KeyMapping withBendRange(double semitones) {
        return new KeyMapping(transposeSemitones, tuning, semitones);
    }

    /**
     * The frequency of a key at a bend, or 0 when the transposed key is off the keyboard or the
     * frequency is outside {@value #MIN_HZ}..{@value #MAX_HZ} Hz.
     *
     * @param bend -1..1 (a full bend down to a full bend up)
     */
    public double hz(int key, double bend) {
        int k = key + transposeSemitones;
        if (k < 0 || k > 127) {
            return 0;
        }
        double f = tuning.hz(k) * Math.pow(2, bend * bendRangeSemitones / 12.0);
        return f >= MIN_HZ && f <= MAX_HZ ? f : 0;
    }
}
