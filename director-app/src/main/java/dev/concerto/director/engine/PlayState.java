package dev.concerto.director.engine;

/** Where the transport is. */
public enum PlayState {
    /** Nothing is playing; the position is at the start, or where a seek put it. Players are silent. */
    STOPPED,
    /** The scheduler is sending notes. */
    PLAYING,
    /** Halted at a position; resume continues from it. Players are silent. */
    PAUSED
}
