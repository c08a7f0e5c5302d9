package dev.concerto.director.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The lead through the one {@link Scheduler}, in memory on a fake clock: the roster's lead is the
 * longest any timed player wants, and every change of a piece — the first after Play included —
 * is handed over at least that lead before it is due.
 */
class SchedulerLeadTest {

    private static final long MS = 1_000_000L;
    private final VirtualTime time = new VirtualTime();
    private final List<FakeWire> wires = new ArrayList<>();

    /** One send the observer saw. */
    private record Send(int player, double hz, long deadline, long sendAt, long sent) {
    }

    private Scheduler scheduler(int[] leadsMillis, List<Send> sends) {
        List<PlayerStream> streams = new ArrayList<>();
        long seq = PlayerStream.firstSeq(time.epochMicros());
        for (int i = 0; i < leadsMillis.length; i++) {
            FakeWire wire = new FakeWire(time, null).answering(new FakeWire.PlayerClock(5_000_000L * (i + 1), 0, 0),
                    300, 300);
            wires.add(wire);
            streams.add(new PlayerStream(new RosterEntry("p" + i, "127.0.0.1", 9 + i, Protocol.TIMED,
                    i % 2 == 0 ? "bass" : "melody", 0), "127.0.0.1:" + (9 + i), wire,
                    TimedOptions.defaults().withRedundancy(1).withLead(leadsMillis[i]), seq, time.nanoTime()));
        }
        Scheduler s = new Scheduler(Timelines.twoVoices(2), streams, time, new ScheduleMeter(),
                (p, hz, deadline, sendAt, sent) -> sends.add(new Send(p, hz, deadline, sendAt, sent)),
                Scheduler.DEFAULT_START_LEAD_NANOS, 0, Set.of());
        runFor(s, 1_000 * MS); // the sync burst
        assertThat(s.settle()).isEmpty();
        return s;
    }

    /** The scheduler's loop on the fake clock: wait for the next work, run it, hand replies back. */
    private void runFor(Scheduler s, long nanos) {
        long end = time.nanoTime() + nanos;
        while (true) {
            long next = Math.max(time.nanoTime(), Math.min(s.nextPreciseNanos(), s.nextRoughNanos()));
            if (next > end) {
                time.advance(end - time.nanoTime());
                return;
            }
            time.advance(next - time.nanoTime());
            s.runDue(time.nanoTime());
            for (int p = 0; p < wires.size(); p++) {
                for (FakeWire.Reply r : wires.get(p).takeReplies()) {
                    s.onDatagram(p, r.datagram(), r.datagram().length, r.arrivalNanos());
                }
            }
        }
    }

    @Test
    void theRostersLeadIsTheLongestAnyTimedPlayerWants() {
        Scheduler s = scheduler(new int[] {100, 250, 150}, new ArrayList<>());
        assertThat(s.leadNanos()).isEqualTo(250 * MS);
    }

    @Test
    void everyChangeTheFirstAfterPlayIncludedIsHandedOverAFullLeadBeforeItIsDue() {
        List<Send> sends = new ArrayList<>();
        Scheduler s = scheduler(new int[] {100, 250}, sends);
        long lead = s.leadNanos();
        long playedAt = time.nanoTime();
        s.play(playedAt);
        runFor(s, 10_000 * MS); // the whole piece (8 s) and its end

        List<Send> notes = sends.stream().filter(x -> x.deadline() != x.sent()).toList(); // not the final silences
        assertThat(notes).isNotEmpty();
        Send first = notes.stream().min(java.util.Comparator.comparingLong(Send::sent)).orElseThrow();
        assertThat(first.deadline() - first.sent()).as("the first note after Play").isGreaterThanOrEqualTo(lead);
        assertThat(first.deadline()).isEqualTo(playedAt + Scheduler.DEFAULT_START_LEAD_NANOS + lead);
        assertThat(notes).allSatisfy(x -> {
            assertThat(x.deadline() - x.sent()).isGreaterThanOrEqualTo(lead);
            assertThat(x.deadline() - x.sendAt()).isEqualTo(lead); // the observer is told the lead in force
        });
        // Both players got every note of their voice (the bass's 2 s notes with a lease renewal each).
        assertThat(wires.get(0).tones().stream().filter(t -> t.milliHz() > 0).map(t -> t.milliHz()).distinct())
                .containsExactly(100_000L, 105_000L, 110_000L, 115_000L);
        assertThat(wires.get(1).tones().stream().filter(t -> t.milliHz() > 0)).hasSize(8);
    }
}
