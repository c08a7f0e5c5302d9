package dev.concerto.director.live;

/**
 * A note-on the {@link VoiceAllocator} could not simply give to a free player: what it did instead.
 * Immutable.
 *
 * @param kind      what happened
 * @param player    the player whose note was stolen, or -1 when the new note was not played
 * @param key       the new note's MIDI key (as played), 0..127
 * @param channel0  its MIDI channel, 0..15
 * @param stolenKey the key that was sounding on {@code player} and was cut short, or -1
 */
public record VoiceDecision(Kind kind, int player, int key, int channel0, int stolenKey) {

    /** What the allocator did with a note-on that found no free player. */
    public enum Kind {
        /** Every eligible player sounded: the oldest note was cut short for the new one. */
        STOLEN("stolen"),
        /** Every eligible player sounded: the new note was not played ({@link OverflowPolicy#DROP_NEW}). */
        DROPPED("dropped"),
        /** No player takes this key (range, channel), or its frequency is outside the wire's range. */
        OUT_OF_RANGE("out-of-range");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        /** The name written in events files. */
        public String key() {
            return key;
        }
    }
}
