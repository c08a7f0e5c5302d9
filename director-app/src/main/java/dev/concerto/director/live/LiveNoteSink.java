package dev.concerto.director.live;

/**
 * Where live notes go: "player P sounds f from time T". The narrow seam between live input and
 * the engine that sends datagrams (its scheduler thread takes them from a queue, see
 * {@link EngineNoteSink}); a recording fake in tests.
 *
 * <p>The caller ({@link LiveConductor}) calls {@link #sound} about {@link #leadNanos(int)} before
 * the due time, on its one thread.
 */
public interface LiveNoteSink {

    /** Players, in roster order. */
    int playerCount();

    /** The roster name of a player. */
    String playerName(int player);

    /** The voice a player plays in the roster (OSC addresses voices). */
    String playerVoice(int player);

    /**
     * How long before its due time this player wants a change, ns: the live lead for a player
     * that takes "f at T" (timed protocol), 0 for one that sounds what it gets at once (plain integer).
     */
    long leadNanos(int player);

    /**
     * The player sounds {@code hz} (exact; 0: silence) from {@code dueNanos} until told otherwise. Never
     * blocks; a network problem is counted by the implementation, not thrown.
     *
     * @param dueNanos on the clock's monotonic scale
     */
    void sound(int player, double hz, long dueNanos);

    /** Every player silent at once (stop, panic, closing). */
    void silenceAll();
}
