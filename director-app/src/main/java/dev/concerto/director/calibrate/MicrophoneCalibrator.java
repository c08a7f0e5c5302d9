package dev.concerto.director.calibrate;

import dev.concerto.director.engine.Roster;
import dev.concerto.protocol.Clock;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One calibration run, as the CLI and the GUI do it: open the microphone, let it settle, play the
 * probes, wait for the last one to arrive, stop, analyse. Blocking (about 2.4 s per player with the
 * default five rounds); call it off the FX thread.
 */
public final class MicrophoneCalibrator {

    /**
     * From opening the microphone to the start of the probes, at least, ms (the engine's clock sync
     * with the players overlaps it): a capture line delivers its first blocks
     * irregularly, and on a sound server a new capture stream briefly disturbs the playing streams
     * (on PulseAudio, every player's line skipped audio within the first half second).
     */
    static final long SETTLE_MILLIS = 700;
    /** After the last probe's window, ms: the capture path's own latency before its samples are read. */
    static final long TAIL_MILLIS = 400;

    private final ProbeRunner probes;
    private final String microphone;

    /**
     * @param probes     plays the probes (the engine)
     * @param microphone part of the capture device's name, or null for the first one
     */
    public MicrophoneCalibrator(ProbeRunner probes, String microphone) {
        this.probes = probes;
        this.microphone = microphone;
    }

    /**
     * What a run found, and with which microphone.
     *
     * @param advice what to tell the user about the run as a whole (the microphone heard nothing,
     *               say), or null
     */
    public record Outcome(String microphone, List<Calibration.PlayerResult> results, String advice) {

        public Outcome(String microphone, List<Calibration.PlayerResult> results) {
            this(microphone, results, null);
        }
    }

    /**
     * Calibrates the timed players of {@code roster}.
     *
     * @throws IllegalArgumentException            when the roster has no timed player
     * @throws Microphone.MicrophoneException      when there is no usable microphone
     * @throws Exception                           when the probes cannot be played (players unreachable)
     */
    public Outcome run(Roster roster, Consumer<String> progress) throws Exception {
        ProbePlan plan = ProbePlan.of(roster, ProbePlan.DEFAULT_CHIPS, ProbePlan.DEFAULT_HZ);
        Microphone mic = Microphone.start(microphone, Clock.SYSTEM);
        long startedNanos = Clock.SYSTEM.nanoTime();
        long[][] deadlines;
        try {
            int n = plan.players().size();
            progress.accept(String.format(Locale.ROOT,
                    "calibrating %d timed player%s with the microphone '%s': %d probes each (about %.0f s; keep the room quiet) ...",
                    n, n == 1 ? "" : "s", mic.name(), plan.rounds(),
                    plan.timeline().totalSeconds() + (SETTLE_MILLIS + TAIL_MILLIS) / 1000.0 + 1));
            deadlines = probes.play(plan, startedNanos + SETTLE_MILLIS * 1_000_000);
            Thread.sleep(TAIL_MILLIS);
        } catch (Exception e) {
            try {
                mic.stop();
            } catch (Microphone.MicrophoneException ignored) {
                // the first error is the one to report
            }
            throw e;
        }
        Microphone.Recording recording = mic.stop();
        List<Calibration.PlayerResult> results = Calibration.analyse(plan, recording.samples(), recording.sampleRate(),
                recording.clock(), deadlines);
        return new Outcome(mic.name(), results, Calibration.advice(results, recording.peak(), plan.hz()));
    }
}
