package dev.concerto.director.score;

import java.util.Locale;

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
        return String.format(Locale.ROOT, "unplaced %s (%s) at beat %s (%.3f s): %s",
                noteName(), origin, beats(startBeats), startSeconds, detail);
    }

    private static String beats(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String g = String.format(Locale.ROOT, "%.6g", v);
        return g.contains("e") ? g : g.replaceAll("\\.?0+$", "");
    }
}
