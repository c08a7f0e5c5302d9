package dev.concerto.director.engine;

/**
 * Whether the director's scheduler can afford redundant copies now. Copies (the
 * {@link DeliveryPolicy}'s redundancy) are insurance against loss, paid in send time: a roster too
 * large for its machine that still sends them falls behind its own schedule and makes every player
 * read more datagrams than it has notes. So the scheduler reports the CPU time each burst of
 * hand-overs took ({@link #spent}), and while its busy share of the last ~{@value #WINDOW_NANOS} ns exceeds
 * {@value #MAX_BUSY_SHARE} of its time, only the first copy of each message goes out
 * ({@link #affordsCopies}); the streams count the copies they left out. A note's first copy is never
 * shed.
 *
 * <p>The busy share is an exponentially decaying sum of the scheduler thread's CPU time spent
 * handing over changes over the time constant {@value #WINDOW_NANOS} ns. CPU time, not wall time:
 * a preemption (a busy machine) costs no work, and a lossy path's copies are not given up for it
 * (the lateness it causes is the half-lead rule's); 256 players each sent four copies sixteen times a second (a quarter of a core
 * on loopback) go over it within a second, a thousand within a tenth. The limit is low because a
 * copy costs its receiver too: on one machine, ensembles standing in for many players read every
 * copy before they can refuse it.
 *
 * <p>Pure (times are passed in, director monotonic ns); not thread-safe: the scheduler thread owns it.
 */
public final class SendBudget {

    /** Time constant of the busy share, ns. */
    public static final long WINDOW_NANOS = 1_000_000_000L;
    /** Above this busy share (0..1, of one core's time) redundant copies are shed. */
    public static final double MAX_BUSY_SHARE = 0.10;

    /** Busy CPU ns, decayed to {@link #asOfNanos}. */
    private double busyNanos;
    private long asOfNanos = Long.MIN_VALUE;

    /**
     * The scheduler spent {@code busyNanos} of CPU time handing over changes (copies included), up to
     * {@code nowNanos}.
     */
    public void spent(long nowNanos, long busyNanos) {
        decayTo(nowNanos);
        this.busyNanos += Math.max(0, busyNanos);
    }

    /** The busy share at {@code nowNanos}, 0..~1 (1: the scheduler did nothing but send for a window). */
    public double busyShare(long nowNanos) {
        decayTo(nowNanos);
        return busyNanos / WINDOW_NANOS;
    }

    /** Whether redundant copies may go out at {@code nowNanos}: the busy share is within {@value #MAX_BUSY_SHARE}. */
    public boolean affordsCopies(long nowNanos) {
        return busyShare(nowNanos) <= MAX_BUSY_SHARE;
    }

    private void decayTo(long nowNanos) {
        if (asOfNanos == Long.MIN_VALUE) {
            asOfNanos = nowNanos;
            return;
        }
        long dt = nowNanos - asOfNanos;
        if (dt > 0) {
            busyNanos *= Math.exp(-(double) dt / WINDOW_NANOS);
            asOfNanos = nowNanos;
        }
    }
}
