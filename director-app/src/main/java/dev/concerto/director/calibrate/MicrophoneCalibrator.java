package dev.concerto.director.calibrate;

import dev.concerto.director.engine.Roster;
import dev.concerto.protocol.Clock;
import java.util.List;

/**
 * One calibration run, as the CLI and the GUI do it: open the microphone, play the probes, wait for
 * the last one to arrive, stop, analyse. Blocking (several seconds); call it off the FX thread.
 */
public final class MicrophoneCalibrator {

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

    /** What a run found, and with which microphone. */
    public record Outcome(String microphone, List<Calibration.PlayerResult> results) {
    }

    /**
     * Calibrates the timed players of {@code roster}.
     *
     * @throws IllegalArgumentException            when the roster has no timed player
     * @throws Microphone.MicrophoneException      when there is no usable microphone
     * @throws Exception                           when the probes cannot be played (players unreachable)
     */
    public Outcome run(Roster roster, java.util.function.Consumer<String> progress) throws Exception {
        ProbePlan plan = ProbePlan.of(roster, ProbePlan.DEFAULT_CHIPS, ProbePlan.DEFAULT_HZ);
        Microphone mic = Microphone.start(microphone, Clock.SYSTEM);
        long[] deadlines;
        try {
            progress.accept(String.format(java.util.Locale.ROOT,
                    "calibrating %d timed player%s with the microphone '%s' (about %.0f s; keep the room quiet) ...",
                    plan.players().size(), plan.players().size() == 1 ? "" : "s", mic.name(),
                    plan.timeline().totalSeconds() + 2));
            Thread.sleep(300); // the capture line's own start-up
            deadlines = probes.play(plan);
            Thread.sleep(Math.round(Calibration.SEARCH_AFTER_SECONDS * 1000) + 300);
        } catch (Exception e) {
            try {
                mic.stop();
            } catch (Microphone.MicrophoneException ignored) {
                // the first error is the one to report
            }
            throw e;
        }
        Microphone.Recording recording = mic.stop();
        return new Outcome(mic.name(), Calibration.analyse(plan, recording.samples(), recording.sampleRate(),
                recording.clock(), deadlines));
    }
}
