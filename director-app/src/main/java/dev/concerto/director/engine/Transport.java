package dev.concerto.director.engine;

import java.util.function.Consumer;

/**
 * Controls playback of one timeline to one roster. Every method is thread-safe and returns at
 * once; the work happens on the engine's scheduler thread. Stopping and pausing silence every
 * player of the roster.
 */
public interface Transport extends AutoCloseable {

    /** Starts from the current position (the start, or where {@link #seekToMeasure} put it). */
    void play();

    void pause();

    void resume();

    /** Silences every player and returns to the start (or the loop's first measure). */
    void stop();

    /** Moves to the start of a 1-based measure; playing continues from there if playing. */
    void seekToMeasure(int measure);

    /** Loops measures {@code from..to} inclusive (1-based). */
    void setLoop(int fromMeasure, int toMeasure);

    void clearLoop();

    /** Changes the tempo live, keeping the musical position. */
    void setTempo(double bpm);

    /** The latest snapshot. */
    TransportState state();

    void addListener(Consumer<TransportState> listener);

    void removeListener(Consumer<TransportState> listener);

    /** Stops (silencing every player) and releases the scheduler thread and sockets. */
    @Override
    void close();
}
