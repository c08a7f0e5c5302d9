package dev.concerto.director.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.director.engine.PlayState;
import dev.concerto.director.engine.Transport;
import dev.concerto.director.engine.TransportState;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.VoiceTimeline;
import dev.concerto.protocol.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.Receiver;
import javax.sound.midi.ShortMessage;
import org.junit.jupiter.api.Test;

/**
 * The MIDI clock shells: {@link MidiClockFollowing} drives a transport from a DAW's clock stream;
 * {@link MidiClockSender} sends the clock to a {@link Receiver} while the transport plays.
 */
class MidiClockShellsTest {

    /** 8 measures of 4 beats at 120 bpm. */
    static Timeline timeline() {
        List<Double> s = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (int m = 0; m < 8; m++) {
            s.add(2.0 * m);
            b.add(4.0 * m);
        }
        return new Timeline("t", "", 120, List.of(new VoiceTimeline("v", List.of())), 16, 32, s, b);
    }

    static final class RecordingTransport implements Transport {
        final List<String> calls = new ArrayList<>();
        PlayState state = PlayState.STOPPED;

        @Override
        public void play() {
            calls.add("play");
            state = PlayState.PLAYING;
        }

        @Override
        public void pause() {
            calls.add("pause");
            state = PlayState.PAUSED;
        }

        @Override
        public void resume() {
            calls.add("resume");
            state = PlayState.PLAYING;
        }

        @Override
        public void stop() {
            calls.add("stop");
        }

        @Override
        public void seekToMeasure(int measure) {
            calls.add("seek " + measure);
        }

        @Override
        public void setLoop(int fromMeasure, int toMeasure) {
        }

        @Override
        public void clearLoop() {
        }

        @Override
        public void setTempo(double bpm) {
            calls.add(String.format(java.util.Locale.ROOT, "tempo %.1f", bpm));
        }

        @Override
        public TransportState state() {
            return new TransportState(state, 0, 1, 8, 120, 0, 0, 0, List.of());
        }

        @Override
        public void addListener(Consumer<TransportState> listener) {
        }

        @Override
        public void removeListener(Consumer<TransportState> listener) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aDawsClockStartsStopsMovesAndSetsTheTempo() throws Exception {
        RecordingTransport t = new RecordingTransport();
        MidiClockFollowing following = new MidiClockFollowing(t, timeline());
        long now = 0;
        following.message(new ShortMessage(ShortMessage.START), now);
        long period = Math.round(60e9 / (100 * 24));
        for (int i = 0; i < 48; i++) {
            following.message(new ShortMessage(ShortMessage.TIMING_CLOCK), now += period);
        }
        following.message(new ShortMessage(ShortMessage.STOP), now += period);
        following.message(MidiClockOut.songPosition(4 * 4 * 3), now); // bar 4: 12 quarter notes
        following.message(new ShortMessage(ShortMessage.CONTINUE), now += 1_000_000);
        assertThat(t.calls).startsWith("seek 1", "play", "tempo 100.0");
        assertThat(t.calls).endsWith("pause", "seek 4", "seek 4", "resume");
        assertThat(following.tempoBpm()).isBetween(99.99, 100.01);
    }

    @Test
    void theClockGoesOutWhilePlayingAndStopsWithTheTransport() throws Exception {
        List<Integer> got = new CopyOnWriteArrayList<>();
        Receiver receiver = new Receiver() {
            @Override
            public void send(MidiMessage message, long timeStamp) {
                got.add(message.getStatus());
            }

            @Override
            public void close() {
            }
        };
        try (MidiClockSender sender = new MidiClockSender(receiver, Clock.SYSTEM, timeline()).start()) {
            Consumer<TransportState> l = sender.listener();
            l.accept(new TransportState(PlayState.PLAYING, 0, 1, 8, 600, 0, 0, 0, List.of())); // 240 clocks a second
            long end = System.nanoTime() + 10_000_000_000L;
            while (got.stream().filter(s -> s == ShortMessage.TIMING_CLOCK).count() < 24 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            l.accept(new TransportState(PlayState.PAUSED, 1.0, 1, 8, 600, 0, 0, 0, List.of()));
            end = System.nanoTime() + 10_000_000_000L;
            while (!got.contains(ShortMessage.STOP) && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            l.accept(new TransportState(PlayState.PLAYING, 4.0, 3, 8, 600, 0, 0, 0, List.of())); // measure 3, beat 9
            end = System.nanoTime() + 10_000_000_000L;
            while (!got.contains(ShortMessage.CONTINUE) && System.nanoTime() < end) {
                Thread.sleep(10);
            }
        }
        assertThat(got.get(0)).isEqualTo(ShortMessage.START);
        assertThat(got.stream().filter(s -> s == ShortMessage.TIMING_CLOCK).count()).isGreaterThanOrEqualTo(24);
        int stop = got.indexOf(ShortMessage.STOP);
        assertThat(got.subList(stop, got.size())).startsWith(ShortMessage.STOP, ShortMessage.SONG_POSITION_POINTER,
                ShortMessage.CONTINUE);
        assertThat(got).last().as("closing stops the clock").isEqualTo(ShortMessage.STOP);
    }
}
