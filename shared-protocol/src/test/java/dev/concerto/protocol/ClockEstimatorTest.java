package dev.concerto.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.netem.BurstLoss;
import dev.concerto.netem.Direction;
import dev.concerto.netem.Jitter;
import dev.concerto.netem.PathProfile;
import dev.concerto.netem.SimulatedPath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The estimator on simulated paths (fake clock, the emulator's decisions), behaviour only. */
class ClockEstimatorTest {

    private static final long INTERVAL = 500_000; // one exchange every 500 ms, as the director does
    private static final long OFFSET = 84_000_000_000L; // the player booted earlier

    /** Runs exchanges from {@code from} to {@code to} (µs) and returns the last estimate. */
    private static ClockEstimator.Estimate run(ClockEstimator est, SimulatedPath path, long from, long to) {
        for (long t = from; t < to; t += INTERVAL) {
            exchange(est, path, t);
        }
        return est.estimate(to);
    }

    /** One exchange through the path, fed to the estimator as the director does; null when lost. */
    static ClockEstimator.Outcome exchange(ClockEstimator est, SimulatedPath path, long t1) {
        est.requestSent(t1);
        SimulatedPath.Exchange x = path.exchange(t1);
        return x == null ? null : est.add(x.t1(), x.t2(), x.t3(), x.t4());
    }

    private static double error(ClockEstimator.Estimate e, SimulatedPath path, long t) {
        return e.toPlayerMicros(t) - path.playerClock(t);
    }

    @Test
    void followsA200PpmSkewOnWifi() {
        ClockEstimator est = new ClockEstimator();
        SimulatedPath path = new SimulatedPath(PathProfile.Named.WIFI.profile(), 1, OFFSET, 200);
        ClockEstimator.Estimate e = run(est, path, 0, 120_000_000);
        assertThat(e.skewPpm()).isBetween(190.0, 210.0);
        // Stamping a note one lead (300 ms) ahead: within a fraction of a millisecond of the player's clock.
        assertThat(Math.abs(error(e, path, 120_300_000))).isLessThan(500);
        // Ten minutes on, it still follows (the skew is a state, not a one-off average).
        e = run(est, path, 120_000_000, 600_000_000);
        assertThat(Math.abs(error(e, path, 600_300_000))).isLessThan(500);
        assertThat(e.steps()).isZero();
    }

    @Test
    void followsANegativeSkewOnACleanPathClosely() {
        ClockEstimator est = new ClockEstimator();
        SimulatedPath path = new SimulatedPath(PathProfile.Named.LAN.profile(), 2, OFFSET, -150);
        ClockEstimator.Estimate e = run(est, path, 0, 60_000_000);
        assertThat(e.skewPpm()).isBetween(-152.0, -148.0);
        assertThat(Math.abs(error(e, path, 60_100_000))).isLessThan(45); // two audio frames
    }

    @Test
    void onACleanPathTheStampedTimeMovesByLessThanTheExchangesNoise() {
        ClockEstimator est = new ClockEstimator();
        SimulatedPath path = new SimulatedPath(PathProfile.Named.LAN.profile(), 3, OFFSET, 0);
        run(est, path, 0, 30_000_000);
        // After convergence, how much does the stamp of one fixed future instant move per exchange?
        long target = 100_000_000;
        List<Double> moves = new ArrayList<>();
        long previous = est.estimate(30_000_000).toPlayerMicros(target);
        List<Double> rawNoise = new ArrayList<>();
        for (long t = 30_000_000; t < 90_000_000; t += INTERVAL) {
            exchange(est, path, t);
            long now = est.estimate(t).toPlayerMicros(target);
            moves.add((double) Math.abs(now - previous));
            previous = now;
        }
        Collections.sort(moves);
        assertThat(moves.get((int) (moves.size() * 0.99) - 1)).isLessThan(20.0); // the exchanges' own offsets scatter by ~100 µs on this path
        ClockEstimator.Estimate e = est.estimate(90_000_000);
        assertThat(Math.abs(error(e, path, 90_100_000))).isLessThan(45);
    }

    @Test
    void aStepIsDetectedOnTheSecondExchangeAfterItAndNeverAveragedIn() {
        ClockEstimator est = new ClockEstimator();
        long stepAt = 30_250_000;
        SimulatedPath path = new SimulatedPath(PathProfile.Named.WIFI.profile(), 4, OFFSET, 50)
                .stepAt(stepAt, -3_000_000); // a rebooted clock: back by 3 s
        run(est, path, 0, 30_000_000);
        ClockEstimator.Estimate before = est.estimate(30_000_000);
        int exchangesAfter = 0;
        ClockEstimator.Outcome o = null;
        for (long t = 30_000_000; t < 40_000_000; t += INTERVAL) {
            o = exchange(est, path, t);
            if (t >= stepAt && o != null) {
                exchangesAfter++;
            }
            if (o == ClockEstimator.Outcome.STEP) {
                break;
            }
            // Until it is confirmed, nothing of the step reaches the estimate.
            assertThat(Math.abs(est.estimate(t).toPlayerMicros(t) - before.toPlayerMicros(t))).isLessThan(2_000);
        }
        assertThat(o).isEqualTo(ClockEstimator.Outcome.STEP);
        assertThat(exchangesAfter).isEqualTo(2);
        ClockEstimator.Estimate after = est.estimate(40_000_000);
        assertThat(after.steps()).isEqualTo(1);
        assertThat(Math.abs(error(after, path, 40_000_000))).isLessThan(2_000);
        assertThat(after.skewPpm()).isBetween(30.0, 70.0); // the skew survives the step
    }

    @Test
    void anIsolatedOutlierIsNeitherAStepNorAveragedIn() {
        ClockEstimator est = new ClockEstimator();
        SimulatedPath path = new SimulatedPath(PathProfile.Named.LAN.profile(), 5, OFFSET, 0);
        run(est, path, 0, 20_000_000);
        ClockEstimator.Estimate before = est.estimate(20_000_000);
        // A reply whose clock readings are 50 ms off though its round trip is short (a glitch).
        long t1 = 20_000_000;
        long t2 = path.playerClock(t1 + 100) + 50_000;
        assertThat(est.add(t1, t2, t2 + 20, t1 + 220)).isEqualTo(ClockEstimator.Outcome.SUSPECT);
        assertThat(est.suspectsStep()).isTrue();
        ClockEstimator.Outcome next = exchange(est, path, t1 + 50_000);
        assertThat(next).isEqualTo(ClockEstimator.Outcome.USED);
        ClockEstimator.Estimate e = est.estimate(t1 + 50_000);
        assertThat(e.steps()).isZero();
        assertThat(Math.abs(e.toPlayerMicros(t1) - before.toPlayerMicros(t1))).isLessThan(50);
    }

    @Test
    void heavyTailsAndBurstsNeverLookLikeSteps() {
        for (PathProfile.Named n : List.of(PathProfile.Named.WIFI_BUSY, PathProfile.Named.WIFI_BURSTS)) {
            ClockEstimator est = new ClockEstimator();
            SimulatedPath path = new SimulatedPath(n.profile(), 6, OFFSET, 100);
            ClockEstimator.Estimate e = run(est, path, 0, 600_000_000);
            assertThat(e.steps()).as(n.cliName()).isZero();
            assertThat(Math.abs(error(e, path, 600_300_000))).as(n.cliName()).isLessThan(2_000);
        }
    }

    @Test
    void anAsymmetricPathBiasesTheOffsetByHalfTheAsymmetry() {
        ClockEstimator est = new ClockEstimator();
        SimulatedPath path = new SimulatedPath(PathProfile.Named.ASYMMETRIC.profile(), 7, OFFSET, 0);
        ClockEstimator.Estimate e = run(est, path, 0, 60_000_000);
        // 4 ms more towards the player: the estimate puts the player's clock 2 ms ahead of the truth
        // (notes would sound 2 ms late; the roster's latency offset of -2 ms is the remedy).
        assertThat(error(e, path, 60_000_000)).isBetween(1_900.0, 2_100.0);
    }

    @Test
    void reportsRoundTripPercentilesJitterAndLoss() {
        Direction d = Direction.PERFECT.withBase(1_000).withJitter(new Jitter.LogNormal(1_000, 10_000)).withLoss(0.1);
        ClockEstimator est = new ClockEstimator();
        SimulatedPath path = new SimulatedPath(PathProfile.symmetric("test", d), 8, OFFSET, 0);
        ClockEstimator.Estimate e = run(est, path, 0, 120_000_000);
        assertThat(e.minRttMicros()).isBetween(2_000L, 3_500L);
        assertThat(e.rttP50Micros()).isBetween(3_500L, 6_000L);
        assertThat(e.rttP99Micros()).isGreaterThan(e.rttP50Micros());
        assertThat(e.jitterMicros()).isEqualTo((e.rttP99Micros() - e.minRttMicros()) / 2.0);
        // 10 % each way: 19 % of round trips lost.
        assertThat(e.lossPercent()).isBetween(10.0, 30.0);
        assertThat(e.oneWayLoss()).isBetween(0.05, 0.16);
    }

    @Test
    void anOutageShowsAsLossWhileItLastsInTheWindow() {
        Direction d = Direction.PERFECT.withBase(1_000).withBurst(new BurstLoss(1_000_000_000, 10_000_000, 20_000_000));
        ClockEstimator est = new ClockEstimator();
        SimulatedPath path = new SimulatedPath(PathProfile.symmetric("outage", d), 9, OFFSET, 0);
        assertThat(run(est, path, 0, 20_000_000).lossPercent()).isZero();
        ClockEstimator.Estimate e = run(est, path, 20_000_000, 40_000_000);
        assertThat(e.lossPercent()).isGreaterThan(10);
        assertThat(e.steps()).isZero();
    }

    @Test
    void rejectsImpossibleTimes() {
        ClockEstimator est = new ClockEstimator();
        assertThat(est.add(1_000, 5_000, 4_000, 2_000)).isEqualTo(ClockEstimator.Outcome.REJECTED);
        assertThat(est.estimate(0)).isNull();
    }
}
