package dev.concerto.director.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.protocol.TimedMessage;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Live notes through the one {@link Scheduler} ({@link Scheduler#liveChange}, {@link Scheduler#silenceAll}),
 * in memory on a fake clock: exact pitch, a held note's lease renewed by its stream until the note
 * ends, a plain-integer player changed at the due time, and a panic that leaves the transport alone.
 */
class SchedulerLiveTest {

    private static final long MS = 1_000_000L;
    private final VirtualTime time = new VirtualTime();
    private FakeWire timedWire;
    private FakeWire plainWire;
    private Scheduler scheduler;

    @BeforeEach
    void setUp() {
        timedWire = new FakeWire(time, null).answering(new FakeWire.PlayerClock(5_000_000, 0, 0), 200, 200);
        plainWire = new FakeWire(time, null);
        TimedOptions options = TimedOptions.defaults().withRedundancy(1);
        long seq = PlayerStream.firstSeq(time.epochMicros());
        List<PlayerStream> streams = List.of(
                new PlayerStream(new RosterEntry("t", "127.0.0.1", 9, Protocol.TIMED, "v", 0), "127.0.0.1:9", timedWire,
                        options, seq, time.nanoTime()),
                new PlayerStream(new RosterEntry("l", "127.0.0.1", 10, Protocol.LEGACY, "v", 0), "127.0.0.1:10",
                        plainWire, options, seq, time.nanoTime()));
        scheduler = new Scheduler(Timelines.of(1, Timelines.voice("v")), streams, time, new ScheduleMeter(), null,
                Scheduler.DEFAULT_START_LEAD_NANOS, 0, Set.of());
        runFor(1_000 * MS); // the sync burst
        assertThat(scheduler.settle()).isEmpty();
        assertThat(streams.get(0).mode()).isEqualTo(PlayerStream.Mode.TIMED);
    }

    /** Plays the scheduler's loop on the fake clock: wait for the next work, run it, hand replies back. */
    private void runFor(long nanos) {
        long end = time.nanoTime() + nanos;
        while (true) {
            long next = Math.max(time.nanoTime(), Math.min(scheduler.nextPreciseNanos(), scheduler.nextRoughNanos()));
            if (next > end) {
                time.advance(end - time.nanoTime());
                return;
            }
            time.advance(next - time.nanoTime());
            scheduler.runDue(time.nanoTime());
            for (FakeWire.Reply r : timedWire.takeReplies()) {
                scheduler.onDatagram(0, r.datagram(), r.datagram().length, r.arrivalNanos());
            }
        }
    }

    @Test
    void aHeldLiveNoteKeepsItsExactPitchAndItsLeaseUntilItEnds() {
        double middleC = 261.6255653005986;
        long due = time.nanoTime() + 100 * MS;
        scheduler.liveChange(0, middleC, due, time.nanoTime());
        List<TimedMessage.Tone> first = timedWire.tones();
        assertThat(first).hasSize(1);
        assertThat(first.get(0).milliHz()).isEqualTo(Math.round(middleC * 1000));
        assertThat(first.get(0).leaseMillis()).isEqualTo(TimedOptions.DEFAULT_MAX_LEASE_MILLIS);
        assertThat(scheduler.snapshot(time.nanoTime()).players().get(0).hz()).isEqualTo(middleC);

        runFor(10_000 * MS); // held for 10 s: five times the longest lease
        List<TimedMessage.Tone> held = timedWire.tones();
        assertThat(held.size()).isGreaterThanOrEqualTo(5);
        assertThat(held).allSatisfy(t -> assertThat(t.milliHz()).isEqualTo(Math.round(middleC * 1000)));
        assertThat(scheduler.streams().get(0).tones().extensionCount()).isEqualTo(held.size() - 1);

        scheduler.liveChange(0, 0, time.nanoTime() + 100 * MS, time.nanoTime());
        int afterRelease = timedWire.tones().size();
        assertThat(timedWire.tones().get(afterRelease - 1).milliHz()).isZero();
        runFor(10_000 * MS);
        assertThat(timedWire.tones()).hasSize(afterRelease); // released: no more renewals
    }

    @Test
    void aPlainIntegerPlayerGetsTheLiveNoteAtItsDueTimeRounded() {
        long due = time.nanoTime() + 10 * MS;
        scheduler.liveChange(1, 440.4, due, time.nanoTime());
        assertThat(plainWire.plain()).isEmpty();
        runFor(9 * MS);
        assertThat(plainWire.plain()).isEmpty();
        runFor(2 * MS);
        assertThat(plainWire.plain()).containsExactly(440);
        assertThat(plainWire.received().get(0).nanos()).isEqualTo(due);
    }

    @Test
    void silenceAllSilencesEveryPlayerRepeatedlyAndLeavesTheTransportAlone() {
        scheduler.liveChange(0, 440, time.nanoTime() + 100 * MS, time.nanoTime());
        scheduler.liveChange(1, 440, time.nanoTime(), time.nanoTime());
        scheduler.silenceAll(time.nanoTime());
        runFor(50 * MS);
        assertThat(plainWire.plain()).containsExactly(440, 0, 0, 0);
        assertThat(timedWire.tones().stream().filter(t -> t.milliHz() == 0).count()).isGreaterThanOrEqualTo(Silence.REPEATS);
        assertThat(scheduler.playState()).isEqualTo(PlayState.STOPPED);
        assertThat(scheduler.snapshot(time.nanoTime()).players()).allSatisfy(p -> assertThat(p.hz()).isZero());
        runFor(10_000 * MS);
        assertThat(scheduler.streams().get(0).tones().extensionCount()).isZero();
    }
}
