package dev.concerto.director.ui;

import dev.concerto.director.live.LiveConductor;
import java.util.List;

/**
 * A running live input as the GUI sees it (the real one wraps a live session; see
 * {@link DirectorBackend#openLive}). Thread-safe: the figures are snapshots.
 */
public interface LiveInput extends AutoCloseable {

    /** What each roster player sounds now, in roster order. */
    List<LiveConductor.PlayerState> players();

    /** Counts since it started. */
    LiveConductor.Stats stats();

    /** Silences every player and releases the MIDI port and the sockets. */
    @Override
    void close();
}
