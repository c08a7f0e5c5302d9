package dev.concerto.director.engine;

/**
 * Told of every datagram the scheduler sends, on the scheduler thread, right after the send:
 * implementations must return in microseconds (queue the work elsewhere) and must not throw.
 */
@FunctionalInterface
public interface SendObserver {

    /**
     * @param player        index of the player in the engine's roster
     * @param hz            the frequency sent (exact; a plain-integer player gets it rounded), 0 for silence
     * @param deadlineNanos when it was due, on the engine clock's monotonic scale (for an
     *                      unscheduled send, such as a silence on stop, equal to {@code sentNanos})
     * @param sendAtNanos   when it was to be sent, same scale: one lead before the deadline when
     *                      the roster has timed players (the lead in force then), the deadline without
     *                      them, {@code sentNanos} for an unscheduled send
     * @param sentNanos     when the send returned, same scale
     */
    void onSend(int player, double hz, long deadlineNanos, long sendAtNanos, long sentNanos);

    /**
     * A clock-sync reply from {@code player} went into its estimate (on the scheduler thread, when the
     * reply is taken in; for diagnosis: the events file). Ignored unless overridden.
     */
    default void onSyncExchange(int player, SyncExchange exchange) {
    }

    /** This observer, then {@code next}, for every send and exchange (like {@code Consumer.andThen}). */
    default SendObserver andThen(SendObserver next) {
        SendObserver first = this;
        return new SendObserver() {
            @Override
            public void onSend(int player, double hz, long deadline, long sendAt, long sent) {
                first.onSend(player, hz, deadline, sendAt, sent);
                next.onSend(player, hz, deadline, sendAt, sent);
            }

            @Override
            public void onSyncExchange(int player, SyncExchange exchange) {
                first.onSyncExchange(player, exchange);
                next.onSyncExchange(player, exchange);
            }
        };
    }
}
