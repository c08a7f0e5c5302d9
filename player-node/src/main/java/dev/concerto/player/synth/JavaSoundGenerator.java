package dev.concerto.player.synth;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Real-time synthesis into a javax.sound {@code SourceDataLine} opened with an explicit small
 * buffer ({@link SynthSettings#bufferMs()}); the line's blocking write paces the audio thread, and
 * the synthesized frame count is the time base. Thread-safe as {@link ToneGenerator} says.
 */
public final class JavaSoundGenerator extends SingleOutputGenerator {

    private JavaSoundGenerator(SynthOutput output) {
        super(output);
    }

    /**
     * Opens the default line.
     *
     * @param wavTap also record into this WAV file, or {@code null}
     * @throws AudioUnavailableException without a sound card (checked with
     *                                   {@code AudioSystem.isLineSupported} first)
     */
    public static JavaSoundGenerator open(SynthSettings settings, Path wavTap)
            throws AudioUnavailableException, IOException {
        return open(settings, wavTap, LineTestAids.NONE);
    }

    /** As {@link #open(SynthSettings, Path)}, with simulated faults (tests and demonstrations only). */
    public static JavaSoundGenerator open(SynthSettings settings, Path wavTap, LineTestAids aids)
            throws AudioUnavailableException, IOException {
        return new JavaSoundGenerator(SynthOutput.javaSound(settings, 1, wavTap, aids));
    }

    /** True when a line is available for these settings. */
    public static boolean available(SynthSettings settings) {
        return SynthOutput.javaSoundAvailable(settings);
    }
}
