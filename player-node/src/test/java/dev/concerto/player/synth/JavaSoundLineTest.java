package dev.concerto.player.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Plays through a real javax.sound SourceDataLine into a virtual ALSA device: Surefire sets
 * ALSA_CONFIG_PATH to target/test-classes/alsa-virtual.conf, whose "default" PCM is a file device
 * capturing to target/alsa-capture.wav. That device is not paced in real time, so only the pitch is
 * checked, never timing.
 */
class JavaSoundLineTest {

    @Test
    void playsThroughARealLineAndTheCapturedPitchIsRight() throws Exception {
        String conf = System.getenv("ALSA_CONFIG_PATH");
        assumeTrue(conf != null && Files.exists(Path.of(conf)), "runs under Maven with the virtual ALSA device");
        Path capture = Path.of(conf).getParent().getParent().resolve("alsa-capture.wav");
        Files.deleteIfExists(capture);

        SynthSettings s = SynthSettings.defaults().withWaveform(Waveform.SINE);
        assertThat(JavaSoundGenerator.available(s)).as("a line on the virtual ALSA device").isTrue();
        JavaSoundGenerator g = JavaSoundGenerator.open(s, null);
        assertThat(g.description()).startsWith("javasound");
        java.util.concurrent.atomic.AtomicLong appliedAt = new java.util.concurrent.atomic.AtomicLong(-1);
        g.setListener((hz, frame, t, tag) -> appliedAt.compareAndSet(-1, frame));
        g.set(440);
        // The file device is not paced: the line may already have taken many frames, so measure
        // from the frame where the change took effect.
        Audio.await(() -> appliedAt.get() >= 0, "the tone applied");
        long from = appliedAt.get();
        long frames = s.sampleRate(); // 1 s
        Audio.await(() -> g.framePosition() >= from + frames, "1 s played into the line");
        g.close();

        float[] captured = Audio.readWav(capture);
        // The line was primed with silence before the music began: the capture's first sound is the change.
        int onset = 0;
        while (onset < captured.length && captured[onset] == 0f) {
            onset++;
        }
        assertThat(onset).as("the primed silence, then the tone").isGreaterThanOrEqualTo((int) from).isLessThan(captured.length);
        long start = onset;
        assertThat((long) captured.length).isGreaterThanOrEqualTo(start + frames);
        double measured = Audio.pitch(captured, s.sampleRate(), (int) start + s.sampleRate() / 10,
                (int) (start + frames));
        double cents = Audio.cents(measured, 440);
        System.out.printf("javasound line via ALSA file device: 440 Hz measured %.4f Hz, %+.4f cents%n",
                measured, cents);
        assertThat(Math.abs(cents)).isLessThan(1.0);
    }
}
