package dev.concerto.player.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline path the director's render uses: SynthVoice + WavWriter, no clock. */
class SynthVoiceTest {

    @TempDir
    Path dir;

    @Test
    void offlineRenderToWavHasTheRightPitchAndLength() throws Exception {
        int rate = 44_100;
        SynthVoice v = new SynthVoice(rate, Waveform.SINE, 0.8);
        Path wav = dir.resolve("offline.wav");
        float[] buf = new float[1024];
        try (WavWriter w = new WavWriter(wav, rate)) {
            v.setFrequency(262);
            for (int i = 0; i < 44; i++) {
                java.util.Arrays.fill(buf, 0f);
                v.mix(buf, 0, buf.length, 1.0);
                w.write(buf, 0, buf.length);
            }
            assertThat(w.frames()).isEqualTo(44 * 1024);
        }
        float[] s = Audio.readWav(wav);
        assertThat(s).hasSize(44 * 1024);
        assertThat(Math.abs(Audio.cents(Audio.pitch(s, rate, 4410, s.length), 262))).isLessThan(1.0);
        assertThat(Audio.peak(s, 4410, s.length)).isBetween(0.79, 0.81);
    }

    @Test
    void frequencyChangesArePhaseContinuousAndRampedSoTheyDoNotClick() {
        int rate = 48_000;
        SynthVoice v = new SynthVoice(rate, Waveform.SINE, 1.0);
        float[] buf = new float[rate];
        v.setFrequency(440);
        v.mix(buf, 0, 10_007, 1.0);
        v.setFrequency(660);          // mid-cycle
        v.mix(buf, 10_007, 10_000, 1.0);
        v.setFrequency(0);
        v.mix(buf, 20_007, buf.length - 20_007, 1.0);
        // A sine at <= 660 Hz moves at most 2*pi*660/48000 = 0.086 per sample; a phase jump would be larger.
        double maxStep = 0;
        for (int i = 1; i < buf.length; i++) {
            maxStep = Math.max(maxStep, Math.abs(buf[i] - buf[i - 1]));
        }
        assertThat(maxStep).isLessThan(0.09);
        assertThat(Audio.peak(buf, 20_007 + v.rampFrames() + 1, buf.length)).isZero();
        assertThat(v.frequency()).isZero();
    }

    @Test
    void mixesIntoTheBufferWithGain() {
        SynthVoice a = new SynthVoice(48_000, Waveform.SQUARE, 1.0, 0);
        SynthVoice b = new SynthVoice(48_000, Waveform.SQUARE, 1.0, 0);
        a.setFrequency(100);
        b.setFrequency(100);
        float[] buf = new float[100];
        a.mix(buf, 0, 100, 0.5);
        b.mix(buf, 0, 100, 0.5);
        assertThat(buf[50]).isEqualTo(1.0f); // mid first half-cycle: both +0.5
    }

    @Test
    void rejectsImpossibleFrequencies() {
        SynthVoice v = new SynthVoice(8_000, Waveform.SINE, 1.0);
        assertThatThrownBy(() -> v.setFrequency(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> v.setFrequency(4_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> v.setFrequency(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theWarmUpMixesSoundOnThrowawayVoices() {
        assertThat(SynthVoice.warmUp()).isNotZero();
    }
}
