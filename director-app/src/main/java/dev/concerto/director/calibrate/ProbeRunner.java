package dev.concerto.director.calibrate;

/** Plays a {@link ProbePlan} on its roster (the director's engine, or a fake in tests). */
@FunctionalInterface
public interface ProbeRunner {

    /**
     * Plays the plan and returns, per player of the plan and per round, when that probe's first chip
     * was due to sound (monotonic ns, the clock the microphone's recording is mapped to);
     * {@link Long#MIN_VALUE} for a probe that was never sent.
     *
     * @throws Exception when the players cannot be reached; the message says which and why
     */
    long[][] play(ProbePlan plan) throws Exception;
}
