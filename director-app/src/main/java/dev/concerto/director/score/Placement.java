package dev.concerto.director.score;

import java.util.Locale;

/**
 * How the notes of an imported file (MIDI, MusicXML) are spread over monophonic voices, one voice
 * per player. Immutable; thread-safe.
 *
 * @param split        the preset
 * @param players      players available (&ge; 1), or {@link #AUTO}: as many as the piece needs
 * @param keep         which notes of a chord win when there are fewer free players than notes
 * @param sustainPedal MIDI only: hold notes while the sustain pedal (CC 64) is down, as a piano
 *                     does; off by default because a monophonic player then drops the notes that
 *                     the held ones overlap
 */
public record Placement(Split split, int players, Keep keep, boolean sustainPedal) {

    /** {@link #players} value meaning "as many as the piece's polyphony needs". */
    public static final int AUTO = 0;

    /** MIDI's default: high to low over four players (the 2017 ensemble), outer voices kept. */
    public static final Placement MIDI_DEFAULT = new Placement(Split.HIGH_TO_LOW, 4, Keep.OUTER, false);
    /** MusicXML's default: one voice per part (more where a part has chords), as many as needed. */
    public static final Placement MUSICXML_DEFAULT = new Placement(Split.PART, AUTO, Keep.OUTER, false);

    public Placement {
        if (split == null || keep == null || players < 0) {
            throw new IllegalArgumentException("need a split, a keep rule and players >= 1 (or AUTO)");
        }
    }

    /** True when the player count follows the piece. */
    public boolean auto() {
        return players == AUTO;
    }

    /** This placement with another player count. */
    public Placement withPlayers(int n) {
        return new Placement(split, n, keep, sustainPedal);
    }

    /** The player count for messages: {@code "4"} or {@code "auto"}. */
    public String playersText() {
        return auto() ? "auto" : Integer.toString(players);
    }

    /** The presets. */
    public enum Split {
        /**
         * One voice per part (MusicXML) or track (MIDI); a part with chords or overlapping notes
         * gets more voices ({@code Alto}, {@code Alto-2}, ...), its notes high to low.
         */
        PART,
        /** Like {@link #PART}, grouped by MIDI channel (MusicXML: by part). */
        CHANNEL,
        /** A pool of voices; each note goes to the first free one, chords high to low (voice1 = top). */
        HIGH_TO_LOW,
        /** A pool of voices taken in turn, starting after the last one used. */
        ROUND_ROBIN;

        /** Parses {@code part} (or {@code track}), {@code channel}, {@code high-to-low}, {@code round-robin}. */
        public static Split parse(String s) {
            String t = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            return t.equals("TRACK") ? PART : valueOf(t);
        }

        /** True for the presets that keep a track, channel or part together. */
        public boolean grouped() {
            return this == PART || this == CHANNEL;
        }

        /** The option's spelling, e.g. {@code high-to-low}. */
        public String text() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Which notes of an onset keep a player when there are fewer free players than notes. */
    public enum Keep {
        /** The top and the bottom note first (melody and bass), then inner notes from the top. */
        OUTER,
        /** The highest notes (the bass is dropped first). */
        TOP,
        /** The lowest notes (the melody is dropped first). */
        BOTTOM;

        /** Parses {@code outer}, {@code top}, {@code bottom}. */
        public static Keep parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }

        /** The option's spelling. */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
