package dev.concerto.bench.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.concerto.player.synth.SynthVoice;
import dev.concerto.player.synth.Waveform;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The detector on audio from the players' own synthesis core (2 ms ramps, band-limited square),
 * rendered offline: it must name the frame where the change was applied, as a player's
 * {@code tone} event does.
 */
class OnsetDetectorSynthTest {

    private static final int RATE = 48_000;

    /** Sound {@code f0} (0 = silence) then switch to {@code f1} at {@code change}, rendered in 480-frame blocks. */
    private static float[] render(Waveform w, double f0, double f1, int change, int frames) {
        SynthVoice v = new SynthVoice(RATE, w, 0.5);
        float[] out = new float[frames];
        v.setFrequency(f0);
        v.mix(out, 0, change, 1.0);
        v.setFrequency(f1);
        v.mix(out, change, frames - change, 1.0);
        // The 16-bit WAV the players write.
        for (int i = 0; i < frames; i++) {
            out[i] = Math.round(out[i] * 32767f) / 32768f;
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({
        "SQUARE, 262, 330, 24000", "SQUARE, 330, 262, 24017", "SQUARE, 131, 988, 30001", "SQUARE, 988, 880, 12345",
        "SQUARE, 392, 440, 24011", "SQUARE, 131, 123, 20000", "SQUARE, 659, 698, 22222", "SQUARE, 65, 98, 20000",
        "SINE, 262, 330, 24000", "SINE, 988, 880, 12345",
        "SQUARE, 0, 440, 10000", "SQUARE, 440, 0, 10000", "SQUARE, 0, 65, 33333", "SQUARE, 988, 0, 4321",
        "SINE, 0, 262, 10000", "SINE, 262, 0, 10000"})
    void namesTheFrameWhereTheSynthesisAppliedTheChange(Waveform w, double f0, double f1, int change) {
        float[] audio = render(w, f0, f1, change, 48_000);
        var detector = new OnsetDetector(RATE, 1.5f / 32768, new SynthVoice(RATE, w, 0.5).rampFrames());
        double found = detector.find(audio, f0, f1, change - 3_000, change + 3_000).orElseThrow();
        assertThat(found).isCloseTo(change, within(2.0));
    }
}
