package dev.concerto.player.synth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.protocol.Clock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The WAV recorder (the real audio thread and output, paced by a test pacer instead of the wall
 * clock so the run is deterministic) read back and its pitch measured.
 */
class WavGeneratorPitchTest {

    static final int RATE = 48_000;
    /** Across the ancestor's table: A1, C3, C4, A4, C5, B5. */
    static final int[] FREQS = {55, 131, 262, 440, 523, 988};

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (Waveform w : Waveform.values()) {
            for (int f : FREQS) {
                a.add(Arguments.of(w, f));
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1} Hz")
    @MethodSource("cases")
    void recordedPitchIsWithinOneCent(Waveform waveform, int hz) throws Exception {
        Path wav = dir.resolve(waveform.key() + "-" + hz + ".wav");
        Audio.ManualPacer pacer = new Audio.ManualPacer();
        SynthSettings s = SynthSettings.defaults().withWaveform(waveform);
        WavGenerator g = WavGenerator.open(s, wav, pacer, Clock.SYSTEM);
        g.set(hz);
        int frames = RATE; // one second
        pacer.allowUpTo(frames);
        Audio.await(() -> g.framePosition() >= frames, "1 s of audio");
        g.close();

        float[] samples = Audio.readWav(wav);
        assertThat(samples.length).isGreaterThanOrEqualTo(frames);
        double measured = Audio.pitch(samples, RATE, RATE / 10, frames);
        double cents = Audio.cents(measured, hz);
        System.out.printf("pitch %-8s %4d Hz: measured %.4f Hz, %+.4f cents%n", waveform.key(), hz, measured, cents);
        assertThat(Math.abs(cents)).as("%s %d Hz measured %.4f", waveform, hz, measured).isLessThan(1.0);
    }

    @Test
    void changeAtFrameTakesEffectAtThatExactFrame() throws Exception {
        Path wav = dir.resolve("at-frame.wav");
        Audio.ManualPacer pacer = new Audio.ManualPacer();
        WavGenerator g = WavGenerator.open(SynthSettings.defaults().withWaveform(Waveform.SQUARE), wav, pacer,
                Clock.SYSTEM);
        List<long[]> applied = new CopyOnWriteArrayList<>();
        g.setListener((hz, frame, t, tag) -> applied.add(new long[] {(long) hz, frame}));
        g.schedule(440, 1_234, "start");  // inside a block of 480 frames (960..1440), not at its edge
        g.schedule(0, 20_001, "end");
        pacer.allowUpTo(30_240); // 63 blocks of 480 frames
        Audio.await(() -> g.framePosition() >= 30_240, "30240 frames");
        g.close();

        assertThat(applied).extracting(x -> x[0] + "@" + x[1]).containsExactly("440@1234", "0@20001");
        float[] s = Audio.readWav(wav);
        assertThat(Audio.peak(s, 0, 1_234)).isZero();
        assertThat(Audio.peak(s, 1_234, 1_240)).isGreaterThan(0);
        int ramp = g.output().settings().newVoice().rampFrames();
        assertThat(Audio.peak(s, 20_001 + ramp + 1, 30_000)).isZero();
    }

    @Test
    void aChangeHandedOverAfterItsBlockBeganButBeforeItsFrameIsDueLandsAtItsFrame() throws Exception {
        Path wav = dir.resolve("in-time.wav");
        Audio.ManualPacer pacer = new Audio.ManualPacer();
        WavGenerator g = WavGenerator.open(SynthSettings.defaults().withWaveform(Waveform.SQUARE), wav, pacer,
                Clock.SYSTEM);
        List<long[]> applied = new CopyOnWriteArrayList<>();
        g.setListener((hz, frame, t, tag) -> applied.add(new long[] {(long) hz, frame}));
        pacer.allowUpTo(1_000); // frames 0..999 are due: the block 960..1440 has begun, frame 1234 is ahead
        Audio.await(() -> g.framePosition() >= 960, "960 frames");
        g.schedule(440, 1_234, "start"); // handed over in time for its frame, after its block's first frame
        pacer.allowUpTo(1_440);
        Audio.await(() -> g.framePosition() >= 1_440, "1440 frames");
        g.close();

        assertThat(applied).extracting(x -> x[0] + "@" + x[1]).containsExactly("440@1234");
        float[] s = Audio.readWav(wav);
        assertThat(Audio.peak(s, 0, 1_234)).isZero();
        assertThat(Audio.peak(s, 1_234, 1_240)).isGreaterThan(0);
    }

    @Test
    void aPacedOutputRendersNoFrameBeforeItIsDue() throws Exception {
        Audio.ManualPacer pacer = new Audio.ManualPacer();
        WavGenerator g = WavGenerator.open(SynthSettings.defaults(), dir.resolve("due.wav"), pacer, Clock.SYSTEM);
        pacer.allowUpTo(1_000);
        Audio.await(() -> g.framePosition() >= 960, "960 frames");
        Thread.sleep(50); // (a render ahead would have taken the next block by now: nothing to wait for)
        long position = g.framePosition();
        g.close();

        assertThat(position).as("rendered up to, while frames 0..999 are due").isEqualTo(960);
    }
}
