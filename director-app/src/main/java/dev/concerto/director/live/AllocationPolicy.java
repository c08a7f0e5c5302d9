package dev.concerto.director.live;

import java.util.Locale;
import java.util.Optional;

/** Which player a new note goes to (see {@link VoiceAllocator}). */
public enum AllocationPolicy {
    /** The first free player in roster order. */
    LOWEST_FREE("lowest"),
    /** The next free player after the one that took the previous note, cycling through the roster. */
    ROUND_ROBIN("round-robin"),
    /** Only players whose pitch range holds the note (e.g. the bass player below C3). */
    BY_RANGE("range"),
    /** Only players that listen to the note's MIDI channel. */
    BY_CHANNEL("channel");

    private final String key;

    AllocationPolicy(String key) {
        this.key = key;
    }

    /** The name on the command line and in settings. */
    public String key() {
        return key;
    }

    public static Optional<AllocationPolicy> byKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (AllocationPolicy p : values()) {
            if (p.key.equals(k) || p.name().equalsIgnoreCase(k)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
