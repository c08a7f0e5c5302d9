package dev.concerto.director.engine;

/**
 * How the scheduler thread waits: until an absolute deadline on its {@link dev.concerto.protocol.Clock},
 * or until another thread wakes it with a command. Injected with the clock so that tests can run
 * a whole piece on virtual time without sleeping.
 *
 * <p>One thread (the scheduler) waits; {@link #wake()} may be called from any thread. A wake that
 * arrives while nobody waits is remembered and ends the next wait at once.
 */
public interface Waiter {

    /**
     * Waits until the clock reads at least {@code deadlineNanos}.
     *
     * @param deadlineNanos an absolute time on the clock's monotonic scale
     * @return {@code true} when the deadline was reached, {@code false} when a {@link #wake()} ended
     *         the wait first (the wake is consumed)
     */
    boolean awaitDeadline(long deadlineNanos);

    /**
     * Waits until about {@code deadlineNanos}, a little late being fine (a sync request, a lease
     * renewal): the real waiter parks without the final spin. The default waits precisely.
     *
     * @return as {@link #awaitDeadline(long)}
     */
    default boolean awaitRoughly(long deadlineNanos) {
        return awaitDeadline(deadlineNanos);
    }

    /** Waits, with no deadline, until {@link #wake()} is called (the wake is consumed). */
    void awaitWake();

    /** Ends the current or next wait. Thread-safe, never blocks. */
    void wake();
}
