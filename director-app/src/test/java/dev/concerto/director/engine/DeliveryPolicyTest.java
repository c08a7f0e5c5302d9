package dev.concerto.director.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.netem.BurstLoss;
import dev.concerto.netem.Direction;
import dev.concerto.netem.PathProfile;
import dev.concerto.netem.SimulatedPath;
import dev.concerto.protocol.ClockEstimator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The auto lead/redundancy policy on simulated paths, on a fake clock. */
class DeliveryPolicyTest {

    private static final long INTERVAL = 500_000;
    private static final DeliveryPolicy.Choice DEFAULTS = new DeliveryPolicy.Choice(100_000, 1);

    /** Drives estimator and policy over a path; returns the choices, one per exchange. */
    private static List<DeliveryPolicy.Choice> drive(SimulatedPath path, ClockEstimator est, DeliveryPolicy policy,
                                                     long from, long to) {
        List<DeliveryPolicy.Choice> out = new ArrayList<>();
        for (long t = from; t < to; t += INTERVAL) {
            est.requestSent(t);
            SimulatedPath.Exchange x = path.exchange(t);
            if (x != null) {
                est.add(x.t1(), x.t2(), x.t3(), x.t4());
            }
            out.add(policy.update(est.estimate(t), t));
        }
        return out;
    }

    @Test
    void aCleanPathGetsTheShortestLeadAndOneCopy() {
        DeliveryPolicy policy = new DeliveryPolicy(DEFAULTS);
        List<DeliveryPolicy.Choice> cs = drive(new SimulatedPath(PathProfile.Named.LAN.profile(), 1, 0, 0),
                new ClockEstimator(), policy, 0, 200_000_000);
        assertThat(cs.get(cs.size() - 1)).isEqualTo(new DeliveryPolicy.Choice(DeliveryPolicy.MIN_LEAD_MICROS, 1));
    }

    @Test
    void aPlayerThatRendersAheadGetsALeadCoveringItsOutputLatencyToo() {
        // A clean path needs the shortest lead; a player on a line with a 200 ms buffer renders each
        // change about 190 ms before it sounds: the change must be there before that.
        SimulatedPath lan = new SimulatedPath(PathProfile.Named.LAN.profile(), 1, 0, 0);
        ClockEstimator est = new ClockEstimator();
        DeliveryPolicy policy = new DeliveryPolicy(DEFAULTS);
        DeliveryPolicy.Choice last = null;
        for (long t = 0; t < 200_000_000; t += INTERVAL) {
            est.requestSent(t);
            SimulatedPath.Exchange x = lan.exchange(t);
            if (x != null) {
                est.add(x.t1(), x.t2(), x.t3(), x.t4());
            }
            last = policy.update(est.estimate(t), t, 190_000);
            assertThat(last.leadMicros()).as("at %d µs", t).isGreaterThanOrEqualTo(
                    t < INTERVAL ? DEFAULTS.leadMicros() : 190_000 + DeliveryPolicy.LEAD_MARGIN_MICROS);
        }
        assertThat(last.leadMicros()).isEqualTo(DeliveryPolicy.neededLead(est.estimate(200_000_000), 190_000))
                .isLessThan(190_000 + DeliveryPolicy.LEAD_MARGIN_MICROS + 2_000);
    }

    @Test
    void untilTheLossIsKnownAPlayerGetsSeveralCopiesSoALossyPathLosesNoFirstNotes() {
        // wifi-busy loses 5 % each way; a few exchanges without a loss prove nothing. From the first
        // answered exchange on (no note is sent before one), every note goes out in at least three copies (1.25e-4 chance of losing all; four, 6e-6, once 5 % is seen).
        DeliveryPolicy policy = new DeliveryPolicy(DEFAULTS);
        List<DeliveryPolicy.Choice> cs = drive(new SimulatedPath(PathProfile.Named.WIFI_BUSY.profile(), 9, 0, 0),
                new ClockEstimator(), policy, 0, 120_000_000);
        cs = cs.subList(cs.indexOf(cs.stream().filter(c -> !c.equals(DEFAULTS)).findFirst().orElseThrow()), cs.size());
        assertThat(cs).allSatisfy(c -> assertThat(c.redundancy()).isGreaterThanOrEqualTo(3));
        // A clean path with a radio hop's round trip (2 ms each way, no loss) starts the same way and
        // comes down as its exchanges show it clean, never up: at once (no loss was ever seen, so the
        // copies were only the prior's), at one copy once the loss is known.
        Direction radio = Direction.PERFECT.withBase(2_000);
        DeliveryPolicy clean = new DeliveryPolicy(DEFAULTS);
        List<DeliveryPolicy.Choice> quiet = drive(new SimulatedPath(PathProfile.symmetric("quiet radio", radio), 10, 0, 0),
                new ClockEstimator(), clean, 0, 200_000_000);
        assertThat(quiet.get(0).redundancy()).isEqualTo(DeliveryPolicy.MAX_REDUNDANCY);
        for (int i = 1; i < quiet.size(); i++) {
            assertThat(quiet.get(i - 1).redundancy()).isGreaterThanOrEqualTo(quiet.get(i).redundancy());
        }
        assertThat(quiet.get(quiet.size() - 1).redundancy()).isEqualTo(1);
        long judgedAfterMicros = ClockEstimator.REPLY_TIMEOUT_MICROS + DeliveryPolicy.LOSS_KNOWN_AFTER * INTERVAL;
        assertThat(quiet.get((int) (judgedAfterMicros / INTERVAL) + 1).redundancy()).isEqualTo(1);
    }

    @Test
    void aLocalPathWhoseFirstExchangesWereSlowComesDownToOneCopyOnceAnExchangeShowsItLocal() {
        // A JIT-cold player on loopback: the first three exchanges take 5 ms, then 200 µs.
        DeliveryPolicy policy = new DeliveryPolicy(DEFAULTS);
        ClockEstimator est = new ClockEstimator();
        List<DeliveryPolicy.Choice> cs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long t1 = i * 20_000L;
            long rtt = i < 3 ? 5_000 : 200;
            est.requestSent(t1);
            est.add(t1, t1 + rtt / 2, t1 + rtt / 2 + 10, t1 + rtt + 10);
            cs.add(policy.update(est.estimate(t1 + rtt + 10), t1 + rtt + 10));
        }
        assertThat(cs.get(0).redundancy()).isEqualTo(DeliveryPolicy.MAX_REDUNDANCY);
        assertThat(cs.subList(3, cs.size())).allSatisfy(c -> assertThat(c.redundancy()).isEqualTo(1));
    }

    @Test
    void aLocalPathStartsWithOneCopyAndALossRaisesItsCopiesAtOnce() {
        // lan: round trips under a millisecond, no loss. Loopback and wired LANs lose nothing unless
        // something is wrong: one copy from the first answer on (a thousand players on one director
        // cannot afford four).
        DeliveryPolicy policy = new DeliveryPolicy(DEFAULTS);
        List<DeliveryPolicy.Choice> lan = drive(new SimulatedPath(PathProfile.Named.LAN.profile(), 10, 0, 0),
                new ClockEstimator(), policy, 0, 60_000_000);
        assertThat(lan).allSatisfy(c -> assertThat(c.redundancy()).isEqualTo(1));
        // The same fast path losing 5 % each way: the first request judged lost ends the benefit of
        // the doubt, and the copies go up at once (never fewer than 3 from then on).
        Direction lossy = PathProfile.Named.LAN.profile().toPlayer().withLoss(0.05);
        SimulatedPath path = new SimulatedPath(PathProfile.symmetric("lossy lan", lossy), 11, 0, 0);
        DeliveryPolicy p2 = new DeliveryPolicy(DEFAULTS);
        ClockEstimator est = new ClockEstimator();
        boolean lossSeen = false;
        for (long t = 0; t < 60_000_000; t += INTERVAL) {
            est.requestSent(t);
            SimulatedPath.Exchange x = path.exchange(t);
            if (x != null) {
                est.add(x.t1(), x.t2(), x.t3(), x.t4());
            }
            ClockEstimator.Estimate e = est.estimate(t);
            DeliveryPolicy.Choice c = p2.update(e, t);
            lossSeen |= e != null && e.lossPercent() > 0;
            assertThat(c.redundancy()).as("at %d µs", t).isEqualTo(lossSeen ? c.redundancy() : 1);
            if (lossSeen) {
                assertThat(c.redundancy()).as("at %d µs, a loss judged", t).isGreaterThanOrEqualTo(3);
            }
        }
        assertThat(lossSeen).isTrue();
    }

    @Test
    void aBusyWifiPathGetsALeadCoveringItsSlowestExchangesAndCopiesAgainstItsLoss() {
        DeliveryPolicy policy = new DeliveryPolicy(DEFAULTS);
        ClockEstimator est = new ClockEstimator();
        List<DeliveryPolicy.Choice> cs = drive(new SimulatedPath(PathProfile.Named.WIFI_BUSY.profile(), 2, 0, 0),
                est, policy, 0, 120_000_000);
        DeliveryPolicy.Choice last = cs.get(cs.size() - 1);
        ClockEstimator.Estimate e = est.estimate(120_000_000);
        assertThat(last.leadMicros()).isGreaterThan(e.rttMaxMicros() - e.minRttMicros() / 2)
                .isGreaterThanOrEqualTo(200_000).isLessThanOrEqualTo(DeliveryPolicy.MAX_LEAD_MICROS);
        // 5 % loss each way: 3 copies lose a note with probability 1.25e-4.
        assertThat(last.redundancy()).isBetween(3, 4);
    }

    @Test
    void theLeadRisesAtOnceButComesDownOnlyAfterAHoldAndGently() {
        DeliveryPolicy policy = new DeliveryPolicy(DEFAULTS);
        ClockEstimator est = new ClockEstimator();
        drive(new SimulatedPath(PathProfile.Named.LAN.profile(), 3, 0, 0), est, policy, 0, 60_000_000);
        assertThat(policy.current().leadMicros()).isEqualTo(DeliveryPolicy.MIN_LEAD_MICROS);
        // One very slow exchange (400 ms round trip) at 60 s.
        est.requestSent(60_000_000);
        est.add(60_000_000, 60_200_000, 60_200_020, 60_400_020);
        long raised = policy.update(est.estimate(60_400_020), 60_400_020).leadMicros();
        assertThat(raised).isGreaterThan(400_000);
        // While the slow exchange is in the window, nothing comes down; afterwards, gently.
        List<DeliveryPolicy.Choice> cs = drive(new SimulatedPath(PathProfile.Named.LAN.profile(), 4, 0, 0), est, policy,
                60_500_000, 200_000_000);
        long previous = raised;
        for (DeliveryPolicy.Choice c : cs) {
            assertThat(previous - c.leadMicros()).isLessThanOrEqualTo(
                    Math.round(previous * DeliveryPolicy.SHRINK_PER_SECOND * INTERVAL / 1e6) + 1);
            previous = c.leadMicros();
        }
        assertThat(cs.get(10).leadMicros()).isEqualTo(raised);
        assertThat(previous).isEqualTo(DeliveryPolicy.MIN_LEAD_MICROS);
    }

    @Test
    void theSendHorizonNeverMovesBackSoNoScheduledNoteIsUndercut() {
        // A path that is slow, then fast: the lead shrinks, but now + lead never decreases.
        Direction slow = PathProfile.Named.WIFI_BUSY.profile().toPlayer();
        DeliveryPolicy policy = new DeliveryPolicy(DEFAULTS);
        ClockEstimator est = new ClockEstimator();
        List<DeliveryPolicy.Choice> cs = new ArrayList<>(drive(new SimulatedPath(PathProfile.symmetric("slow", slow), 5, 0, 0),
                est, policy, 0, 60_000_000));
        cs.addAll(drive(new SimulatedPath(PathProfile.Named.LAN.profile(), 6, 0, 0), est, policy, 60_000_000, 300_000_000));
        long horizon = Long.MIN_VALUE;
        for (int i = 0; i < cs.size(); i++) {
            long h = i * INTERVAL + cs.get(i).leadMicros();
            assertThat(h).as("exchange %d", i).isGreaterThanOrEqualTo(horizon);
            horizon = h;
        }
        assertThat(cs.get(cs.size() - 1).leadMicros()).isLessThan(cs.get(100).leadMicros());
    }

    @Test
    void burstsOfLossRaiseTheRedundancyWhichComesBackDownOneCopyPerHold() {
        Direction bursty = Direction.PERFECT.withBase(1_000).withBurst(new BurstLoss(20_000_000, 2_000_000, 5_000_000));
        DeliveryPolicy policy = new DeliveryPolicy(DEFAULTS);
        ClockEstimator est = new ClockEstimator();
        List<DeliveryPolicy.Choice> cs = drive(new SimulatedPath(PathProfile.symmetric("bursty", bursty), 7, 0, 0), est,
                policy, 0, 40_000_000);
        assertThat(cs.stream().mapToInt(DeliveryPolicy.Choice::redundancy).max().orElse(0)).isGreaterThan(1);
        List<DeliveryPolicy.Choice> after = drive(new SimulatedPath(PathProfile.Named.LAN.profile(), 8, 0, 0), est,
                policy, 40_000_000, 400_000_000);
        for (int i = 1; i < after.size(); i++) {
            assertThat(after.get(i - 1).redundancy() - after.get(i).redundancy()).isBetween(0, 1);
        }
        assertThat(after.get(after.size() - 1).redundancy()).isEqualTo(1);
    }

    @Test
    void redundancyFollowsTheLossRate() {
        assertThat(DeliveryPolicy.neededRedundancy(estimateWithLoss(0))).isEqualTo(1);
        assertThat(DeliveryPolicy.neededRedundancy(estimateWithLoss(2))).isEqualTo(3);   // 1 % one way: 1e-6
        assertThat(DeliveryPolicy.neededRedundancy(estimateWithLoss(10))).isEqualTo(4);  // ~5 % one way: 7e-6
        assertThat(DeliveryPolicy.neededRedundancy(estimateWithLoss(100))).isEqualTo(DeliveryPolicy.MAX_REDUNDANCY);
        // Few requests judged on a path with a radio hop's round trip: no loss seen is not taken as none.
        long radio = DeliveryPolicy.LOCAL_RTT_MICROS;
        assertThat(DeliveryPolicy.neededRedundancy(estimateWithLoss(0, 0, radio))).isEqualTo(DeliveryPolicy.MAX_REDUNDANCY);
        assertThat(DeliveryPolicy.neededRedundancy(estimateWithLoss(0, 20, radio))).isEqualTo(4);
        assertThat(DeliveryPolicy.neededRedundancy(estimateWithLoss(0, DeliveryPolicy.LOSS_KNOWN_AFTER, radio))).isEqualTo(1);
        // A local path (shortest round trip under 1 ms) is taken at its word until it loses a request.
        long local = DeliveryPolicy.LOCAL_RTT_MICROS - 1;
        assertThat(DeliveryPolicy.neededRedundancy(estimateWithLoss(0, 0, local))).isEqualTo(1);
        assertThat(DeliveryPolicy.neededRedundancy(estimateWithLoss(0, 20, local))).isEqualTo(1);
        // One lost of 8 judged: 12.5 % round trip, and the local path gets the prior's caution again.
        assertThat(DeliveryPolicy.neededRedundancy(estimateWithLoss(12.5, 8, local))).isEqualTo(DeliveryPolicy.MAX_REDUNDANCY);
        assertThat(DeliveryPolicy.neededRedundancy(estimateWithLoss(1.0, 20, local))).isEqualTo(4);
    }

    @Test
    void aPathToThisMachineIsLocalThoughABusyMachineSlowsItsRoundTrips() {
        // Loopback on a loaded 2-core box: the best exchange took 2 ms. By its round trips alone it
        // would start with every copy; by its address it is this machine, and only loss adds copies.
        long busyLoopback = 2_000;
        assertThat(DeliveryPolicy.neededRedundancy(estimateWithLoss(0, 0, busyLoopback), false))
                .isEqualTo(DeliveryPolicy.MAX_REDUNDANCY);
        assertThat(DeliveryPolicy.neededRedundancy(estimateWithLoss(0, 0, busyLoopback), true)).isEqualTo(1);
        assertThat(DeliveryPolicy.neededRedundancy(estimateWithLoss(1.0, 20, busyLoopback), true)).isEqualTo(4);
        // Something slow on this machine between director and player (the bench's network emulator
        // on loopback, a tunnel): judged like any other path.
        long emulatedRadio = DeliveryPolicy.SAME_HOST_RTT_MICROS;
        assertThat(DeliveryPolicy.neededRedundancy(estimateWithLoss(0, 0, emulatedRadio), true))
                .isEqualTo(DeliveryPolicy.MAX_REDUNDANCY);
        // The policy itself: a same-host player starts and stays at one copy at 2 ms.
        DeliveryPolicy sameHost = new DeliveryPolicy(new DeliveryPolicy.Choice(100_000, DeliveryPolicy.MAX_REDUNDANCY), true);
        assertThat(sameHost.update(estimateWithLoss(0, 0, busyLoopback), 1_000_000).redundancy()).isEqualTo(1);
        DeliveryPolicy remote = new DeliveryPolicy(new DeliveryPolicy.Choice(100_000, DeliveryPolicy.MAX_REDUNDANCY));
        assertThat(remote.update(estimateWithLoss(0, 0, busyLoopback), 1_000_000).redundancy())
                .isEqualTo(DeliveryPolicy.MAX_REDUNDANCY);
    }

    private static ClockEstimator.Estimate estimateWithLoss(double lossPercent) {
        return estimateWithLoss(lossPercent, ClockEstimator.LOSS_WINDOW, 100);
    }

    private static ClockEstimator.Estimate estimateWithLoss(double lossPercent, int judged, long minRttMicros) {
        return new ClockEstimator.Estimate(0, 0, 0, minRttMicros, minRttMicros, minRttMicros, minRttMicros, 0,
                lossPercent, 100, 0, 0, judged);
    }
}
