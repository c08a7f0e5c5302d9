package dev.concerto.director.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.player.synth.Audio;
import dev.concerto.player.synth.SynthSettings;
import dev.concerto.player.synth.Waveform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineRendererTest {

    /** Sign changes of the samples in [from, to) frames. */
    private static int crossings(float[] samples, int from, int to) {
        int n = 0;
        float prev = 0;
        for (int i = from; i < to; i++) {
            float sign = Math.signum(samples[i]);
            if (sign != 0 && prev != 0 && sign != prev) {
                n++;
            }
            if (sign != 0) {
                prev = sign;
            }
        }
        return n;
    }

    @Test
    void rendersTheNotesAtTheirTimesFasterThanRealTime(@TempDir Path dir) throws Exception {
        // One voice: 440 Hz for the first second, silence, 220 Hz from 2 s to 3 s (60 bpm).
        var timeline = Timelines.of(1, Timelines.voice("v",
                Timelines.note(0, 1, 440), Timelines.note(2, 1, 220)));
        Path wav = dir.resolve("out.wav");
        int rate = 8000;
        SynthSettings settings = SynthSettings.defaults().withSampleRate(rate).withWaveform(Waveform.SQUARE);
        OfflineRenderer.Result r = new OfflineRenderer(settings)
                .render(timeline, List.of(new RosterEntry("p", "-", 1, Protocol.LEGACY, "v")), 60, wav, null);
        assertThat(r.frames()).isEqualTo(Math.round((4 + OfflineRenderer.TAIL_SECONDS) * rate));
        assertThat(Files.size(wav)).isEqualTo(44 + 2 * r.frames());
        Audio.Wav recording = Audio.read(wav);
        assertThat(recording.sampleRate()).isEqualTo(rate);
        float[] samples = recording.samples();
        // A square wave of f Hz changes sign 2f times a second.
        assertThat(crossings(samples, rate / 10, rate * 9 / 10)).isBetween(2 * 352 - 4, 2 * 352 + 4);
        assertThat(crossings(samples, rate * 21 / 10, rate * 29 / 10)).isBetween(2 * 176 - 4, 2 * 176 + 4);
        assertThat(crossings(samples, rate * 11 / 10, rate * 19 / 10)).isZero(); // the rest is silent
        // Twice the tempo: half the length.
        OfflineRenderer.Result fast = new OfflineRenderer(settings)
                .render(timeline, List.of(new RosterEntry("p", "-", 1, Protocol.LEGACY, "v")), 120, wav, null);
        assertThat(fast.frames()).isEqualTo(Math.round((2 + OfflineRenderer.TAIL_SECONDS) * rate));
    }
}
