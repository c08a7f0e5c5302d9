package dev.concerto.director.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.protocol.TimedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's send budget on a fake clock: redundant copies go out only while the scheduler
 * spends at most a tenth of its time sending; a note's first copy always goes out.
 */
class SendBudgetTest {

    private static final long MS = 1_000_000L;

    @Test
    void aFewPlayersAndOnePreemptionStayWithinTheBudget() {
        SendBudget b = new SendBudget();
        long t = 0;
        for (int i = 0; i < 200; i++) { // 16 sends a second, 20 µs each, for 12 s
            b.spent(t + 20_000, 20_000);
            assertThat(b.affordsCopies(t + 20_000)).isTrue();
            t += 62_500_000;
        }
        b.spent(t + 60 * MS, 60 * MS); // one burst of 60 ms of work
        assertThat(b.affordsCopies(t + 60 * MS)).isTrue();
    }

    @Test
    void aSchedulerBusyMoreThanAQuarterOfItsTimeShedsCopiesUntilItCatchesUp() {
        SendBudget b = new SendBudget();
        long t = 0;
        int firstShed = -1;
        for (int burst = 0; burst < 16; burst++) { // 16 bursts a second, each 40 ms of sending: 64 % busy
            if (firstShed < 0 && !b.affordsCopies(t)) {
                firstShed = burst;
            }
            b.spent(t + 40 * MS, 40 * MS);
            t += 62_500_000;
        }
        assertThat(firstShed).as("shed within a few bursts").isBetween(1, 6);
        assertThat(b.busyShare(t)).isGreaterThan(SendBudget.MAX_BUSY_SHARE);
        assertThat(b.affordsCopies(t + 500 * MS)).isFalse();
        // Two quiet seconds later, copies are affordable again.
        assertThat(b.affordsCopies(t + 2_000 * MS)).isTrue();
    }

    /** A sink that costs {@code costNanos} of the fake clock per datagram. */
    private record CostlySink(FakeWire wire, VirtualTime time, long costNanos) implements DatagramSink {
        @Override
        public boolean send(byte[] datagram, int length) {
            time.advance(costNanos);
            return wire.send(datagram, length);
        }
    }

    private static void play(int players, long costNanos, List<FakeWire> wires, List<PlayerStream> out) {
        play(players, costNanos, wires, out, null, 2_000, 3);
    }

    private static void play(int players, long costNanos, List<FakeWire> wires, List<PlayerStream> out,
                             SendObserver observer, int leadMillis, int copies) {
        VirtualTime time = new VirtualTime();
        long seq = PlayerStream.firstSeq(time.epochMicros());
        for (int i = 0; i < players; i++) {
            FakeWire wire = new FakeWire(time, null).answering(new FakeWire.PlayerClock(0, 0, 0), 100, 100);
            wires.add(wire);
            out.add(new PlayerStream(new RosterEntry("p" + i, "127.0.0.1", 9 + i, Protocol.TIMED, "melody", 0),
                    "127.0.0.1:" + (9 + i), new CostlySink(wire, time, costNanos),
                    TimedOptions.defaults().withRedundancy(copies).withLead(leadMillis), seq, time.nanoTime()));
        }
        Scheduler s = new Scheduler(Timelines.twoVoices(2), out, time, new ScheduleMeter(), observer,
                Scheduler.DEFAULT_START_LEAD_NANOS, 0, Set.of("bass"));
        long end = time.nanoTime() + 1_000 * MS;
        while (time.nanoTime() < end) { // the sync burst
            long next = Math.max(time.nanoTime(), Math.min(s.nextPreciseNanos(), s.nextRoughNanos()));
            time.advance(Math.max(0, Math.min(next, end) - time.nanoTime()));
            s.runDue(time.nanoTime());
            deliver(s, wires);
        }
        assertThat(s.settle()).isEmpty();
        s.play(time.nanoTime());
        end = time.nanoTime() + 12_000 * MS;
        while (time.nanoTime() < end) {
            long next = Math.max(time.nanoTime(), Math.min(s.nextPreciseNanos(), s.nextRoughNanos()));
            time.advance(Math.max(0, Math.min(next, end) - time.nanoTime()));
            s.runDue(time.nanoTime());
            deliver(s, wires);
        }
    }

    private static void deliver(Scheduler s, List<FakeWire> wires) {
        for (int p = 0; p < wires.size(); p++) {
            for (FakeWire.Reply r : wires.get(p).takeReplies()) {
                s.onDatagram(p, r.datagram(), r.datagram().length, r.arrivalNanos());
            }
        }
    }

    /** Each note's datagrams per player: sequence number → copies (notes only, hz > 0). */
    private static List<Long> copiesPerNote(FakeWire wire) {
        return new ArrayList<>(wire.tones().stream().filter(t -> t.milliHz() > 0)
                .collect(Collectors.groupingBy(TimedMessage.Tone::seq, Collectors.counting())).values());
    }

    @Test
    void aRosterTooCostlyForItsDirectorGetsEveryNoteOnceAndTheCopiesItCanAfford() {
        List<FakeWire> wires = new ArrayList<>();
        List<PlayerStream> streams = new ArrayList<>();
        // Three copies fixed; a 2 s lead, so only the budget (not "half the lead left") sheds.
        play(100, 1 * MS, wires, streams); // 100 players × 3 copies × 1 ms a datagram, one note a second: 30 % busy or more
        long shed = streams.stream().mapToLong(st -> st.tones().shedCount()).sum();
        assertThat(shed).isPositive();
        for (int p = 0; p < wires.size(); p++) {
            List<Long> copies = copiesPerNote(wires.get(p));
            assertThat(copies).as("player %d: every note, at least once", p).hasSize(8).allSatisfy(c -> assertThat(c).isBetween(1L, 3L));
        }
        long notes = 100 * 8;
        long written = wires.stream().mapToLong(w -> copiesPerNote(w).stream().mapToLong(Long::longValue).sum()).sum();
        long copiesWritten = streams.stream().mapToLong(st -> st.tones().copyCount()).sum();
        assertThat(written).isLessThan(3 * notes);
        assertThat(written - notes).as("copies counted").isLessThanOrEqualTo(copiesWritten);

        List<FakeWire> cheapWires = new ArrayList<>();
        List<PlayerStream> cheap = new ArrayList<>();
        play(100, 10_000, cheapWires, cheap); // 10 µs a datagram: 3 % busy, every copy goes out
        assertThat(cheap.stream().mapToLong(st -> st.tones().shedCount()).sum()).isZero();
        assertThat(cheapWires).allSatisfy(w -> assertThat(copiesPerNote(w)).hasSize(8).containsOnly(3L));
    }
}
