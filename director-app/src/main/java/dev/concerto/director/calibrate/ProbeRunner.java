package dev.concerto.director.calibrate;

/** Plays a {@link ProbePlan} on its roster (the director's engine, or a fake in tests). */
@FunctionalInterface
public interface ProbeRunner {

    /**
     * Plays the plan and returns, per player of the plan, when its pattern's first chip was due to
     * sound (monotonic ns, the clock the microphone's recording is mapped to).
     *
     * @throws Exception when the players cannot be reached; the message says which and why
     */
    long[] play(ProbePlan plan) throws Exception;
}
