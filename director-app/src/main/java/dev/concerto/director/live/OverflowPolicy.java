package dev.concerto.director.live;

import java.util.Locale;
import java.util.Optional;

/** What happens to a note when every player it could go to is already sounding. */
public enum OverflowPolicy {
    /** The player holding the oldest note (a released, pedal-held one first) takes the new note. */
    STEAL_OLDEST("steal"),
    /** The new note is not played (and its note-off is ignored). */
    DROP_NEW("drop");

    private final String key;

    OverflowPolicy(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Optional<OverflowPolicy> byKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (OverflowPolicy p : values()) {
            if (p.key.equals(k) || p.name().equalsIgnoreCase(k)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
