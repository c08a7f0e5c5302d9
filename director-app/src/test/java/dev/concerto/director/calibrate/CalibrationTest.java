package dev.concerto.director.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.concerto.director.engine.Protocol;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.score.TimedNote;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Calibration on synthetic recordings: players whose probes arrive at known delays, with noise. */
class CalibrationTest {

    static final int RATE = 48_000;
    static final long T0 = 5_000_000_000L; // the capture clock: frame 0 at 5 s on the monotonic clock
    static final CaptureClock CLOCK = new CaptureClock(0, T0, RATE / 1e9);

    static Roster roster(int players) {
        List<RosterEntry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < players; i++) {
            entries.add(new RosterEntry("p" + (i + 1), "127.0.0.1", 20_000 + i, Protocol.TIMED, "v" + (i + 1), -3));
        }
        return new Roster("test", entries);
    }

    /**
     * Renders round {@code round}'s probe of player {@code i} as a tone with 2 ms ramps, shifted by
     * {@code delayMs}; from {@code jumpAtSeconds} into the probe on, {@code jumpMs} later still (a line
     * that stalled mid-probe).
     */
    static void render(float[] x, ProbePlan plan, int i, int round, long deadlineNanos, double delayMs, double amp,
                       double jumpAtSeconds, double jumpMs) {
        double start = plan.startSeconds(round, i);
        double end = start + plan.chips().seconds();
        for (TimedNote n : plan.timeline().voices().get(i).notes()) {
            if (n.startSeconds() < start - 1e-9 || n.startSeconds() >= end) {
                continue;
            }
            double into = n.startSeconds() - start;
            double shift = delayMs + (into >= jumpAtSeconds ? jumpMs : 0);
            double on = (deadlineNanos - T0) / 1e9 + into + shift / 1000;
            double off = on + n.durationSeconds();
            for (int s = (int) Math.ceil(on * RATE); s < Math.min(x.length, (off + 0.002) * RATE); s++) {
                double t = s / (double) RATE;
                double g = Math.min(1, (t - on) / 0.002) * (t > off ? Math.max(0, 1 - (t - off) / 0.002) : 1);
                x[s] += (float) (amp * g * Math.sin(2 * Math.PI * plan.hz() * t));
            }
        }
    }

    static void render(float[] x, ProbePlan plan, int i, int round, long deadlineNanos, double delayMs, double amp) {
        render(x, plan, i, round, deadlineNanos, delayMs, amp, Double.POSITIVE_INFINITY, 0);
    }

    /** Every probe of every player, each player {@code delayMs[i]} late. */
    static void renderAll(float[] x, ProbePlan plan, long[][] deadlines, double[] delayMs, double amp) {
        for (int i = 0; i < deadlines.length; i++) {
            for (int r = 0; r < plan.rounds(); r++) {
                render(x, plan, i, r, deadlines[i][r], delayMs[i], amp);
            }
        }
    }

    /** The deadlines as the engine would give them: score time from 200 ms into the recording. */
    static long[][] deadlines(ProbePlan plan) {
        long[][] d = new long[plan.players().size()][plan.rounds()];
        for (int i = 0; i < d.length; i++) {
            for (int r = 0; r < plan.rounds(); r++) {
                d[i][r] = T0 + 200_000_000L + Math.round(plan.startSeconds(r, i) * 1e9);
            }
        }
        return d;
    }

    static float[] noise(ProbePlan plan, double level, long seed) {
        float[] x = new float[(int) ((plan.timeline().totalSeconds() + 1.5) * RATE)];
        Random r = new Random(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (level * r.nextGaussian());
        }
        return x;
    }

    static double[] delays(int players, double common, int delayed, double extra) {
        double[] d = new double[players];
        java.util.Arrays.fill(d, common);
        if (delayed >= 0) {
            d[delayed] += extra;
        }
        return d;
    }

    @Test
    void findsAnInjectedSevenMillisecondDelayToATenthOfAMillisecond() {
        ProbePlan plan = ProbePlan.of(roster(8), ProbePlan.DEFAULT_CHIPS, ProbePlan.DEFAULT_HZ);
        assertThat(plan.rounds()).isEqualTo(5);
        long[][] deadlines = deadlines(plan);
        float[] rec = noise(plan, 0.01, 1);
        double capture = 43.2; // the microphone path's own latency: the same for all
        renderAll(rec, plan, deadlines, delays(8, capture, 5, 7), 0.1);
        List<Calibration.PlayerResult> results = Calibration.analyse(plan, rec, RATE, CLOCK, deadlines);
        for (int i = 0; i < 8; i++) {
            Calibration.PlayerResult r = results.get(i);
            assertThat(r.outcome()).isEqualTo(Calibration.Outcome.HEARD);
            assertThat(r.agreeing()).isEqualTo(5);
            assertThat(r.arrivalMs()).isCloseTo(capture + 1 + (i == 5 ? 7 : 0), within(0.1)); // +1: half the ramp
            assertThat(r.newOffsetMs()).isCloseTo(i == 5 ? -7 : 0, within(0.15));
        }
        Roster calibrated = Calibration.apply(roster(8), results);
        assertThat(calibrated.entries().get(5).latencyOffsetMs()).isCloseTo(-7, within(0.15));
        assertThat(calibrated.entries().get(0).latencyOffsetMs()).isZero();
        assertThat(results.get(5).describe()).contains("5 of 5 probes agree");
        assertThat(results.get(5).probeArrivalsMs()).hasSize(5).allSatisfy(a -> assertThat(a).isCloseTo(51.2, within(0.1)));
    }

    @Test
    void aDriftAllPlayersShareIsNotTakenForLatency() {
        // The recording's clock runs 400 ppm slow against the deadlines' (a microphone's sample clock, or
        // capture that lost samples): every arrival drifts by 0.4 ms per second, 7 ms over the plan.
        ProbePlan plan = ProbePlan.of(roster(8), ProbePlan.DEFAULT_CHIPS, ProbePlan.DEFAULT_HZ);
        long[][] deadlines = deadlines(plan);
        float[] rec = noise(plan, 0.01, 13);
        for (int i = 0; i < 8; i++) {
            for (int r = 0; r < plan.rounds(); r++) {
                double drift = 0.4 * plan.startSeconds(r, i);
                render(rec, plan, i, r, deadlines[i][r], 30 + drift + (i == 5 ? 7 : 0), 0.1);
            }
        }
        List<Calibration.PlayerResult> results = Calibration.analyse(plan, rec, RATE, CLOCK, deadlines);
        for (int i = 0; i < 8; i++) {
            assertThat(results.get(i).outcome()).as("player %d", i).isEqualTo(Calibration.Outcome.HEARD);
            assertThat(results.get(i).agreeing()).isEqualTo(5);
            assertThat(results.get(i).newOffsetMs()).isCloseTo(i == 5 ? -7 : 0, within(0.25));
        }
    }

    @Test
    void aFractionOfAMillisecondIsResolvedBelowOneSample() {
        // 7.01 ms is 336.48 samples at 48 kHz: the peak is interpolated between lags.
        ProbePlan plan = ProbePlan.of(roster(2), ProbePlan.DEFAULT_CHIPS, ProbePlan.DEFAULT_HZ);
        long[][] deadlines = deadlines(plan);
        float[] rec = noise(plan, 0.02, 11);
        renderAll(rec, plan, deadlines, new double[] {10, 17.01}, 0.1);
        List<Calibration.PlayerResult> results = Calibration.analyse(plan, rec, RATE, CLOCK, deadlines);
        assertThat(results.get(1).arrivalMs() - results.get(0).arrivalMs()).isCloseTo(7.01, within(0.03));
    }

    @Test
    void aProbeSpoiledByAStalledLineIsOutvotedByTheOthers() {
        ProbePlan plan = ProbePlan.of(roster(3), ProbePlan.DEFAULT_CHIPS, ProbePlan.DEFAULT_HZ, 3);
        long[][] deadlines = deadlines(plan);
        float[] rec = noise(plan, 0.01, 4);
        for (int i = 0; i < 3; i++) {
            for (int r = 0; r < plan.rounds(); r++) {
                double delay = 20 + (i == 2 ? 7 : 0);
                if (i == 2 && r == 1) {
                    render(rec, plan, i, r, deadlines[i][r], delay, 0.1, 0.1, 15); // 15 ms later from 100 ms in
                } else if (i == 0 && r == 0) {
                    render(rec, plan, i, r, deadlines[i][r], delay + 6, 0.1); // the whole probe 6 ms late
                } else {
                    render(rec, plan, i, r, deadlines[i][r], delay, 0.1);
                }
            }
        }
        List<Calibration.PlayerResult> results = Calibration.analyse(plan, rec, RATE, CLOCK, deadlines);
        for (Calibration.PlayerResult r : results) {
            assertThat(r.outcome()).isEqualTo(Calibration.Outcome.HEARD);
        }
        assertThat(results.get(0).agreeing()).isEqualTo(2);
        assertThat(results.get(2).agreeing()).isEqualTo(2);
        assertThat(results.get(2).arrivalMs() - results.get(1).arrivalMs()).isCloseTo(7, within(0.1));
        assertThat(results.get(0).arrivalMs() - results.get(1).arrivalMs()).isCloseTo(0, within(0.1));
        assertThat(results.get(0).describe()).contains("2 of 3 probes agree");
    }

    @Test
    void probesThatNeverAgreeMakeThePlayerUnsteadyAndKeepItsOffset() {
        ProbePlan plan = ProbePlan.of(roster(2), ProbePlan.DEFAULT_CHIPS, ProbePlan.DEFAULT_HZ, 3);
        long[][] deadlines = deadlines(plan);
        float[] rec = noise(plan, 0.01, 5);
        double[] wander = {20, 26, 33};
        for (int r = 0; r < plan.rounds(); r++) {
            render(rec, plan, 0, r, deadlines[0][r], 20, 0.1);
            render(rec, plan, 1, r, deadlines[1][r], wander[r], 0.1);
        }
        List<Calibration.PlayerResult> results = Calibration.analyse(plan, rec, RATE, CLOCK, deadlines);
        assertThat(results.get(0).outcome()).isEqualTo(Calibration.Outcome.HEARD);
        assertThat(results.get(1).outcome()).isEqualTo(Calibration.Outcome.UNSTEADY);
        assertThat(results.get(1).newOffsetMs()).isEqualTo(-3);
        assertThat(results.get(1).describe()).contains("UNSTEADY").contains("13.0 ms apart").contains("+21.0").contains("+27.0").contains("+34.0");
    }

    @Test
    void aPlayerTheMicrophoneDoesNotHearKeepsItsOffset() {
        ProbePlan plan = ProbePlan.of(roster(3), ProbePlan.DEFAULT_CHIPS, ProbePlan.DEFAULT_HZ);
        long[][] deadlines = deadlines(plan);
        float[] rec = noise(plan, 0.0005, 2);
        for (int r = 0; r < plan.rounds(); r++) {
            render(rec, plan, 0, r, deadlines[0][r], 20, 0.1);
            render(rec, plan, 2, r, deadlines[2][r], 20, 0.1);
        }
        List<Calibration.PlayerResult> results = Calibration.analyse(plan, rec, RATE, CLOCK, deadlines);
        assertThat(results.get(1).outcome()).isEqualTo(Calibration.Outcome.SILENT);
        assertThat(results.get(1).newOffsetMs()).isEqualTo(-3);
        assertThat(results.get(1).describe()).contains("NOT HEARD").contains("picked up nothing");
        assertThat(results.get(0).outcome()).isEqualTo(Calibration.Outcome.HEARD);
        assertThat(Calibration.advice(results, 0.1, 1000)).isNull();
    }

    @Test
    void aMicrophoneThatHearsNothingIsToldApartFromPlayersNotHeard() {
        ProbePlan plan = ProbePlan.of(roster(2), ProbePlan.DEFAULT_CHIPS, ProbePlan.DEFAULT_HZ);
        long[][] deadlines = deadlines(plan);
        float[] muted = new float[(int) ((plan.timeline().totalSeconds() + 1.5) * RATE)];
        List<Calibration.PlayerResult> results = Calibration.analyse(plan, muted, RATE, CLOCK, deadlines);
        assertThat(results).allMatch(r -> r.outcome() == Calibration.Outcome.SILENT);
        assertThat(Calibration.advice(results, 0, 1000)).contains("recorded silence").contains("--list-mics");

        float[] room = noise(plan, 0.05, 8); // a noisy room, no probe
        results = Calibration.analyse(plan, room, RATE, CLOCK, deadlines);
        assertThat(results).noneMatch(r -> r.outcome() == Calibration.Outcome.HEARD);
        assertThat(Calibration.advice(results, 0.2, 1000)).contains("no player").doesNotContain("recorded silence");
    }

    @Test
    void twoPlayersAnsweringTheSameProbeAreUnclear() {
        ProbePlan plan = ProbePlan.of(roster(2), ProbePlan.DEFAULT_CHIPS, ProbePlan.DEFAULT_HZ);
        long[][] deadlines = deadlines(plan);
        float[] rec = noise(plan, 0.005, 3);
        for (int r = 0; r < plan.rounds(); r++) {
            render(rec, plan, 0, r, deadlines[0][r], 20, 0.1);
            render(rec, plan, 0, r, deadlines[0][r], 150, 0.1); // a second device as loud, 130 ms later
            render(rec, plan, 1, r, deadlines[1][r], 20, 0.1);
        }
        List<Calibration.PlayerResult> results = Calibration.analyse(plan, rec, RATE, CLOCK, deadlines);
        assertThat(results.get(0).outcome()).isEqualTo(Calibration.Outcome.UNCLEAR);
        assertThat(results.get(0).describe()).contains("two players sounding at once");
        assertThat(results.get(1).outcome()).isEqualTo(Calibration.Outcome.HEARD);
    }

    @Test
    void aProbeOutsideTheRecordingOrNeverSentIsSaidSo() {
        ProbePlan plan = ProbePlan.of(roster(2), ProbePlan.DEFAULT_CHIPS, ProbePlan.DEFAULT_HZ);
        long[][] deadlines = deadlines(plan);
        float[] rec = noise(plan, 0.005, 6);
        renderAll(rec, plan, deadlines, new double[] {20, 20}, 0.1);
        float[] cut = java.util.Arrays.copyOf(rec, (int) (deadlines[1][0] - T0) / (1_000_000_000 / RATE)); // stopped early
        List<Calibration.PlayerResult> results = Calibration.analyse(plan, cut, RATE, CLOCK, deadlines);
        assertThat(results.get(1).outcome()).isEqualTo(Calibration.Outcome.SILENT);
        assertThat(results.get(1).describe()).contains("recording does not cover");

        long[] none = new long[plan.rounds()];
        java.util.Arrays.fill(none, Long.MIN_VALUE);
        long[][] unsent = {deadlines[0], none};
        results = Calibration.analyse(plan, rec, RATE, CLOCK, unsent);
        assertThat(results.get(1).describe()).contains("no probe was sent");
    }

    @Test
    void probesAreSpacedBeyondTheirSearchWindows() {
        ProbePlan plan = ProbePlan.of(roster(8), ProbePlan.DEFAULT_CHIPS, ProbePlan.DEFAULT_HZ);
        // The latest match a window allows ends before the earliest the next probe can begin.
        double latestEnd = plan.startSeconds(0, 0) + Calibration.SEARCH_AFTER_SECONDS + plan.chips().seconds();
        double nextWindow = plan.startSeconds(0, 1) - Calibration.SEARCH_BEFORE_SECONDS;
        assertThat(latestEnd).isLessThan(nextWindow);
        assertThat(plan.startSeconds(1, 0)).isCloseTo(plan.startSeconds(0, 7) + plan.spacingSeconds(), within(1e-9));
        assertThat(plan.timeline().totalSeconds()).isLessThan(22); // 8 players, 5 rounds
        int runs = 0;
        for (int c = 0; c < plan.chips().length(); c++) {
            runs += plan.chips().on(c) && (c == 0 || !plan.chips().on(c - 1)) ? 1 : 0;
        }
        assertThat(plan.timeline().voices().get(3).notes()).hasSize(plan.rounds() * runs); // a note per run of "on" chips
    }

    @Test
    void plainIntegerPlayersCannotBeCalibrated() {
        Roster plain = new Roster("t", List.of(new RosterEntry("a", "127.0.0.1", 1, Protocol.LEGACY, "v")));
        assertThatThrownBy(() -> ProbePlan.of(plain, ProbePlan.DEFAULT_CHIPS, ProbePlan.DEFAULT_HZ))
                .hasMessageContaining("no timed player");
    }

    @Test
    void captureClockFitsObservations() {
        long[] frames = {0, 480, 960, 1440};
        long[] nanos = {1_000_000_000L, 1_010_000_000L, 1_020_000_000L, 1_030_000_000L};
        CaptureClock c = CaptureClock.fit(frames, nanos, 4, RATE);
        assertThat(c.nanosOf(960)).isEqualTo(1_020_000_000L);
        assertThat(c.frameAt(1_040_000_000L)).isCloseTo(1920, within(0.01));
    }
}
