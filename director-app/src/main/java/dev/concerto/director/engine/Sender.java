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
}
