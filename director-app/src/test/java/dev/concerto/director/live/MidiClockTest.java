package dev.concerto.director.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.Receiver;
import javax.sound.midi.ShortMessage;
import org.junit.jupiter.api.Test;

/**
 * MIDI clock out and in, in memory: {@link MidiClockOut}'s schedule is played into a
 * {@link javax.sound.midi.Receiver} (as the clock-out shell does, with the due time as the
 * message's timestamp in microseconds), and that receiver feeds a {@link MidiClockFollower}
 * (as the clock-in shell does). Synthetic streams: steady, jittery, a tempo change, stop/continue.
 */
class MidiClockTest {

    /** A javax.sound.midi receiver that follows the clock (timestamps in µs, as Java Sound's). */
    static final class FollowingReceiver implements Receiver {
        final MidiClockFollower follower = new MidiClockFollower();
        final List<MidiClockFollower.Event> events = new ArrayList<>();
        final List<Integer> statuses = new ArrayList<>();

        @Override
        public void send(MidiMessage message, long timeStampMicros) {
            statuses.add(message.getStatus());
            events.addAll(follower.accept(message, timeStampMicros * 1000));
        }

        @Override
        public void close() {
        }

        long tempoEvents() {
            return events.stream().filter(e -> e instanceof MidiClockFollower.TempoChanged).count();
        }
    }

    /** Plays the clock's schedule up to {@code untilNanos} into a receiver, each tick jittered. */
    private static long play(MidiClockOut out, Receiver r, long untilNanos, long jitterNanos, Random random) {
        long n = 0;
        while (out.nextTickNanos() <= untilNanos) {
            long due = out.nextTickNanos();
            ShortMessage tick = out.tick();
            long j = jitterNanos == 0 ? 0 : (long) ((random.nextDouble() * 2 - 1) * jitterNanos);
            r.send(tick, (due + j) / 1000);
            n++;
        }
        return n;
    }

    private static void sendAll(List<ShortMessage> messages, Receiver r, long nanos) {
        for (ShortMessage m : messages) {
            r.send(m, nanos / 1000);
        }
    }

    @Test
    void steadyClockIs24PerQuarterAndTheFollowerReadsTheTempo() {
        MidiClockOut out = new MidiClockOut();
        FollowingReceiver in = new FollowingReceiver();
        long t0 = 1_000_000_000L;
        sendAll(out.start(t0, 120, 0), in, t0);
        assertThat(in.statuses).containsExactly(ShortMessage.START);
        long ticks = play(out, in, t0 + 2_000_000_000L - 1, 0, null);
        assertThat(ticks).as("two seconds at 120 bpm: 4 quarter notes").isEqualTo(4 * MidiClockOut.PPQ);
        assertThat(in.follower.tempoBpm()).isCloseTo(120, within(0.01));
        assertThat(in.tempoEvents()).isEqualTo(1);
        assertThat(in.follower.positionQuarterNotes()).isEqualTo(4.0);
        assertThat(in.follower.running()).isTrue();
    }

    @Test
    void jitteryClockStillReadsWithinAQuarterBpm() {
        MidiClockOut out = new MidiClockOut();
        FollowingReceiver in = new FollowingReceiver();
        Random random = new Random(42);
        long t0 = 5_000_000_000L;
        sendAll(out.start(t0, 97, 0), in, t0);
        List<Double> readings = new ArrayList<>();
        for (int beat = 1; beat <= 32; beat++) {
            play(out, in, t0 + Math.round(beat * 60e9 / 97), 1_000_000, random); // ±1 ms per clock
            if (beat > 2) {
                readings.add(in.follower.tempoBpm());
            }
        }
        assertThat(readings).allSatisfy(b -> assertThat(b).isCloseTo(97, within(0.25)));
        assertThat(in.tempoEvents()).as("smoothed: not a change per clock").isLessThan(20);
    }

    @Test
    void tempoChangeIsFollowedWithinABeat() {
        MidiClockOut out = new MidiClockOut();
        FollowingReceiver in = new FollowingReceiver();
        long t0 = 0;
        sendAll(out.start(t0, 120, 0), in, t0);
        play(out, in, 4_000_000_000L, 0, null);
        assertThat(in.follower.tempoBpm()).isCloseTo(120, within(0.01));
        out.setTempo(90);
        long change = out.nextTickNanos();
        play(out, in, change + Math.round(60e9 / 90) + 1, 0, null); // one beat and a clock at 90
        assertThat(in.follower.tempoBpm()).isCloseTo(90, within(0.01));
        assertThat(in.events).last().isEqualTo(new MidiClockFollower.TempoChanged(in.follower.tempoBpm()));
    }

    @Test
    void stopAndContinueFromAPositionSendSongPositionPointer() {
        MidiClockOut out = new MidiClockOut();
        FollowingReceiver in = new FollowingReceiver();
        sendAll(out.start(0, 120, 0), in, 0);
        play(out, in, 1_000_000_000L - 1, 0, null); // 2 quarter notes
        sendAll(out.stop(), in, 1_000_000_000L);
        assertThat(out.nextTickNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(in.follower.running()).isFalse();
        assertThat(in.follower.positionQuarterNotes()).isEqualTo(2.0);

        in.statuses.clear();
        in.events.clear();
        sendAll(out.start(3_000_000_000L, 120, 9.5), in, 3_000_000_000L); // bar 3, beat 2, the "and"
        assertThat(in.statuses).containsExactly(ShortMessage.SONG_POSITION_POINTER, ShortMessage.CONTINUE);
        assertThat(in.events).startsWith(new MidiClockFollower.Positioned(9.5), new MidiClockFollower.Continued(9.5));
        play(out, in, 3_000_000_000L + 500_000_000L - 1, 0, null);
        assertThat(in.follower.positionQuarterNotes()).isEqualTo(10.5);
        assertThat(out.positionClocks()).isEqualTo(10 * 24 + 12);
    }

    @Test
    void songPositionPointerCarriesFourteenBits() {
        ShortMessage spp = MidiClockOut.songPosition(1000);
        assertThat(spp.getData1()).isEqualTo(1000 & 0x7f);
        assertThat(spp.getData2()).isEqualTo(1000 >> 7);
        MidiClockFollower f = new MidiClockFollower();
        assertThat(f.accept(spp, 0)).containsExactly(new MidiClockFollower.Positioned(250));
    }

    @Test
    void aPauseInTheClockRestartsTheTempoWindowInsteadOfReadingASlowTempo() {
        MidiClockOut out = new MidiClockOut();
        FollowingReceiver in = new FollowingReceiver();
        sendAll(out.start(0, 140, 0), in, 0);
        play(out, in, 2_000_000_000L, 0, null);
        sendAll(out.stop(), in, 2_000_000_000L);
        sendAll(out.start(10_000_000_000L, 140, 0), in, 10_000_000_000L);
        play(out, in, 10_100_000_000L, 0, null);
        assertThat(in.follower.tempoBpm()).isCloseTo(140, within(0.01));
        assertThat(in.events).filteredOn(e -> e instanceof MidiClockFollower.TempoChanged)
                .allSatisfy(e -> assertThat(((MidiClockFollower.TempoChanged) e).bpm()).isCloseTo(140, within(0.01)));
    }

    @Test
    void tickTimesDoNotDriftOverAnHour() {
        MidiClockOut out = new MidiClockOut();
        out.start(0, 133.3, 0);
        long n = 0;
        while (out.nextTickNanos() < 3_600_000_000_000L) {
            out.tick();
            n++;
        }
        assertThat(Math.abs(out.nextTickNanos() - n * out.periodNanos())).isLessThan(1.0);
    }
}
