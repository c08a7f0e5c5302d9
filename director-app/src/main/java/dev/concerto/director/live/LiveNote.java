package dev.concerto.director.live;

/**
 * One change the {@link LiveConductor} handed to its {@link LiveNoteSink}: player {@code player}
 * sounds {@code hz} from {@code dueNanos}. Immutable; times on the clock's monotonic scale, ns.
 *
 * @param player      the player's index in the roster
 * @param hz          the exact frequency, 0 for silence
 * @param key         the MIDI key (as played) for a keyboard note, -1 for silence and OSC notes
 * @param dueNanos    when it sounds
 * @param inputNanos  when its cause came in: a key's arrival in the JVM, an OSC message's arrival
 *                    or its bundle's time tag
 * @param handedNanos when it was handed to the sink (the live loop's time)
 * @param source      where it came from
 */
public record LiveNote(int player, double hz, int key, long dueNanos, long inputNanos, long handedNanos,
                       Source source) {

    /** What caused a live change. */
    public enum Source {
        /** A MIDI input: a keyboard, a DAW, a MIDI file played into the live input. */
        KEYBOARD("keyboard"),
        /** An OSC note ({@code /concerto/note}, {@code /concerto/voice/NAME/hz}), or its end. */
        OSC("osc"),
        /** All notes off: a panic, the input device gone, closing. */
        ALL_OFF("all-off");

        private final String key;

        Source(String key) {
            this.key = key;
        }

        /** The name written in events files. */
        public String key() {
            return key;
        }
    }
}
