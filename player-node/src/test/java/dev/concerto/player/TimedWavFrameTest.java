package dev.concerto.player;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.concerto.player.core.PlayerCounters;
import dev.concerto.player.synth.Audio;
import dev.concerto.player.synth.SynthSettings;
import dev.concerto.player.synth.WavGenerator;
import dev.concerto.player.synth.Waveform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timed tones on a real WAV generator paced by a clock the test moves ({@link Audio.SteppedClock}):
 * frame {@code f} is due at {@code 10 s + f / 48 kHz}, so the frame of every scheduled time is
 * computable, and the WAV shows where each change really happened. Real UDP on loopback.
 */
class TimedWavFrameTest {

    static final long TEN_S = 10_000_000_000L;
    static final int RATE = 48_000;

    @TempDir
    Path dir;

    /** The frame of player time {@code micros} on this generator. */
    static long frameOf(long micros) {
        return Math.round((micros * 1000 - TEN_S) * (RATE / 1e9));
    }

    record Run(float[] samples, List<JsonNode> timedTones, PlayerCounters counters, int ramp) {
    }

    Run play(long untilNanos, String... messages) throws Exception {
        Audio.SteppedClock clock = new Audio.SteppedClock(TEN_S, RATE);
        Path wav = dir.resolve("timed.wav");
        Path ev = dir.resolve("timed.jsonl");
        WavGenerator gen = WavGenerator.open(SynthSettings.defaults().withWaveform(Waveform.SQUARE), wav, clock, clock);
        EventLog events = EventLog.open(ev);
        PlayerNode node = new PlayerNode(PlayerConfig.of(gen).withLoopbackEphemeral().withClock(clock)
                .withWatchdogSeconds(0).withEvents(events)).start();
        PlayerCounters counters;
        try (Udp udp = new Udp()) {
            for (String m : messages) {
                long before = node.counters().datagrams();
                udp.send(node.localAddress(), m);
                Audio.await(() -> node.counters().datagrams() > before, m);
            }
            long target = clock.frameAtNanos(untilNanos);
            clock.set(untilNanos); // the audio thread may now render up to there
            Audio.await(() -> gen.framePosition() >= target, target + " frames rendered");
            counters = node.counters();
        } finally {
            node.close();
            gen.close();
            events.close();
        }
        List<JsonNode> tones = Files.readAllLines(ev).stream().map(TimedPlayerTest::json)
                .filter(n -> n.get("event").asText().equals("tone") && n.has("seq")).toList();
        return new Run(Audio.readWav(wav), tones, counters, SynthSettings.defaults().newVoice().rampFrames());
    }

    /** Maps time to frames like {@code clock}, but renders only what the test releases: a stalled audio thread. */
    static final class HeldPacer implements dev.concerto.player.synth.FramePacer {
        final Audio.SteppedClock clock;
        final Audio.ManualPacer gate = new Audio.ManualPacer();

        HeldPacer(Audio.SteppedClock clock) {
            this.clock = clock;
        }

        @Override
        public void awaitFrame(long frame) throws InterruptedException {
            gate.awaitFrame(frame);
        }

        @Override
        public long frameZeroEpochMicros() {
            return clock.frameZeroEpochMicros();
        }

        @Override
        public long epochMicrosOfFrame(long frame) {
            return clock.epochMicrosOfFrame(frame);
        }

        @Override
        public long frameAtNanos(long t) {
            return clock.frameAtNanos(t);
        }
    }

    @Test
    void changesWhoseTimeHasPassedAreNeverWithdrawnEvenIfTheAudioThreadIsBehind() throws Exception {
        Audio.SteppedClock clock = new Audio.SteppedClock(TEN_S, RATE);
        HeldPacer pacer = new HeldPacer(clock);
        Path ev = dir.resolve("held.jsonl");
        WavGenerator gen = WavGenerator.open(SynthSettings.defaults(), dir.resolve("held.wav"), pacer, clock);
        EventLog events = EventLog.open(ev);
        PlayerNode node = new PlayerNode(PlayerConfig.of(gen).withLoopbackEphemeral().withClock(clock)
                .withWatchdogSeconds(0).withEvents(events)).start();
        try (Udp udp = new Udp()) {
            String[] first = {"T 1 10050000 440 500", "T 2 10100000 330 500", "T 3 10150000 262 100"};
            for (String m : first) {
                long before = node.counters().datagrams();
                udp.send(node.localAddress(), m);
                Audio.await(() -> node.counters().datagrams() > before, m);
            }
            clock.set(TEN_S + 200_000_000L);   // the player's clock moves on; the audio thread does not
            udp.send(node.localAddress(), "T 4 10300000 523.251 100");
            Audio.await(() -> node.counters().timedTones() == 4, "4 accepted");
            pacer.gate.allowUpTo(24_000);      // now it catches up
            Audio.await(() -> gen.framePosition() >= 24_000, "rendered");
        } finally {
            node.close();
            gen.close();
            events.close();
        }
        List<String> applied = Files.readAllLines(ev).stream().map(TimedPlayerTest::json)
                .filter(n -> n.get("event").asText().equals("tone") && n.has("seq")).map(n -> n.get("cause").asText() + " " + n.get("seq").asLong() + "@"
                        + n.get("frame").asLong()).toList();
        assertThat(applied).containsExactly("start 1@2400", "start 2@4800", "start 3@7200", "lease-end 3@12000",
                "start 4@14400", "lease-end 4@19200");
    }

    static int firstSound(float[] s, int from) {
        for (int i = from; i < s.length; i++) {
            if (s[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    static int lastSound(float[] s, int to) {
        for (int i = Math.min(to, s.length) - 1; i >= 0; i--) {
            if (s[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aTimedToneStartsAtTheExactFrameAndAnExtensionCarriesItToTheNewLeaseEnd() throws Exception {
        long at = 10_051_234;                              // µs of the player's clock: frame 2459.2
        Run r = play(TEN_S + 500_000_000L,
                "T 1 " + at + " 440 100",                  // lease would end at frame 7259
                "T 2 " + (at + 50_000) + " 440 200");      // resent 50 ms later: ends at frame 14459
        long start = frameOf(at);
        long end = frameOf(at + 250_000);
        assertThat(start).isEqualTo(2459);
        assertThat(end).isEqualTo(14459);

        float[] s = r.samples();
        assertThat(firstSound(s, 0)).as("first sounding sample").isBetween((int) start - 1, (int) start + 1);
        assertThat(Audio.peak(s, (int) frameOf(at + 100_000), (int) frameOf(at + 100_000) + 480))
                .as("still sounding after the first lease").isGreaterThan(0.4);
        assertThat(Audio.pitch(s, RATE, (int) start + 480, (int) end - 480)).isBetween(439.9, 440.1);
        assertThat(lastSound(s, s.length)).as("last sounding sample")
                .isBetween((int) end - 1, (int) end + r.ramp() + 1);

        assertThat(r.timedTones()).extracting(n -> n.get("cause").asText() + " " + n.get("seq").asLong() + " @"
                + n.get("frame").asLong() + " scheduled @" + n.get("scheduled_frame").asLong())
                .containsExactly("start 1 @2459 scheduled @2459", "start 2 @4859 scheduled @4859",
                        "lease-end 2 @14459 scheduled @14459");
        JsonNode first = r.timedTones().get(0);
        assertThat(first.get("at_us").asLong()).isEqualTo(at);
        assertThat(first.get("scheduled_t_us").asLong()).isEqualTo(1_700_000_000_000_000L + at);
        assertThat(first.get("late").asBoolean()).isFalse();
        assertThat(r.counters().timedTones()).isEqualTo(2);
        assertThat(r.counters().late()).isZero();
    }

    @Test
    void withoutNewsTheLeaseSilencesTheToneByItself() throws Exception {
        long at = 10_050_000;
        Run r = play(TEN_S + 400_000_000L, "T 9 " + at + " 523.251 100");
        float[] s = r.samples();
        long start = frameOf(at);
        long end = frameOf(at + 100_000);
        assertThat(firstSound(s, 0)).isBetween((int) start - 1, (int) start + 1);
        assertThat(lastSound(s, s.length)).isBetween((int) end - 1, (int) end + r.ramp() + 1);
        assertThat(Audio.peak(s, (int) end + r.ramp() + 2, s.length)).isZero();
        assertThat(r.timedTones()).extracting(n -> n.get("cause").asText() + "@" + n.get("frame").asLong())
                .containsExactly("start@" + start, "lease-end@" + end);
    }
}
