package dev.concerto.player.cli;

import dev.concerto.player.synth.AudioUnavailableException;
import dev.concerto.player.synth.JavaSoundGenerator;
import dev.concerto.player.synth.NullGenerator;
import dev.concerto.player.synth.PwmGenerator;
import dev.concerto.player.synth.SynthOutput;
import dev.concerto.player.synth.SynthSettings;
import dev.concerto.player.synth.ToneGenerator;
import dev.concerto.player.synth.VirtualGenerator;
import dev.concerto.player.synth.WavGenerator;
import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.util.function.Consumer;

/** Builds the generator or output that the options ask for. */
final class Generators {

    private Generators() {
    }

    static ToneGenerator single(GeneratorOptions o, Consumer<String> warn)
            throws AudioUnavailableException, IOException {
        SynthSettings s = o.settings();
        switch (o.synth) {
            case JAVASOUND:
                return JavaSoundGenerator.open(s, o.wav, o.lineTestAids());
            case PI4J:
                return PwmGenerator.openOnPi(o.gpio, o.pwmProvider);
            case WAV:
                return WavGenerator.open(s, o.wav, Clock.SYSTEM);
            case VIRTUAL:
                return VirtualGenerator.open(s, o.wav, Clock.SYSTEM);
            case NULL:
                return new NullGenerator();
            case AUTO:
            default:
                if (JavaSoundGenerator.available(s)) {
                    try {
                        return JavaSoundGenerator.open(s, o.wav, o.lineTestAids());
                    } catch (AudioUnavailableException e) {
                        warn.accept(e.getMessage() + "; using --synth virtual (nothing audible)");
                    }
                } else {
                    warn.accept("no sound card: javax.sound has no audio line for " + s.sampleRate()
                            + " Hz 16-bit mono, so this player is virtual (paced in real time, nothing audible)."
                            + " Use --synth javasound to insist, or --wav FILE to hear it later");
                }
                return VirtualGenerator.open(s, o.wav, Clock.SYSTEM);
        }
    }

    /** One output with {@code channels} mixed channels (ensemble); pi4j is not possible here. */
    static SynthOutput mixed(GeneratorOptions o, int channels, Consumer<String> warn)
            throws AudioUnavailableException, IOException {
        SynthSettings s = o.settings();
        switch (o.synth) {
            case JAVASOUND:
                return SynthOutput.javaSound(s, channels, o.wav, o.lineTestAids());
            case WAV:
                return SynthOutput.wav(s, channels, o.wav, Clock.SYSTEM);
            case VIRTUAL:
                return SynthOutput.virtual(s, channels, o.wav, Clock.SYSTEM);
            case AUTO:
                return SynthOutput.auto(s, channels, o.wav, warn);
            default:
                throw new IllegalStateException("not a mixed output: " + o.synth);
        }
    }
}
