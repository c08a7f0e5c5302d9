package dev.concerto.director.engine;

/**
 * "Stop means silence": how the director silences players on stop, pause, the end, an error, close
 * and Ctrl-C. A datagram can be lost, so every silence is sent {@value #REPEATS} times,
 * {@value #SPACING_NANOS} ns apart (a burst loss rarely takes all of them). Defined here only.
 */
public final class Silence {

    /** How many times every silence is sent. */
    public static final int REPEATS = 3;
    /** Space between two repeats, in nanoseconds. */
    public static final long SPACING_NANOS = 3_000_000;

    private Silence() {
    }
}
