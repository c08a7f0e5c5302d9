package dev.concerto.director.engine;

/**
 * Whether the director's scheduler can afford redundant copies now. Copies (the
 * {@link DeliveryPolicy}'s redundancy) are insurance against loss, paid in send time: a roster too
 * large for its machine that still sends them falls behind its own schedule and makes every player
 * read more datagrams than it has notes. So the scheduler reports how long each hand-over took
 * ({@link #spent}), and while its busy share of the last ~{@value #WINDOW_NANOS} ns exceeds
 * {@value #MAX_BUSY_SHARE} of its time, only the first copy of each message goes out
 * ({@link #affordsCopies}); the streams count the copies they left out. A note's first copy is never
 * shed.
 *
 * <p>The busy share is an exponentially decaying sum of the time spent handing over changes (from
 * the call to its return, so time the thread was preempted inside a send counts: the machine could
 * not afford it either) over the time constant {@value #WINDOW_NANOS} ns. One preemption of tens of
 * milliseconds among a few players stays well under the limit (a lossy path's copies are not given
 * up for a hiccup); 256 players each sent four copies sixteen times a second (a quarter of a core
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

    /** Busy ns, decayed to {@link #asOfNanos}. */
    private double busyNanos;
    private long asOfNanos = Long.MIN_VALUE;

    /**
     * The scheduler spent {@code fromNanos}..{@code toNanos} handing over a change (copies included).
     */
    public void spent(long fromNanos, long toNanos) {
        decayTo(fromNanos);
        busyNanos += Math.max(0, toNanos - fromNanos);
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
