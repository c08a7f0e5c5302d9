package dev.concerto.player.core;

import dev.concerto.protocol.RejectReason;

/**
 * What a {@link PlayerCore} reports for the events file. Times are in the player's clock (µs); the
 * events writer converts them to wall-clock time. Immutable.
 */
public sealed interface PlayerEvent {

    /** Player-clock time of the event, µs. */
    long micros();

    /**
     * An accepted datagram.
     *
     * @param kind        {@code plain}, {@code tone} or {@code sync}
     * @param seq         the timed message's sequence number, or -1
     * @param atMicros    a tone's {@code at}, or -1
     * @param hz          the frequency, or -1 for a sync
     * @param leaseMillis the lease as applied (after the cap), or -1
     * @param clamped     the lease was longer than the player's cap and was cut to it
     * @param late        a tone whose {@code at} had passed: it starts at once
     */
    record Accepted(long micros, String source, String raw, int bytes, String kind, long seq, long atMicros,
            double hz, long leaseMillis, boolean clamped, boolean late) implements PlayerEvent {
    }

    /**
     * The datagrams rejected for one reason during one second (one line instead of one per datagram).
     *
     * @param micros     the start of that second (player clock)
     * @param count      how many
     * @param lastSource where the last of them came from
     * @param exampleRaw the first bytes of the first of them, printable
     */
    record Rejected(long micros, RejectReason reason, long count, String lastSource, String exampleRaw)
            implements PlayerEvent {
    }

    /**
     * The watchdog silenced the player: nothing but silence sounds after {@code micros}.
     *
     * @param silentSeconds how long there had been no news
     */
    record Watchdog(long micros, double silentSeconds) implements PlayerEvent {
    }
}
