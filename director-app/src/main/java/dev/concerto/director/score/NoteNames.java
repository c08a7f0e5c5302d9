package dev.concerto.director.score;

import java.util.Locale;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scientific pitch names ({@code C4} = middle C = MIDI 60, {@code F#3}, {@code Bb2}, {@code Ebb5})
 * to MIDI note numbers and back. Pure functions; thread-safe.
 */
public final class NoteNames {

    private static final Pattern NAME = Pattern.compile("([A-Ga-g])(##|#|bb|b|x|\u266f|\u266d)?(-?[0-9])");
    private static final int[] LETTER_PC = {9, 11, 0, 2, 4, 5, 7}; // A B C D E F G
    private static final String[] SHARP_NAMES = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};

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
        Matcher m = NAME.matcher(name.trim());
        if (!m.matches()) {
            return OptionalInt.empty();
        }
        int pc = LETTER_PC[Character.toUpperCase(m.group(1).charAt(0)) - 'A'];
        String acc = m.group(2) == null ? "" : m.group(2);
        int alter = switch (acc) {
            case "#", "\u266f" -> 1;
            case "##", "x" -> 2;
            case "b", "\u266d" -> -1;
            case "bb" -> -2;
            default -> 0;
        };
        int octave = Integer.parseInt(m.group(3));
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
        return SHARP_NAMES[Math.floorMod(midi, 12)] + (Math.floorDiv(midi, 12) - 1);
    }

    /** A name as written, normalised for display (first letter upper case). */
    static String normalise(String name) {
        String t = name.trim();
        return t.isEmpty() ? t : t.substring(0, 1).toUpperCase(Locale.ROOT) + t.substring(1);
    }
}
