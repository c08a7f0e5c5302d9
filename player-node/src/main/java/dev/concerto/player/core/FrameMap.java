package dev.concerto.player.core;

/**
 * The player's clock mapped onto the tone generator's frame counter (see
 * {@code ToneGenerator.frameAt}). A core maps each time once, when a message arrives, so a plan never
 * moves a change that was already handed over.
 */
@FunctionalInterface
public interface FrameMap {

    /** The generator frame that sounds at player time {@code playerMicros} (µs); may be negative. */
    long frameAt(long playerMicros);
}
