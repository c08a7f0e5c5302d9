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

    static Roster roster(int players) {
        List<RosterEntry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < players; i++) {
            entries.add(new RosterEntry("p" + (i + 1), "127.0.0.1", 20_000 + i, Protocol.TIMED, "v" + (i + 1), -3));
        }
        return new Roster("test", entries);
    }

    /** Renders the plan's notes of player {@code i} as a square-ish tone, shifted by {@code delayMs}, with 2 ms ramps. */
    static void render(float[] x, ProbePlan plan, int i, long deadlineNanos, double delayMs, double amp) {
        double start = plan.startSeconds(i);
        for (TimedNote n : plan.timeline().voices().get(i).notes()) {
            double on = (deadlineNanos - T0) / 1e9 + (n.startSeconds() - start) + delayMs / 1000;
            double off = on + n.durationSeconds();
            for (int s = (int) Math.ceil(on * RATE); s < Math.min(x.length, (off + 0.002) * RATE); s++) {
                double t = s / (double) RATE;
                double g = Math.min(1, (t - on) / 0.002) * (t > off ? Math.max(0, 1 - (t - off) / 0.002) : 1);
                x[s] += (float) (amp * g * Math.sin(2 * Math.PI * plan.hz() * t));
            }
        }
    }

    static long[] deadlines(ProbePlan plan) {
        long[] d = new long[plan.players().size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = T0 + 200_000_000L + Math.round(plan.startSeconds(i) * 1e9);
        }
        return d;
    }

    static float[] noise(double seconds, double level, long seed) {
        float[] x = new float[(int) (seconds * RATE)];
        Random r = new Random(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (level * r.nextGaussian());
        }
        return x;
    }

    @Test
    void findsAnInjectedSevenMillisecondDelayToATenthOfAMillisecond() {
        ProbePlan plan = ProbePlan.of(roster(8), ProbePlan.DEFAULT_CHIPS, ProbePlan.DEFAULT_HZ);
        long[] deadlines = deadlines(plan);
        float[] rec = noise(plan.timeline().totalSeconds() + 1.5, 0.01, 1);
        double capture = 43.2; // the microphone path's own latency: the same for all
        for (int i = 0; i < 8; i++) {
            render(rec, plan, i, deadlines[i], capture + (i == 5 ? 7 : 0), 0.1);
        }
        List<Calibration.PlayerResult> results = Calibration.analyse(plan, rec, RATE,
                new CaptureClock(0, T0, RATE / 1e9), deadlines);
        for (int i = 0; i < 8; i++) {
            Calibration.PlayerResult r = results.get(i);
            assertThat(r.outcome()).isEqualTo(Calibration.Outcome.HEARD);
            assertThat(r.arrivalMs()).isCloseTo(capture + 1 + (i == 5 ? 7 : 0), within(0.1)); // +1: half the ramp
            assertThat(r.newOffsetMs()).isCloseTo(i == 5 ? -7 : 0, within(0.15));
        }
        Roster calibrated = Calibration.apply(roster(8), results);
        assertThat(calibrated.entries().get(5).latencyOffsetMs()).isCloseTo(-7, within(0.15));
        assertThat(calibrated.entries().get(0).latencyOffsetMs()).isZero();
    }

    @Test
    void aPlayerTheMicrophoneDoesNotHearKeepsItsOffset() {
        ProbePlan plan = ProbePlan.of(roster(3), ProbePlan.DEFAULT_CHIPS, ProbePlan.DEFAULT_HZ);
        long[] deadlines = deadlines(plan);
        float[] rec = noise(plan.timeline().totalSeconds() + 1.5, 0.0005, 2);
        render(rec, plan, 0, deadlines[0], 20, 0.1);
        render(rec, plan, 2, deadlines[2], 20, 0.1);
        List<Calibration.PlayerResult> results = Calibration.analyse(plan, rec, RATE,
                new CaptureClock(0, T0, RATE / 1e9), deadlines);
        assertThat(results.get(1).outcome()).isEqualTo(Calibration.Outcome.SILENT);
        assertThat(results.get(1).newOffsetMs()).isEqualTo(-3);
        assertThat(results.get(1).describe()).contains("NOT HEARD");
        assertThat(results.get(0).outcome()).isEqualTo(Calibration.Outcome.HEARD);
    }

    @Test
    void twoPlayersAnsweringTheSameProbeAreUnclear() {
        ProbePlan plan = ProbePlan.of(roster(2), ProbePlan.DEFAULT_CHIPS, ProbePlan.DEFAULT_HZ);
        long[] deadlines = deadlines(plan);
        float[] rec = noise(plan.timeline().totalSeconds() + 1.5, 0.005, 3);
        render(rec, plan, 0, deadlines[0], 20, 0.1);
        render(rec, plan, 0, deadlines[0], 150, 0.1); // an echo (or a second device) as loud, 130 ms later
        render(rec, plan, 1, deadlines[1], 20, 0.1);
        List<Calibration.PlayerResult> results = Calibration.analyse(plan, rec, RATE,
                new CaptureClock(0, T0, RATE / 1e9), deadlines);
        assertThat(results.get(0).outcome()).isEqualTo(Calibration.Outcome.UNCLEAR);
        assertThat(results.get(1).outcome()).isEqualTo(Calibration.Outcome.HEARD);
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
