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
}
