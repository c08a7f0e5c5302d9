package dev.concerto.director.engine;

/**
 * Sends frequencies to one roster player: it knows the player's address and wire format, the
 * scheduler does not. Implementations never block (a slow, absent or unreachable player must not
 * delay the others) and never throw for network trouble: they count it.
 *
 * <p>Thread-safety: {@link #send} may be called from the scheduler thread and, at JVM shutdown,
 * from the shutdown hook; implementations are thread-safe.
 */
public interface Sender extends AutoCloseable {

    /** The roster entry this sender serves. */
    RosterEntry entry();

    /** Where datagrams go, as {@code ip:port} ({@code [v6]:port} for IPv6). */
    String destination();

    /**
     * Hands one frequency to the network without blocking.
     *
     * @param hz 0 for silence, or 1..20000 hertz
     * @return {@code true} when the datagram was handed to the operating system, {@code false} when
     *         it was dropped (send buffer full, closed, or a network error that was counted)
     */
    boolean send(int hz);

    /**
     * How long before a change is due this sender wants it, in nanoseconds: 0 for a sender that
     * sends each change when it is due (the plain integer), the lead time for one that sends it
     * ahead stamped with its time (the timed protocol). The engine hands every sender each change
     * this long ahead; see {@link #send(int, long, long)}.
     */
    default long leadNanos() {
        return 0;
    }

    /**
     * Makes the player sound {@code hz} from {@code dueNanos} on, until its next change, which is
     * due at {@code endNanos} ({@link Long#MAX_VALUE} when not known). Called on the scheduler
     * thread at about {@code dueNanos - }{@link #leadNanos()}; never blocks. The default sends at
     * once, which is right for a sender whose lead is 0.
     *
     * @param dueNanos when the change must sound, on the engine clock's monotonic scale
     * @param endNanos when the voice's next change is due (same scale), or {@link Long#MAX_VALUE}
     * @return as {@link #send(int)}
     */
    default boolean send(int hz, long dueNanos, long endNanos) {
        return send(hz);
    }

    /**
     * Silences the player at once, including any change it was handed ahead and that is not due
     * yet (stop, pause, close, shutdown). Never blocks. The default sends 0.
     */
    default boolean silenceNow() {
        return send(0);
    }

    /** This player's clock as the director estimates it, or {@code null} (a plain-integer player). */
    default dev.concerto.protocol.ClockSync.Estimate clockEstimate() {
        return null;
    }

    /** The protocol actually spoken: {@code legacy} or {@code timed} (what {@code auto} resolved to). */
    default String protocolInUse() {
        return "legacy";
    }

    /** How many sends the operating system reported as port-unreachable (ICMP); never negative. */
    long unreachableCount();

    /** How many datagrams were dropped (buffer full or error), port-unreachable ones included. */
    long droppedCount();

    /** What the director knows of the player's health; a plain-integer player never answers. */
    default PlayerActivity.Liveness liveness() {
        return PlayerActivity.Liveness.UNKNOWN;
    }

    /** Releases the socket. Idempotent; never throws. */
    @Override
    void close();

    /** What the director knows of this player's path and chose for it (timed players), or null. */
    default PathTracker.Status pathStatus() {
        return null;
    }
}
