package dev.concerto.director.score;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * Scientific pitch names ({@code C4} = middle C = MIDI 60, {@code F#3}, {@code Bb2}, {@code Ebb5})
 * to MIDI note numbers and back. Pure functions; thread-safe.
 */
public final class NoteNames {

    private static final int[] LETTER_PC = {9, 11, 0, 2, 4, 5, 7}; // A B C D E F G
    private static final String[] SHARP_NAMES = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};

    /** The names of MIDI notes 0..127, made once: every note of an imported file is named. */
    private static final String[] MIDI_NAMES = new String[128];

    static {
        for (int m = 0; m < MIDI_NAMES.length; m++) {
            MIDI_NAMES[m] = SHARP_NAMES[m % 12] + (m / 12 - 1);
        }
    }

    private NoteNames() {
    }

    /**
     * The MIDI note number of a name such as {@code C4}, {@code F#3}, {@code Bb2}; empty when the
     * text is not a note name. Octaves run from C to B, so {@code B#3} is MIDI 60 and {@code Cb4} 59.
     */
    public static OptionalInt midiOf(String name) {
        if (name == null) {
            return OptionalInt.empty();
        }
        // By hand rather than by regular expression: the compiler resolves every note of an imported file here.
        String t = name.trim();
        int n = t.length();
        if (n < 2) {
            return OptionalInt.empty();
        }
        char letter = Character.toUpperCase(t.charAt(0));
        if (letter < 'A' || letter > 'G') {
            return OptionalInt.empty();
        }
        int pc = LETTER_PC[letter - 'A'];
        int at = 1;
        int alter = 0;
        char c = t.charAt(at);
        if (c == '#' || c == '\u266f') {
            alter = 1;
            at++;
            if (c == '#' && at < n && t.charAt(at) == '#') {
                alter = 2;
                at++;
            }
        } else if (c == 'x') {
            alter = 2;
            at++;
        } else if (c == 'b' || c == '\u266d') {
            alter = -1;
            at++;
            if (c == 'b' && at < n && t.charAt(at) == 'b') {
                alter = -2;
                at++;
            }
        }
        boolean negative = at < n && t.charAt(at) == '-';
        if (negative) {
            at++;
        }
        if (at != n - 1 || t.charAt(at) < '0' || t.charAt(at) > '9') {
            return OptionalInt.empty();
        }
        int octave = negative ? -(t.charAt(at) - '0') : t.charAt(at) - '0';
        return OptionalInt.of((octave + 1) * 12 + pc + alter);
    }

    /** The pitch class (0 = C .. 11 = B) of a key name such as {@code C}, {@code F#}, {@code Bb}; empty if unknown. */
    public static OptionalInt pitchClassOf(String key) {
        if (key == null) {
            return OptionalInt.empty();
        }
        OptionalInt midi = midiOf(key.trim() + "4");
        return midi.isPresent() ? OptionalInt.of(Math.floorMod(midi.getAsInt(), 12)) : OptionalInt.empty();
    }

    /** A display name for a MIDI note number: {@code 60 -> "C4"}, {@code 70 -> "Bb4"}, {@code 66 -> "F#4"}. */
    public static String nameOf(int midi) {
        if (midi >= 0 && midi < MIDI_NAMES.length) {
            return MIDI_NAMES[midi];
        }
        return SHARP_NAMES[Math.floorMod(midi, 12)] + (Math.floorDiv(midi, 12) - 1);
    }

    /** A name as written, normalised for display (first letter upper case). */
    static String normalise(String name) {
        String t = name.trim();
        return t.isEmpty() ? t : t.substring(0, 1).toUpperCase(Locale.ROOT) + t.substring(1);
    }
}
