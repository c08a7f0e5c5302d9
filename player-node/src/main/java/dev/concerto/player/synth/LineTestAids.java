package dev.concerto.player.synth;

/**
 * Faults a javax.sound output can be told to simulate, for tests and demonstrations only (the
 * player's {@code --test-stall-ms}, {@code --test-output-delay-ms}): what a real sound card or sound
 * server sometimes does, on demand.
 *
 * @param stallAfterSeconds when {@code stallMs} &gt; 0: seconds after the line is ready at which the
 *                          audio thread blocks once (as a stalled device or a page fault would)
 * @param stallMs           how long it blocks, ms; 0 = never
 * @param outputDelayMs     every change sounds this much later than asked, ms (a slower device or
 *                          a longer cable to the speaker: what microphone calibration finds); 0..1000
 */
public record LineTestAids(double stallAfterSeconds, int stallMs, double outputDelayMs) {

    /** No simulated fault. */
    public static final LineTestAids NONE = new LineTestAids(0, 0, 0);

    public LineTestAids {
        if (!(stallAfterSeconds >= 0) || stallMs < 0 || stallMs > 10_000 || !(outputDelayMs >= 0 && outputDelayMs <= 1000)) {
            throw new IllegalArgumentException("test aids out of range: stall after " + stallAfterSeconds + " s for "
                    + stallMs + " ms (0..10000), output delay " + outputDelayMs + " ms (0..1000)");
        }
    }
}
