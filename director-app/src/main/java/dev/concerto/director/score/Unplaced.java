package dev.concerto.director.score;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A note of an imported file (MIDI or MusicXML) that no voice plays. Immutable; thread-safe.
 *
 * @param origin       where it is in the file, for people: {@code "track 2, channel 1"}, {@code "part Alto"}
 * @param midiNote     MIDI note number (may lie outside 0..127 for {@link Cause#OUT_OF_RANGE})
 * @param startBeats   onset in quarter-note beats
 * @param startSeconds onset in seconds through the tempo map
 * @param cause        why, as a category (the {@code check} summary counts by it)
 * @param detail       why, for people
 */
public record Unplaced(String origin, int midiNote, double startBeats, double startSeconds, Cause cause, String detail) {

    /** Why a note is not played. */
    public enum Cause {
        /** Drums: MIDI channel 10, or an unpitched MusicXML note. */
        PERCUSSION("drum channel / unpitched"),
        /** Every player was busy, or no player was left for its track, channel or part. */
        NO_FREE_PLAYER("no free player"),
        /** The note ends where it starts (MIDI note-off at its onset). */
        ZERO_LENGTH("zero length"),
        /** The pitch is outside MIDI notes 0..127 (C-1..G9). */
        OUT_OF_RANGE("out of range");

        private final String label;

        Cause(String label) {
            this.label = label;
        }

        /** The words used in reports, e.g. {@code "no free player"}. */
        public String label() {
            return label;
        }
    }

    /** The note's name, e.g. {@code E3}, or {@code midi 130} outside the named range. */
    public String noteName() {
        return midiNote >= 0 && midiNote <= 127 ? NoteNames.nameOf(midiNote) : "midi " + midiNote;
    }

    @Override
    public String toString() {
        // Built by hand: a large file can have tens of thousands of these (String.format is slow).
        return "unplaced " + noteName() + " (" + origin + ") at beat " + decimals(startBeats, 6) + " ("
                + fixed3(startSeconds) + " s): " + detail;
    }

    /** Up to {@code places} decimals, trailing zeros dropped: 2, 2.5, 0.333333. */
    private static String decimals(double v, int places) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).setScale(places, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    /** Exactly three decimals: 0.000, 4.800. */
    private static String fixed3(double v) {
        return BigDecimal.valueOf(v).setScale(3, RoundingMode.HALF_EVEN).toPlainString();
    }
}
