package dev.concerto.player.synth;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Something that sounds one tone at a time: a javax.sound line, a hardware PWM pin, a WAV recorder,
 * or nothing. A player drives exactly one generator (in an ensemble, one channel of a shared
 * output).
 *
 * <p>Time base: every generator counts <em>frames</em> at {@link #sampleRate()} frames per second
 * from 0 when it was opened. Audio generators count synthesized samples; the PWM and null
 * generators count a nominal frame rate on the monotonic clock. The timed protocol's player clock
 * (monotonic µs) is mapped onto it by {@link #frameAt}, and its changes are {@link #schedule}d at
 * the frame that maps to their time, each with a tag that comes back in the listener's callback.
 *
 * <p>Thread-safety: {@link #set}, {@link #schedule}, {@link #cancel},
 * {@link #frameAt}, {@link #framePosition} and {@link #close} may be called from any thread
 * (typically a player's receive thread); the audio thread behind an audio generator receives the
 * commands through a lock-free queue and never blocks its callers.
 */
public interface ToneGenerator extends AutoCloseable {

    /**
     * Sounds {@code hz} as soon as possible (audio generators: from the start of the next buffer).
     *
     * @param hz frequency in hertz; 0 = silence
     * @throws IllegalArgumentException if {@code hz} is negative, not finite or above what the
     *                                  generator can produce
     */
    void set(double hz);

    /**
     * Sounds {@code hz} from exactly frame {@code frame} of this generator's time base (inside a
     * buffer, not at a buffer boundary). Never blocks the caller. A frame already past (or
     * negative: "as soon as possible") is applied as soon as possible. Changes at the same frame
     * apply in call order. The listener hears about it through {@link ToneListener#toneApplied}
     * with {@code tag}, the frame where it really took effect. Until it is applied the change can
     * be withdrawn with {@link #cancel}{@code (tag)}.
     *
     * @param tag the caller's object for this change (not null): it comes back in the callback and
     *            names the change for {@link #cancel}; the generator only compares it by identity
     * @throws IllegalArgumentException as {@link #set}
     */
    void schedule(double hz, long frame, Object tag);

    /**
     * Withdraws the change scheduled with {@code tag} if it has not been applied yet; no effect
     * otherwise (an applied change stays applied). Never blocks.
     */
    void cancel(Object tag);

    /** The highest frequency this generator sounds, Hz (below half the sample rate for audio). */
    double maxHz();

    /**
     * The frame of this generator's time base that sounds at monotonic instant {@code nanoTime}
     * (on the generator's {@link dev.concerto.protocol.Clock}): the player's clock mapped onto the
     * audio frame counter. Paced outputs use their pacer's exact mapping, a javax.sound line a fit
     * of (line frame position, clock) pairs that follows the drift between the sound card's
     * crystal and the system clock, clock-framed generators (PWM, null) their nominal rate. May be
     * negative or in the past.
     */
    long frameAt(long nanoTime);

    /**
     * The index of the next frame this generator will produce: a change asked for now takes effect
     * at this frame or later. Monotonic; starts at 0.
     */
    long framePosition();

    /** Frames per second of {@link #framePosition()}. */
    int sampleRate();

    /** What this generator is, for the start line and logs, e.g. {@code "javasound ... 48000 Hz"}. */
    String description();

    /**
     * Registers the one listener told about every applied change (replacing any earlier one);
     * {@code null} removes it. Called on the generator's audio thread (or the caller's thread for
     * non-audio generators): listeners must be quick and must not call back into the generator.
     */
    void setListener(ToneListener listener);

    /** The WAV file this generator records into, if any. */
    default Optional<Path> wavFile() {
        return Optional.empty();
    }

    /**
     * How a real audio line kept time with the clock (corrections after stalls, drift), for the
     * stop summary; empty for outputs without a line. Any thread.
     */
    default Optional<LineTiming> lineTiming() {
        return Optional.empty();
    }

    /**
     * The output's latency as estimated when its audio line became ready (frames queued in the line
     * and the device), ms; empty for outputs without a line (WAV, PWM, none). Any thread.
     */
    default OptionalDouble outputLatencyMs() {
        return OptionalDouble.empty();
    }

    /** Wall-clock epoch microseconds of frame 0 (for the events file's {@code wav-start}). */
    long frameZeroEpochMicros();

    /** Silences and releases what this generator owns (line, pin, file). Idempotent. */
    @Override
    void close();
}
