package dev.concerto.player.synth;

import dev.concerto.protocol.Clock;
import dev.concerto.protocol.ClockPair;

/**
 * Paces an output that has no hardware clock of its own (WAV recorder, virtual): before rendering a
 * block the audio thread asks for its last frame and the pacer returns when that frame is due (so a
 * change handed over before its frame's time is never rendered late). Injected so tests can hand out
 * frames deterministically instead of waiting on the wall clock.
 */
public interface FramePacer {

    /**
     * Blocks until frame {@code frame} is due.
     *
     * @throws InterruptedException when the output is closing
     */
    void awaitFrame(long frame) throws InterruptedException;

    /** Wall-clock epoch microseconds of frame 0. */
    long frameZeroEpochMicros();

    /** Wall-clock epoch microseconds when {@code frame} is (or was) due. */
    long epochMicrosOfFrame(long frame);

    /**
     * The frame due at monotonic instant {@code nanoTime} (the inverse of {@link #awaitFrame}'s
     * deadlines, rounded to the nearest frame); may be negative for instants before frame 0.
     */
    long frameAtNanos(long nanoTime);

    /**
     * Real time on {@code clock}: frame {@code f} is due {@code f / sampleRate} seconds after this
     * call. Waits with {@link PreciseWait} (park, then spin: JDK 17's {@code Thread.sleep} rounds to
     * milliseconds).
     */
    static FramePacer realTime(Clock clock, int sampleRate) {
        // Both clocks at one instant: frame zero's wall-clock time (a WAV's wav-start stamp) must not carry
        // a preemption between two reads for the whole recording.
        ClockPair origin = ClockPair.read(clock);
        long originNanos = origin.nanos();
        long originMicros = origin.epochMicros();
        return new FramePacer() {
            @Override
            public void awaitFrame(long frame) throws InterruptedException {
                long deadline = originNanos + Math.round(frame * 1e9 / sampleRate);
                PreciseWait.until(clock, deadline);
            }

            @Override
            public long frameZeroEpochMicros() {
                return originMicros;
            }

            @Override
            public long epochMicrosOfFrame(long frame) {
                return originMicros + Math.round(frame * 1e6 / sampleRate);
            }

            @Override
            public long frameAtNanos(long nanoTime) {
                return Math.round((nanoTime - originNanos) * (sampleRate / 1e9));
            }
        };
    }
}
