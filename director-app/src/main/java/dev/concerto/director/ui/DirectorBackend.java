package dev.concerto.director.ui;

import dev.concerto.director.engine.DiscoveredPlayer;
import dev.concerto.director.engine.PlayerProbe;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.engine.Transport;
import dev.concerto.director.score.Timeline;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything the GUI asks of the rest of the director: loading scores and rosters, the embedded
 * local players, transports and test tones. The ui package never opens a socket; the real
 * implementation (in {@code dev.concerto.director.session}) adapts the score loader, the engine
 * and the player library. Methods may block (file and network I/O): view models call them through
 * a {@link BackgroundRunner}. Implementations must be thread-safe.
 */
public interface DirectorBackend extends AutoCloseable {

    /**
     * Loads and compiles a score (JSON score or MIDI file).
     *
     * @throws Exception with a message naming the file and, for a malformed score, the line, column and field
     */
    Timeline loadScore(Path file) throws Exception;

    /** Reads a roster file. @throws Exception with a message that names the file and the problem */
    List<RosterEntry> loadRoster(Path file) throws Exception;

    /** Writes a roster file. */
    void saveRoster(Path file, List<RosterEntry> roster) throws Exception;

    /**
     * Starts an embedded ensemble of simulated players on loopback, one per voice of the timeline,
     * replacing any that were running, and returns their roster (each entry playing one voice, in
     * voice order).
     */
    List<RosterEntry> startLocalPlayers(Timeline timeline) throws Exception;

    /** Stops the embedded players, if any. */
    void stopLocalPlayers();

    /** Opens a transport that plays {@code timeline} to {@code roster}; the caller closes it. */
    Transport openTransport(Timeline timeline, List<RosterEntry> roster) throws Exception;

    /** Sounds {@code hz} on one player for about {@code millis} ms, then silences it; returns when done. */
    void testTone(RosterEntry player, int hz, int millis) throws Exception;

    /**
     * Starts looking for players (mDNS and unicast join, as {@code settings} say); {@code players} hears
     * the whole list on a background thread whenever it changes, {@code problems} why a part did not
     * start. Closing the result stops it. The default finds nothing.
     */
    default AutoCloseable startDiscovery(DiscoverySettings settings, Consumer<List<DiscoveredPlayer>> players,
                                         Consumer<String> problems) throws Exception {
        return () -> { };
    }

    /**
     * Probes {@code roster}'s players before Play (sync exchange for timed/auto players);
     * {@code status} hears every player's state on a background thread about five times a second.
     * Closing the result stops it. The default probes nothing.
     */
    default AutoCloseable probe(List<RosterEntry> roster, Consumer<List<PlayerProbe>> status) throws Exception {
        return () -> { };
    }

    /** Stops local players and releases what the backend holds. */
    @Override
    void close();
}
