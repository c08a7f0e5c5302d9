package dev.concerto.director.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The protocol a roster entry names: how the director talks to that player (PROTOCOL.md). */
public enum Protocol {
    /** The plain integer of 2017 (the ESP8266 firmware): each change sent when it is due. */
    LEGACY("legacy", "the plain integer"),
    /** The timed protocol: every change sent ahead, stamped with the time it sounds in the player's clock. */
    TIMED("timed", "the timed protocol"),
    /** Timed when the player answers clock sync, the plain integer otherwise. */
    AUTO("auto", "timed when the player answers clock sync");

    private final String key;
    private final String description;

    Protocol(String key, String description) {
        this.key = key;
        this.description = description;
    }

    /** The name in roster files and on the command line: {@code legacy}, {@code timed}, {@code auto}. */
    public String key() {
        return key;
    }

    /** A few words for users ("the plain integer"). */
    public String description() {
        return description;
    }

    /** Whether the director syncs clocks with this player before playing. */
    public boolean syncsClock() {
        return this != LEGACY;
    }

    /** The protocol of that name (case-insensitive), if any. */
    public static Optional<Protocol> of(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String k = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.key.equals(k)).findFirst();
    }

    /** "legacy (the plain integer), timed (...) or auto (...)": for error messages. */
    public static String choices() {
        String all = Arrays.stream(values()).map(p -> p.key + " (" + p.description + ")")
                .collect(Collectors.joining(", "));
        int last = all.lastIndexOf(", ");
        return all.substring(0, last) + " or " + all.substring(last + 2);
    }

    @Override
    public String toString() {
        return key;
    }
}
