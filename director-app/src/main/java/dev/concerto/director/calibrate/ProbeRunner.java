package dev.concerto.director.calibrate;

/** Plays a {@link ProbePlan} on its roster (the director's engine, or a fake in tests). */
@FunctionalInterface
public interface ProbeRunner {

    /**
     * Gets ready to play the plan (reaches the players, synchronises their clocks), starts playing
     * it no earlier than {@code startNotBeforeNanos}, and returns, per player of the plan and per
     * round, when that probe's first chip was due to sound (monotonic ns, {@code Clock.SYSTEM}'s
     * scale, the clock the microphone's recording is mapped to); {@link Long#MIN_VALUE} for a probe
     * that was never sent.
     *
     * @param startNotBeforeNanos monotonic ns before which nothing may sound (the microphone is still
     *                            settling); the preparation overlaps that wait
     * @throws Exception when the players cannot be reached; the message says which and why
     */
    long[][] play(ProbePlan plan, long startNotBeforeNanos) throws Exception;
}
