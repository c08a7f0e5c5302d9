package dev.concerto.director.live;

import java.util.Objects;

/**
 * One roster player as the voice allocator sees it.
 *
 * @param name    the roster player's name (for people and logs)
 * @param lowKey  lowest MIDI key this player takes under {@link AllocationPolicy#BY_RANGE}, 0..127
 * @param highKey highest MIDI key it takes, inclusive, {@code lowKey..127}
 * @param channel the MIDI channel it listens to under {@link AllocationPolicy#BY_CHANNEL}, 1..16,
 *                or 0 for every channel
 */
public record LiveVoice(String name, int lowKey, int highKey, int channel) {

    public LiveVoice {
        Objects.requireNonNull(name, "name");
        if (lowKey < 0 || highKey > 127 || lowKey > highKey) {
            throw new IllegalArgumentException("key range " + lowKey + ".." + highKey + " of '" + name
                    + "' is not within 0..127 low to high");
        }
        if (channel < 0 || channel > 16) {
            throw new IllegalArgumentException("channel " + channel + " of '" + name + "' is outside 1..16 (0: any)");
        }
    }

    /** A player taking every key on every channel. */
    public static LiveVoice anyNote(String name) {
        return new LiveVoice(name, 0, 127, 0);
    }

    public LiveVoice withRange(int low, int high) {
        return new LiveVoice(name, low, high, channel);
    }

    public LiveVoice withChannel(int ch) {
        return new LiveVoice(name, lowKey, highKey, ch);
    }

    boolean takesKey(int key) {
        return key >= lowKey && key <= highKey;
    }

    /** @param channel0 the MIDI channel as on the wire, 0..15 */
    boolean takesChannel(int channel0) {
        return channel == 0 || channel == channel0 + 1;
    }
}
