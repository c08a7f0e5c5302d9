package dev.concerto.director.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.ClockSync;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.RejectReason;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TimedSender}'s logic on a fake clock ({@link VirtualTime}): the start times it writes after
 * clock sync over simulated asymmetric, jittery paths with drift; leases and their extension;
 * silence; redundancy, sequence numbers and signatures; reply matching; liveness. What it sends is
 * captured by a {@link FakeTimedPlayer} on loopback (which only records: it never answers here).
 */
class TimedSenderTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final long MS = 1_000_000L;
    private final VirtualTime time = new VirtualTime();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private FakeTimedPlayer capture(Authenticator auth) throws Exception {
        FakeTimedPlayer p = new FakeTimedPlayer(0, false, auth);
        open.add(p);
        return p;
    }

    private TimedSender sender(FakeTimedPlayer to, String protocol, double latencyOffsetMs, TimedOptions options) throws Exception {
        RosterEntry e = new RosterEntry("p", "127.0.0.1", to.port(), Protocol.of(protocol).orElseThrow(), "v", latencyOffsetMs);
        TimedSender s = TimedSender.open(new ResolvedPlayer(e, new InetSocketAddress("127.0.0.1", to.port())), options, time);
        open.add(s);
        return s;
    }

    /** A simulated player clock: offset plus drift against the director's (fake) clock, in µs. */
    private record PlayerClock(long offsetMicros, double driftPpm, long refMicros) {
        long at(long directorMicros) {
            return directorMicros + offsetMicros + Math.round((directorMicros - refMicros) * driftPpm * 1e-6);
        }
    }

    /**
     * Runs sync exchanges every 500 ms for {@code seconds}: request out, reply back, over a path
     * {@code up} µs one way and {@code down} µs the other, with queueing delay added to most of them.
     * Returns the director's clock afterwards.
     */
    private void exchange(TimedSender s, FakeTimedPlayer wire, PlayerClock player, long up, long down, int count) throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < count; i++) {
            int before = syncRequests(wire).size();
            s.sendSyncRequest();
            assertThat(wire.await(w -> syncRequests(w).size() > before, WAIT)).isTrue();
            TimedMessage.SyncRequest req = syncRequests(wire).get(before);
            long t1 = req.t1Micros();
            assertThat(t1).isEqualTo(time.nanoTime() / 1000);
            // Three exchanges in four meet queues on the way (1.5..6 ms more), as on a busy Wi-Fi.
            long q1 = i % 4 == 0 ? 0 : 1_500 + random.nextInt(4_500);
            long q2 = i % 4 == 0 ? 0 : random.nextInt(3_000);
            long arrive = t1 + up + q1;
            long t2 = player.at(arrive);
            long t3 = t2 + 40; // the player's own handling, 40 µs of its clock
            long t4 = arrive + 40 + down + q2;
            time.advance((t4 - t1) * 1000);
            assertThat(s.onReply(new TimedMessage.SyncReply(req.seq(), t1, t2, t3, List.of("legacy", "timed/1")), t4)).isTrue();
            time.advance(500 * MS - (t4 - t1) * 1000);
        }
    }

    private static List<TimedMessage.SyncRequest> syncRequests(FakeTimedPlayer w) {
        return w.received().stream().filter(r -> r.timed() instanceof TimedMessage.SyncRequest)
                .map(r -> (TimedMessage.SyncRequest) r.timed()).toList();
    }

    @Test
    void startTimesAreWrittenInThePlayersClockDespiteAsymmetryQueueingAndDrift() throws Exception {
        FakeTimedPlayer wire = capture(null);
        TimedSender s = sender(wire, "timed", 0, TimedOptions.defaults());
        long now0 = time.nanoTime() / 1000;
        PlayerClock player = new PlayerClock(-123_456_789, 40, now0); // 40 ppm fast, 123 s behind
        long up = 3_000;
        long down = 1_000;
        exchange(s, wire, player, up, down, 24); // 12 s of syncing
        assertThat(s.settleAfterProbe()).isTrue();
        assertThat(s.mode()).isEqualTo(TimedSender.Mode.TIMED);
        ClockSync.Estimate e = s.clockEstimate();
        assertThat(e.driftPpm()).isCloseTo(40, org.assertj.core.data.Offset.offset(0.5));
        assertThat(e.rttMicros()).isEqualTo(up + down);

        long due = time.nanoTime() + 100 * MS;
        s.send(440, due, due + 500 * MS);
        assertThat(wire.await(w -> w.tones().size() == 1, WAIT)).isTrue();
        TimedMessage.Tone t = wire.tones().get(0);
        // The one error no exchange can see: half the path's asymmetry, (up - down) / 2.
        long truth = player.at(due / 1000);
        assertThat(t.atMicros() - truth).isBetween((up - down) / 2 - 3, (up - down) / 2 + 3);
        assertThat(t.milliHz()).isEqualTo(440_000);
        assertThat(t.leaseMillis()).isEqualTo(500 + TimedOptions.LEASE_MARGIN_MILLIS);

        // Without the drift fit the same start would be off by 40 ppm of 12 s, about 480 µs.
        long naive = due / 1000 + Math.round(e.offsetMicros());
        assertThat(Math.abs(naive - truth)).isGreaterThan(400);
    }

    @Test
    void theRostersLatencyOffsetMovesEveryStartTime() throws Exception {
        FakeTimedPlayer wire = capture(null);
        TimedSender early = sender(wire, "timed", -20, TimedOptions.defaults());
        TimedSender plain = sender(wire, "timed", 0, TimedOptions.defaults());
        ClockSync.Estimate est = new ClockSync.Estimate(5_000_000, time.nanoTime() / 1000, 0, 100, 1, 8);
        early.forceTimed(est);
        plain.forceTimed(est);
        long due = time.nanoTime() + 100 * MS;
        plain.send(262, due, Long.MAX_VALUE);
        early.send(262, due, Long.MAX_VALUE);
        assertThat(wire.await(w -> w.tones().size() == 2, WAIT)).isTrue();
        assertThat(wire.tones().get(0).atMicros() - wire.tones().get(1).atMicros()).isEqualTo(20_000);
        assertThat(wire.tones().get(0).atMicros()).isEqualTo(due / 1000 + 5_000_000);
    }

    @Test
    void aLongNoteIsExtendedBeforeEachLeaseRunsOutAndEndsWithAnExplicitSilence() throws Exception {
        FakeTimedPlayer wire = capture(null);
        TimedOptions options = TimedOptions.defaults().withMaxLease(1_000).withRedundancy(2);
        TimedSender s = sender(wire, "timed", 0, options);
        s.forceTimed(new ClockSync.Estimate(1_000_000, time.nanoTime() / 1000, 0, 100, 1, 8));
        long lead = options.leadMillis() * MS;
        long due = time.nanoTime() + lead;
        long end = due + 5_000 * MS;
        s.send(330, due, end); // a 5 s note, leases of at most 1 s
        boolean endSent = false;
        for (long t = time.nanoTime(); t < end + 2_000 * MS; t += 25 * MS) {
            time.advance(t - time.nanoTime());
            if (!endSent && t >= end - lead) {
                s.send(0, end, Long.MAX_VALUE); // what the scheduler does, one lead ahead of the note's end
                endSent = true;
            }
            s.maintain(t);
        }
        assertThat(s.extensionCount()).isBetween(5L, 9L); // one about every 700 ms: lease 1 s, renewed 400 ms before it ends
        assertThat(wire.await(w -> w.tones().size() == 2 * (2 + s.extensionCount()), WAIT)).isTrue();

        // Every message twice (redundancy 2), copies sharing a sequence number; numbers consecutive.
        List<TimedMessage.Tone> all = wire.tones();
        Map<Long, List<TimedMessage.Tone>> bySeq = new LinkedHashMap<>();
        for (TimedMessage.Tone t : all) {
            bySeq.computeIfAbsent(t.seq(), k -> new ArrayList<>()).add(t);
        }
        assertThat(bySeq.values()).allSatisfy(copies -> assertThat(copies).hasSize(2).containsOnly(copies.get(0)));
        List<TimedMessage.Tone> tones = bySeq.values().stream().map(c -> c.get(0)).toList();
        for (int i = 1; i < tones.size(); i++) {
            assertThat(tones.get(i).seq()).isEqualTo((tones.get(i - 1).seq() + 1) & TimedMessage.MAX_SEQ);
        }
        // No gap: each message starts before the lease of the one before runs out, the last 330 Hz
        // lease covers the note's end, and the silence is due exactly at the end.
        long offset = 1_000_000;
        for (int i = 1; i < tones.size(); i++) {
            TimedMessage.Tone prev = tones.get(i - 1);
            assertThat(tones.get(i).atMicros()).isLessThan(prev.leaseEndMicros());
            assertThat(tones.get(i).atMicros()).isGreaterThan(prev.atMicros());
        }
        TimedMessage.Tone last = tones.get(tones.size() - 1);
        assertThat(last.milliHz()).isZero();
        assertThat(last.atMicros()).isEqualTo(end / 1000 + offset);
        TimedMessage.Tone lastSounding = tones.get(tones.size() - 2);
        assertThat(lastSounding.milliHz()).isEqualTo(330_000);
        assertThat(lastSounding.leaseEndMicros()).isGreaterThanOrEqualTo(last.atMicros());
        assertThat(tones.subList(0, tones.size() - 1)).allSatisfy(t -> assertThat(t.leaseMillis()).isLessThanOrEqualTo(1_000));
    }

    @Test
    void silenceNowSilencesAtOnceAndAtTheStartOfEveryChangeSentAhead() throws Exception {
        FakeTimedPlayer wire = capture(null);
        TimedSender s = sender(wire, "timed", 0, TimedOptions.defaults());
        s.forceTimed(new ClockSync.Estimate(0, time.nanoTime() / 1000, 0, 100, 1, 8));
        long now = time.nanoTime();
        s.send(440, now + 50 * MS, now + 90 * MS);
        s.send(0, now + 90 * MS, Long.MAX_VALUE);
        time.advance(10 * MS);
        s.silenceNow();
        assertThat(wire.await(w -> w.tones().size() == 5, WAIT)).isTrue();
        List<TimedMessage.Tone> t = wire.tones();
        assertThat(t.subList(2, 5)).extracting(TimedMessage.Tone::milliHz).containsOnly(0L);
        assertThat(t.subList(2, 5)).extracting(TimedMessage.Tone::atMicros)
                .containsExactly((now + 10 * MS) / 1000, t.get(0).atMicros(), t.get(1).atMicros());
        assertThat(t.get(4).seq()).isGreaterThan(t.get(1).seq());
        // Nothing is pending any more: a second silence is one message.
        s.silenceNow();
        assertThat(wire.await(w -> w.tones().size() == 6, WAIT)).isTrue();
    }

    @Test
    void withAKeyEveryMessageIsSignedAndAnotherKeyCallsItForged() throws Exception {
        Authenticator key = new Authenticator("0123456789abcdef-shared".getBytes(StandardCharsets.US_ASCII));
        FakeTimedPlayer wire = capture(key);
        TimedSender s = sender(wire, "timed", 0, TimedOptions.defaults().withAuthenticator(key));
        s.forceTimed(new ClockSync.Estimate(0, time.nanoTime() / 1000, 0, 100, 1, 8));
        s.sendSyncRequest();
        s.send(440, time.nanoTime() + 100 * MS, Long.MAX_VALUE);
        s.silenceNow();
        assertThat(wire.await(w -> w.received().size() >= 4, WAIT)).isTrue();
        assertThat(wire.received()).allSatisfy(r -> {
            assertThat(r.rejected()).isNull();
            assertThat(r.raw()).matches("[TS] .* [0-9a-f]{16}");
            assertThat(r.raw().length()).isLessThanOrEqualTo(TimedCodec.MAX_TONE_BYTES);
        });
        Authenticator other = new Authenticator("another-key-of-16-bytes".getBytes(StandardCharsets.US_ASCII));
        byte[] raw = wire.received().get(1).raw().getBytes(StandardCharsets.US_ASCII);
        assertThat(TimedCodec.decode(raw, other)).isInstanceOfSatisfying(DecodeResult.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(RejectReason.FORGED));
    }

    @Test
    void repliesThatMatchNoRequestAreIgnored() throws Exception {
        FakeTimedPlayer wire = capture(null);
        TimedSender s = sender(wire, "timed", 0, TimedOptions.defaults());
        s.sendSyncRequest();
        assertThat(wire.await(w -> syncRequests(w).size() == 1, WAIT)).isTrue();
        TimedMessage.SyncRequest req = syncRequests(wire).get(0);
        long t4 = req.t1Micros() + 200;
        List<String> v = List.of("timed/1");
        assertThat(s.onReply(new TimedMessage.SyncReply(req.seq(), req.t1Micros() + 1, 5, 6, v), t4)).isFalse(); // wrong echo
        assertThat(s.onReply(new TimedMessage.SyncReply(req.seq() + 1, req.t1Micros(), 5, 6, v), t4)).isFalse(); // unknown seq
        assertThat(s.clockEstimate()).isNull();
        long t2 = req.t1Micros() + 90 + 5_000_000; // 90 µs each way, 20 µs in the player
        assertThat(s.onReply(new TimedMessage.SyncReply(req.seq(), req.t1Micros(), t2, t2 + 20, v), t4)).isTrue();
        assertThat(s.onReply(new TimedMessage.SyncReply(req.seq(), req.t1Micros(), t2, t2 + 20, v), t4)).isFalse(); // duplicate
        assertThat(s.rejectedReplyCount()).isEqualTo(3);
        assertThat(s.syncReplyCount()).isEqualTo(1);
        assertThat(s.clockEstimate().rttMicros()).isEqualTo(180);
        assertThat(s.clockEstimate().offsetMicros()).isEqualTo(5_000_000.0);
        assertThat(s.versions()).containsExactly("timed/1");
    }

    @Test
    void livenessFollowsTheAnswersAndAutoFallsBackToThePlainIntegerWithoutOne() throws Exception {
        FakeTimedPlayer wire = capture(null);
        TimedSender timed = sender(wire, "timed", 0, TimedOptions.defaults());
        TimedSender auto = sender(wire, "auto", 0, TimedOptions.defaults());
        assertThat(timed.liveness()).isEqualTo(PlayerActivity.Liveness.UNKNOWN);
        timed.sendSyncRequest();
        auto.sendSyncRequest();
        assertThat(wire.await(w -> syncRequests(w).size() == 2, WAIT)).isTrue();
        TimedMessage.SyncRequest req = syncRequests(wire).stream()
                .filter(r -> r.t1Micros() == time.nanoTime() / 1000).findFirst().orElseThrow();
        // Both senders numbered from the same wall clock: answer the timed one's (sent first).
        timed.onReply(new TimedMessage.SyncReply(req.seq(), req.t1Micros(), 10, 11, List.of("timed/1")), req.t1Micros() + 50);
        assertThat(timed.liveness()).isEqualTo(PlayerActivity.Liveness.REACHABLE);
        assertThat(timed.settleAfterProbe()).isTrue();
        assertThat(auto.settleAfterProbe()).isTrue();
        assertThat(auto.mode()).isEqualTo(TimedSender.Mode.LEGACY);
        assertThat(auto.leadNanos()).isZero();
        assertThat(auto.liveness()).isEqualTo(PlayerActivity.Liveness.UNKNOWN);
        assertThat(auto.protocolInUse()).isEqualTo("legacy");
        time.advance(TimedSender.SILENT_AFTER_NANOS + MS);
        assertThat(timed.liveness()).isEqualTo(PlayerActivity.Liveness.SILENT);

        auto.send(440, time.nanoTime(), Long.MAX_VALUE);
        assertThat(wire.await(w -> w.plain().contains(440), WAIT)).isTrue();

        TimedSender never = sender(wire, "timed", 0, TimedOptions.defaults());
        assertThat(never.settleAfterProbe()).isFalse();
    }
}
