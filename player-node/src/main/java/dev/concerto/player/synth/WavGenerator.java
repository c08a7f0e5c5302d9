package dev.concerto.player.synth;

import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The shared synthesis written to a 16-bit PCM WAV file, paced in real time by a clock (a
 * recording of what a player would have sounded, in real time); the file is finished on
 * {@link #close()}. For faster-than-real-time rendering use {@link SynthVoice} and
 * {@link WavWriter} directly.
 */
public final class WavGenerator extends SingleOutputGenerator {

    private WavGenerator(SynthOutput output) {
        super(output);
    }

    /** Records into {@code file}, paced by {@code clock}. */
    public static WavGenerator open(SynthSettings settings, Path file, Clock clock) throws IOException {
        return new WavGenerator(SynthOutput.wav(settings, 1, file, clock));
    }

    /** Records into {@code file}, paced by an injected pacer (tests hand out frames with it). */
    public static WavGenerator open(SynthSettings settings, Path file, FramePacer pacer, Clock clock)
            throws IOException {
        return new WavGenerator(SynthOutput.paced("wav", settings, 1, file, true, pacer, clock));
    }
}
