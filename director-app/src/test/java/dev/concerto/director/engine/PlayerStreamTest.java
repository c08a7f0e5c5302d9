package dev.concerto.director.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.ClockSync;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.RejectReason;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The director's per-player streams in memory, on a fake clock, writing to a {@link FakeWire}: no
 * socket, no thread, no sleeping. {@link ClockSyncClient} over asymmetric, queueing and drifting
 * paths; {@link TimedToneStream}'s start times, exact pitch, leases and their renewal, redundancy,
 * sequence numbers, signatures and silence; {@link LegacyStream} sending at the due time and
 * rounding; {@link PlayerStream}'s liveness and the auto fallback.
 */
class PlayerStreamTest {

    /** Defaults but one copy of each message (the automatic redundancy starts with several): for tests that count messages. */
    private static final TimedOptions ONE_COPY = TimedOptions.defaults().withRedundancy(1);

    private static final long MS = 1_000_000L;
    private final VirtualTime time = new VirtualTime();

    private PlayerStream stream(FakeWire wire, Protocol protocol, double latencyOffsetMs, TimedOptions options) {
        return new PlayerStream(new RosterEntry("p", "127.0.0.1", 9, protocol, "v", latencyOffsetMs), "127.0.0.1:9",
                wire, options, PlayerStream.firstSeq(time.epochMicros()), time.nanoTime());
    }

    /** Sends {@code count} sync requests at the client's own pace and hands each reply back when it arrives. */
    private void sync(PlayerStream s, FakeWire wire, int count) {
        for (int i = 0; i < count; i++) {
            long due = s.clockSync().nextRequestNanos();
            time.advance(Math.max(0, due - time.nanoTime()));
            s.pollHousekeeping(time.nanoTime(), time.nanoTime());
            for (FakeWire.Reply r : wire.takeReplies()) {
                time.advance(Math.max(0, r.arrivalNanos() - time.nanoTime()));
                s.onDatagram(r.datagram(), r.datagram().length, r.arrivalNanos());
            }
        }
    }

    private FakeWire answeringWire(long offsetMicros, Authenticator auth) {
        return new FakeWire(time, auth).answering(new FakeWire.PlayerClock(offsetMicros, 0, 0), 0, 0);
    }

    @Test
    void startTimesAreWrittenInThePlayersClockDespiteAsymmetryQueueingAndDrift() {
        Random random = new Random(7);
        long up = 3_000;
        long down = 1_000;
        FakeWire.PlayerClock player = new FakeWire.PlayerClock(-123_456_789, 40, time.nanoTime() / 1000);
        // Three exchanges in four meet queues on the way (1.5..6 ms more), as on a busy Wi-Fi.
        FakeWire wire = new FakeWire(time, null).answering(player, up, down)
                .queueing(i -> i % 4 == 0 ? 0 : 1_500 + random.nextInt(4_500));
        PlayerStream s = stream(wire, Protocol.TIMED, 0, TimedOptions.defaults());
        sync(s, wire, 400); // the burst, 60 fast (40 ms apart), 200 settling (100 ms), then 300 ms apart (noisy): 65 s
        assertThat(s.settleAfterProbe()).isTrue();
        assertThat(s.mode()).isEqualTo(PlayerStream.Mode.TIMED);
        ClockSync.Estimate e = s.clockEstimate();
        assertThat(e.driftPpm()).isCloseTo(40, offset(0.5));
        assertThat(e.rttMicros()).isEqualTo(up + down + 40); // the player's 40 µs turnaround: a note waits for it too

        long due = time.nanoTime() + 100 * MS;
        s.change(440, due, due + 500 * MS, time.nanoTime());
        TimedMessage.Tone t = wire.tones().get(0);
        // The one error no exchange can see: half the path's asymmetry, (up - down) / 2.
        long truth = player.at(due / 1000);
        assertThat(t.atMicros() - truth).isBetween((up - down) / 2 - 3, (up - down) / 2 + 3);
        assertThat(t.milliHz()).isEqualTo(440_000);
        assertThat(t.leaseMillis()).isEqualTo(500 + TimedOptions.LEASE_MARGIN_MILLIS);
        // Without the drift fit the same start would be off by 40 ppm of the time since the line's reference.
        long naive = due / 1000 + Math.round(e.offsetMicros());
        assertThat(Math.abs(naive - truth)).isGreaterThan(400);
    }

    @Test
    void theLastExchangeUsedIsKeptWithItsFourStampsForDiagnosis() {
        FakeWire wire = answeringWire(0, null);
        PlayerStream s = stream(wire, Protocol.TIMED, 0, ONE_COPY);
        assertThat(s.clockSync().lastExchange()).isNull();
        sync(s, wire, 1);
        SyncExchange x = s.clockSync().lastExchange();
        assertThat(x.outcome()).isEqualTo(dev.concerto.protocol.ClockEstimator.Outcome.USED);
        assertThat(x.t4Micros()).isGreaterThanOrEqualTo(x.t1Micros());
        assertThat(x.offsetMicros()).isCloseTo(0, offset(1.0)); // one clock, no delay either way
        assertThat(x.stampedOffsetMicros()).isCloseTo(0, offset(1.0));
    }

    @Test
    void theExactFrequencyGoesOnTheWireToTheMillihertz() {
        FakeWire wire = answeringWire(0, null);
        PlayerStream s = stream(wire, Protocol.TIMED, 0, ONE_COPY);
        sync(s, wire, 1);
        s.settleAfterProbe();
        long now = time.nanoTime();
        s.change(65.40639132514966, now + 100 * MS, Long.MAX_VALUE, now); // C2, equal temperament
        s.change(261.6255653005986, now + 200 * MS, Long.MAX_VALUE, now);
        assertThat(wire.tones()).extracting(TimedMessage.Tone::milliHz).containsExactly(65_406L, 261_626L);
        assertThat(wire.toneDatagrams().get(0).raw()).contains(" 65.406 ");
    }

    @Test
    void thePlainIntegerIsSentWhenDueAndRoundedThereOnly() {
        FakeWire wire = new FakeWire(time, null);
        PlayerStream s = stream(wire, Protocol.LEGACY, 0, TimedOptions.defaults());
        long now = time.nanoTime();
        s.change(65.40639132514966, now + 100 * MS, now + 200 * MS, now);
        s.change(261.6255653005986, now + 200 * MS, Long.MAX_VALUE, now);
        assertThat(wire.received()).isEmpty(); // handed over a lead early: waits for its due time
        assertThat(s.nextPreciseNanos()).isEqualTo(now + 100 * MS);
        time.advance(100 * MS);
        s.pollPrecise(time.nanoTime());
        assertThat(wire.plain()).containsExactly(65);
        assertThat(s.nextPreciseNanos()).isEqualTo(now + 200 * MS);
        time.advance(100 * MS);
        s.pollPrecise(time.nanoTime());
        assertThat(wire.plain()).containsExactly(65, 262);
        assertThat(wire.received()).extracting(FakeWire.Received::nanos).containsExactly(now + 100 * MS, now + 200 * MS);
        assertThat(s.nextPreciseNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(LegacyStream.wireHz(261.6255653005986)).isEqualTo(262);
        // Silence now forgets what waits.
        s.change(440, time.nanoTime() + 50 * MS, Long.MAX_VALUE, time.nanoTime());
        s.silenceNow(time.nanoTime());
        assertThat(s.nextPreciseNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(wire.plain()).containsExactly(65, 262, 0);
    }

    @Test
    void theRostersLatencyOffsetMovesEveryStartTime() {
        FakeWire wire = answeringWire(5_000_000, null);
        PlayerStream early = stream(wire, Protocol.TIMED, -20, ONE_COPY);
        PlayerStream plain = stream(wire, Protocol.TIMED, 0, ONE_COPY);
        sync(early, wire, 1);
        sync(plain, wire, 1);
        early.settleAfterProbe();
        plain.settleAfterProbe();
        long due = time.nanoTime() + 100 * MS;
        plain.change(262, due, Long.MAX_VALUE, time.nanoTime());
        early.change(262, due, Long.MAX_VALUE, time.nanoTime());
        assertThat(wire.tones().get(0).atMicros() - wire.tones().get(1).atMicros()).isEqualTo(20_000);
        assertThat(wire.tones().get(0).atMicros()).isEqualTo(due / 1000 + 5_000_000);
    }

    @Test
    void aLongNoteIsRenewedBeforeEachLeaseRunsOutAndEndsWithAnExplicitSilence() {
        FakeWire wire = answeringWire(1_000_000, null);
        TimedOptions options = TimedOptions.defaults().withLead(TimedOptions.DEFAULT_LEAD_MILLIS).withMaxLease(1_000)
                .withRedundancy(2);
        PlayerStream s = stream(wire, Protocol.TIMED, 0, options);
        sync(s, wire, 1);
        s.settleAfterProbe();
        long lead = options.leadMillis() * MS;
        long due = time.nanoTime() + lead;
        long end = due + 5_000 * MS;
        s.change(330, due, end, time.nanoTime()); // a 5 s note, leases of at most 1 s
        boolean endSent = false;
        for (long t = time.nanoTime(); t < end + 2_000 * MS; t += 25 * MS) {
            time.advance(t - time.nanoTime());
            if (!endSent && t >= end - lead) {
                s.change(0, end, Long.MAX_VALUE, t); // what the scheduler does, one lead ahead of the note's end
                endSent = true;
            }
            if (s.nextHousekeepingNanos() <= t) {
                s.pollHousekeeping(t, t);
            }
            wire.takeReplies();
        }
        long renewals = s.tones().extensionCount();
        assertThat(renewals).isBetween(5L, 9L); // one about every 700 ms: lease 1 s, renewed 400 ms before it ends
        assertThat(wire.tones()).hasSize((int) (2 * (2 + renewals)));

        // Every message twice (redundancy 2), copies sharing a sequence number; numbers consecutive.
        Map<Long, List<TimedMessage.Tone>> bySeq = new LinkedHashMap<>();
        for (TimedMessage.Tone t : wire.tones()) {
            bySeq.computeIfAbsent(t.seq(), k -> new ArrayList<>()).add(t);
        }
        assertThat(bySeq.values()).allSatisfy(copies -> assertThat(copies).hasSize(2).containsOnly(copies.get(0)));
        List<TimedMessage.Tone> tones = bySeq.values().stream().map(c -> c.get(0)).toList();
        for (int i = 1; i < tones.size(); i++) {
            assertThat(tones.get(i).seq()).isEqualTo((tones.get(i - 1).seq() + 1) & TimedMessage.MAX_SEQ);
        }
        // No gap: each message starts before the lease of the one before runs out, the last 330 Hz
        // lease covers the note's end, and the silence is due exactly at the end.
        for (int i = 1; i < tones.size(); i++) {
            TimedMessage.Tone prev = tones.get(i - 1);
            assertThat(tones.get(i).atMicros()).isLessThan(prev.leaseEndMicros());
            assertThat(tones.get(i).atMicros()).isGreaterThan(prev.atMicros());
        }
        TimedMessage.Tone last = tones.get(tones.size() - 1);
        assertThat(last.milliHz()).isZero();
        assertThat(last.atMicros()).isEqualTo(end / 1000 + 1_000_000);
        TimedMessage.Tone lastSounding = tones.get(tones.size() - 2);
        assertThat(lastSounding.milliHz()).isEqualTo(330_000);
        assertThat(lastSounding.leaseEndMicros()).isGreaterThanOrEqualTo(last.atMicros());
        assertThat(tones.subList(0, tones.size() - 1)).allSatisfy(t -> assertThat(t.leaseMillis()).isLessThanOrEqualTo(1_000));
    }

    @Test
    void silenceNowSilencesAtOnceAndAtTheStartOfEveryChangeSentAhead() {
        FakeWire wire = answeringWire(0, null);
        PlayerStream s = stream(wire, Protocol.TIMED, 0, ONE_COPY);
        sync(s, wire, 1);
        s.settleAfterProbe();
        long now = time.nanoTime();
        s.change(440, now + 50 * MS, now + 90 * MS, now);
        s.change(0, now + 90 * MS, Long.MAX_VALUE, now);
        time.advance(10 * MS);
        s.silenceNow(time.nanoTime());
        List<TimedMessage.Tone> t = wire.tones();
        assertThat(t).hasSize(5);
        assertThat(t.subList(2, 5)).extracting(TimedMessage.Tone::milliHz).containsOnly(0L);
        assertThat(t.subList(2, 5)).extracting(TimedMessage.Tone::atMicros)
                .containsExactly((now + 10 * MS) / 1000, t.get(0).atMicros(), t.get(1).atMicros());
        assertThat(t.get(4).seq()).isGreaterThan(t.get(1).seq());
        // Nothing is pending any more: a second silence is one message.
        s.silenceNow(time.nanoTime());
        assertThat(wire.tones()).hasSize(6);
    }

    @Test
    void withAKeyEveryMessageIsSignedAndAnotherKeyCallsItForged() {
        Authenticator key = new Authenticator("0123456789abcdef-shared".getBytes(StandardCharsets.US_ASCII));
        FakeWire wire = answeringWire(0, key);
        PlayerStream s = stream(wire, Protocol.TIMED, 0, ONE_COPY.withAuthenticator(key));
        sync(s, wire, 1);
        assertThat(s.clockSync().replyCount()).isEqualTo(1); // the signed reply was accepted
        s.settleAfterProbe();
        s.change(440, time.nanoTime() + 100 * MS, Long.MAX_VALUE, time.nanoTime());
        s.silenceNow(time.nanoTime());
        assertThat(wire.received()).hasSize(4).allSatisfy(r -> {
            assertThat(r.timed()).isNotNull();
            assertThat(r.raw()).matches("[TS] .* [0-9a-f]{16}");
            assertThat(r.raw().length()).isLessThanOrEqualTo(TimedCodec.MAX_TONE_BYTES);
        });
        Authenticator other = new Authenticator("another-key-of-16-bytes".getBytes(StandardCharsets.US_ASCII));
        byte[] raw = wire.received().get(1).raw().getBytes(StandardCharsets.US_ASCII);
        assertThat(TimedCodec.decode(raw, other)).isInstanceOfSatisfying(DecodeResult.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(RejectReason.FORGED));
    }

    @Test
    void repliesThatMatchNoRequestAreIgnored() {
        FakeWire wire = new FakeWire(time, null);
        ClockSyncClient c = new ClockSyncClient(wire, TimedOptions.defaults(), 77, time.nanoTime());
        c.sendRequest(time.nanoTime());
        TimedMessage.SyncRequest req = wire.syncRequests().get(0);
        long t4 = (req.t1Micros() + 200) * 1000;
        List<String> v = List.of("timed/1");
        assertThat(reply(c, new TimedMessage.SyncReply(req.seq(), req.t1Micros() + 1, 5, 6, v), t4)).isFalse(); // wrong echo
        assertThat(reply(c, new TimedMessage.SyncReply(req.seq() + 1, req.t1Micros(), 5, 6, v), t4)).isFalse(); // unknown seq
        assertThat(c.onDatagram("R nonsense".getBytes(StandardCharsets.US_ASCII), 10, t4)).isFalse(); // malformed
        assertThat(c.estimate()).isNull();
        long t2 = req.t1Micros() + 90 + 5_000_000; // 90 µs each way, 20 µs in the player
        assertThat(reply(c, new TimedMessage.SyncReply(req.seq(), req.t1Micros(), t2, t2 + 20, v), t4)).isTrue();
        assertThat(reply(c, new TimedMessage.SyncReply(req.seq(), req.t1Micros(), t2, t2 + 20, v), t4)).isFalse(); // duplicate
        assertThat(c.rejectedCount()).isEqualTo(4);
        assertThat(c.replyCount()).isEqualTo(1);
        assertThat(c.estimate().rttMicros()).isEqualTo(200); // the player's 20 µs included
        assertThat(c.estimate().offsetMicros()).isEqualTo(5_000_000.0);
        assertThat(c.versions()).containsExactly("timed/1");
    }

    private static boolean reply(ClockSyncClient c, TimedMessage.SyncReply r, long t4Nanos) {
        byte[] b = TimedCodec.encode(r, null);
        return c.onDatagram(b, b.length, t4Nanos);
    }

    @Test
    void requestsComeInABurstThenEverySettlingIntervalEachDueAStepAfterThePreviousDueTime() {
        FakeWire wire = new FakeWire(time, null);
        long start = time.nanoTime();
        ClockSyncClient c = new ClockSyncClient(wire, TimedOptions.defaults(), 1, start);
        for (int i = 0; i < ClockSyncClient.BURST + 3; i++) {
            long due = c.nextRequestNanos();
            time.advance(due - time.nanoTime() + 700_000); // sent 0.7 ms late each time
            c.sendRequest(time.nanoTime());
        }
        long burstEnd = start + (ClockSyncClient.BURST - 1) * ClockSyncClient.BURST_SPACING_NANOS;
        assertThat(c.nextRequestNanos()).isEqualTo(burstEnd + 4 * ClockSyncClient.FAST_INTERVAL_NANOS); // no drift from lateness
        assertThat(wire.syncRequests()).hasSize(ClockSyncClient.BURST + 3);
        assertThat(c.requestCount()).isEqualTo(ClockSyncClient.BURST + 3);
    }

    @Test
    void livenessFollowsTheAnswersAndAutoFallsBackToThePlainIntegerWithoutOne() {
        FakeWire answering = answeringWire(0, null);
        FakeWire mute = new FakeWire(time, null);
        PlayerStream timed = stream(answering, Protocol.TIMED, 0, TimedOptions.defaults());
        PlayerStream auto = stream(mute, Protocol.AUTO, 0, TimedOptions.defaults());
        assertThat(timed.liveness(time.nanoTime())).isEqualTo(PlayerActivity.Liveness.UNKNOWN);
        sync(timed, answering, 1);
        auto.pollHousekeeping(time.nanoTime(), time.nanoTime());
        assertThat(mute.syncRequests()).hasSize(1);
        assertThat(timed.liveness(time.nanoTime())).isEqualTo(PlayerActivity.Liveness.REACHABLE);
        assertThat(timed.settleAfterProbe()).isTrue();
        assertThat(auto.settleAfterProbe()).isTrue();
        assertThat(auto.mode()).isEqualTo(PlayerStream.Mode.LEGACY);
        assertThat(auto.leadNanos()).isZero();
        assertThat(auto.liveness(time.nanoTime())).isEqualTo(PlayerActivity.Liveness.UNKNOWN);
        assertThat(auto.protocolInUse()).isEqualTo(Protocol.LEGACY);
        time.advance(ClockSyncClient.SILENT_AFTER_NANOS + MS);
        assertThat(timed.liveness(time.nanoTime())).isEqualTo(PlayerActivity.Liveness.SILENT);

        auto.change(440, time.nanoTime(), Long.MAX_VALUE, time.nanoTime());
        assertThat(mute.plain()).containsExactly(440);

        PlayerStream never = stream(new FakeWire(time, null), Protocol.TIMED, 0, TimedOptions.defaults());
        assertThat(never.settleAfterProbe()).isFalse();
        never.change(440, time.nanoTime(), Long.MAX_VALUE, time.nanoTime()); // no estimate: nothing can be stamped
        assertThat(never.tones().toneCount()).isZero();
    }

    @Test
    void aChangeDueTooSoonForARestampToArriveKeepsItsStampAfterAClockStep() {
        FakeWire wire = answeringWire(1_000_000, null);
        PlayerStream s = stream(wire, Protocol.TIMED, 0, ONE_COPY.withLead(100));
        sync(s, wire, 12);
        s.settleAfterProbe();
        wire.answering(new FakeWire.PlayerClock(1_000_000 - 3_000_000, 0, 0), 0, 0);
        sync(s, wire, 1); // looks like a step: the confirming request is due at once
        long soon = time.nanoTime() + 20 * MS;   // less than half the 100 ms lead to go
        long later = time.nanoTime() + 90 * MS;  // more than half
        s.change(440, soon, later, time.nanoTime());
        s.change(330, later, later + 500 * MS, time.nanoTime());
        int written = wire.tones().size();
        sync(s, wire, 1); // confirmed: a step
        assertThat(s.clockSync().stepCount()).isEqualTo(1);
        assertThat(s.tones().restampedCount()).isEqualTo(1);
        List<TimedMessage.Tone> after = wire.tones().subList(written, wire.tones().size());
        assertThat(after).extracting(TimedMessage.Tone::milliHz).containsExactly(330_000L);
    }

    @Test
    void afterAClockStepWhatWasHandedOverAheadIsReStampedInThePlayersNewClock() {
        FakeWire wire = answeringWire(1_000_000, null);
        PlayerStream s = stream(wire, Protocol.TIMED, 0, TimedOptions.defaults());
        sync(s, wire, 12);
        s.settleAfterProbe();
        long due = time.nanoTime() + 3_000 * MS; // handed over well ahead
        s.change(440, due, due + 500 * MS, time.nanoTime());
        TimedMessage.Tone before = wire.tones().get(wire.tones().size() - 1);
        assertThat(before.atMicros()).isEqualTo(due / 1000 + 1_000_000);

        // The player reboots: its clock now reads 3 s behind where it did.
        wire.answering(new FakeWire.PlayerClock(1_000_000 - 3_000_000, 0, 0), 0, 0);
        long requestsBefore = s.clockSync().requestCount();
        sync(s, wire, 1); // looks like a step: the confirming request is due at once
        assertThat(s.clockSync().nextRequestNanos()).isLessThanOrEqualTo(time.nanoTime());
        sync(s, wire, 1); // confirmed
        assertThat(s.clockSync().requestCount()).isEqualTo(requestsBefore + 2);
        assertThat(s.clockSync().stepCount()).isEqualTo(1);
        assertThat(s.tones().restampedCount()).isEqualTo(1);
        TimedMessage.Tone again = wire.tones().get(wire.tones().size() - 1);
        assertThat(again.milliHz()).isEqualTo(440_000);
        assertThat(again.seq()).isGreaterThan(before.seq()); // supersedes the old one
        assertThat(again.atMicros()).isCloseTo(due / 1000 - 2_000_000, offset(100L));
        assertThat(s.pathStatus().steps()).isEqualTo(1);
    }

    @Test
    void leadAndRedundancyFollowThePathUnlessFixed() {
        Random random = new Random(3);
        // A lossy, jittery path: requests queue 0..60 ms on the way.
        FakeWire wire = answeringWire(0, null).queueing(i -> random.nextInt(60_000));
        PlayerStream auto = stream(wire, Protocol.TIMED, 0, TimedOptions.defaults());
        sync(auto, wire, 30);
        auto.settleAfterProbe();
        assertThat(auto.leadNanos()).isGreaterThan(TimedOptions.DEFAULT_LEAD_MILLIS * MS);
        assertThat(auto.pathStatus().automatic()).isTrue();

        FakeWire wire2 = answeringWire(0, null).queueing(i -> random.nextInt(60_000));
        PlayerStream fixed = stream(wire2, Protocol.TIMED, 0, TimedOptions.defaults().withLead(80).withRedundancy(3));
        sync(fixed, wire2, 30);
        fixed.settleAfterProbe();
        assertThat(fixed.leadNanos()).isEqualTo(80 * MS);
        assertThat(fixed.pathStatus().redundancy()).isEqualTo(3);
        assertThat(fixed.pathStatus().automatic()).isFalse();
        long due = time.nanoTime() + 80 * MS;
        fixed.change(440, due, due + 100 * MS, time.nanoTime());
        assertThat(wire2.toneDatagrams()).hasSize(3);
        // Handed over with less than half the lead left (a director fallen behind): one copy only.
        time.advance(80 * MS);
        fixed.change(0, time.nanoTime() + 30 * MS, Long.MAX_VALUE, time.nanoTime());
        assertThat(wire2.toneDatagrams()).hasSize(4);
        // With half the lead or more left, every copy again.
        fixed.change(330, time.nanoTime() + 40 * MS, Long.MAX_VALUE, time.nanoTime());
        assertThat(wire2.toneDatagrams()).hasSize(7);
    }

}
