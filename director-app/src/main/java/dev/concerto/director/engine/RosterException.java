package dev.concerto.director.engine;

/**
 * A roster that cannot be used: unreadable, malformed, invalid, or naming a host that does not
 * resolve. The message names the file and the field and says what to do.
 */
public final class RosterException extends Exception {

    public RosterException(String message) {
        super(message);
    }

    public RosterException(String message, Throwable cause) {
        super(message, cause);
    }
}
