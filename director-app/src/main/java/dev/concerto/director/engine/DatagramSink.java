package dev.concerto.director.engine;

/**
 * Where a player's datagrams go: one sink per roster player, bound to that player's address. The
 * director's pure streams write through it and never see a socket; the {@code net} shell's UDP
 * link implements it, tests use a fake that records (or answers) what is written.
 *
 * <p>Called by one thread (the scheduler's); an implementation never blocks and never throws for
 * network trouble: it counts it and returns {@code false}.
 */
@FunctionalInterface
public interface DatagramSink {

    /**
     * Hands {@code datagram[0 .. length)} to the network as one datagram. The array is the caller's
     * and is reused as soon as this returns.
     *
     * @return whether it was handed to the operating system
     */
    boolean send(byte[] datagram, int length);

    /** {@link #lastDepartureNanos()}: the sink does not know when a datagram left. */
    long NO_DEPARTURE = Long.MIN_VALUE;

    /**
     * Sends a datagram whose departure time matters (a clock-sync request), as {@link #send}; a sink
     * that can have the kernel stamp when it leaves does ({@link #lastDepartureNanos()}).
     *
     * @return whether it was handed to the operating system
     */
    default boolean sendStamped(byte[] datagram, int length) {
        return send(datagram, length);
    }

    /**
     * When the last {@link #sendStamped} datagram left, as far as the sink has learnt so far: the
     * kernel's send stamp on the sink's monotonic clock, ns, or {@link #NO_DEPARTURE} (not known, or
     * not yet: it may be an earlier datagram's until the last one's stamp is read, so a caller checks
     * it is not before its own send). Any thread.
     */
    default long lastDepartureNanos() {
        return NO_DEPARTURE;
    }
}
