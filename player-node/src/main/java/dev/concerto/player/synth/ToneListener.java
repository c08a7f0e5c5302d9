package dev.concerto.player.synth;

/**
 * Told about each tone change a {@link ToneGenerator} applied, where it took effect. Used for the
 * player's events file, its "now sounding" value and for measuring receive-to-tone latency.
 */
@FunctionalInterface
public interface ToneListener {

    /**
     * @param hz               the frequency now sounding, in hertz (0 = silence)
     * @param frame            the frame of the generator's time base where the change took effect
     * @param soundEpochMicros the generator's estimate of the wall-clock time (epoch µs) when that
     *                         frame leaves the output (later than now by the output's buffering)
     * @param tag              the tag given to {@link ToneGenerator#schedule}, or null for
     *                         {@link ToneGenerator#set}
     */
    void toneApplied(double hz, long frame, long soundEpochMicros, Object tag);

    /**
     * The output was brought back in time with the clock after its line fell behind (a stall:
     * {@code shiftMs} &gt; 0, audio skipped) or ran ahead ({@code shiftMs} &lt; 0, silence inserted).
     * Called on the audio thread; by default ignored.
     */
    default void lineCorrected(double shiftMs) {
    }
}
