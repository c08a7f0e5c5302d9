package dev.concerto.director.engine;

/**
 * A player of protocol {@code timed} did not answer the clock-sync exchange in time, so the
 * director cannot write start times in its clock; the message names the players and what to do.
 */
public final class PlayerSyncException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PlayerSyncException(String message) {
        super(message);
    }
}
