package dev.concerto.director.ui;

import dev.concerto.director.engine.DiscoveredPlayer;
import dev.concerto.director.engine.PlayerProbe;
import dev.concerto.director.calibrate.MicrophoneCalibrator;
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
     * Loads and compiles a score (JSON score, MIDI or MusicXML file).
     *
     * @throws Exception with a message naming the file and, for a malformed score, the line, column and field
     */
    Timeline loadScore(Path file) throws Exception;

    /**
     * A compiled score and what its import reported, for people: the file's warnings and the notes
     * no player plays (MIDI, MusicXML).
     *
     * @param timeline      the compiled score
     * @param warnings      file warnings (a note never released, an unsupported element), one per line
     * @param unplaced      one line per note that is not played, with its cause
     */
    record LoadedScore(Timeline timeline, List<String> warnings, List<String> unplaced) {
        public LoadedScore {
            warnings = List.copyOf(warnings);
            unplaced = List.copyOf(unplaced);
        }
    }

    /** Like {@link #loadScore}, with the import's report; the default reports nothing. */
    default LoadedScore loadScoreWithReport(Path file) throws Exception {
        return new LoadedScore(loadScore(file), List.of(), List.of());
    }

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

    /**
     * Uses {@code key} (or none, when null) for every timed message from now on: the transport's
     * notes and syncs, the probe before Play, calibration, live input, and the local players. The
     * default ignores it (a backend without keyed players).
     */
    default void useKey(dev.concerto.protocol.Authenticator key) {
    }

    /** Opens a transport that plays {@code timeline} to {@code roster}; the caller closes it. */
    Transport openTransport(Timeline timeline, List<RosterEntry> roster) throws Exception;

    /** Sounds {@code hz} on one player for about {@code millis} ms, then silences it; returns when done. */
    void testTone(RosterEntry player, int hz, int millis) throws Exception;

    /** The MIDI inputs there are (keyboards, virtual ports), by name; none by default. */
    default List<String> midiInputs() {
        return List.of();
    }

    /**
     * Starts live input: the named MIDI input plays the roster's players (one voice each).
     *
     * @throws Exception saying what is wrong (no such input, the port busy, a player not answering)
     */
    default LiveInput openLive(List<RosterEntry> roster, LiveRequest request) throws Exception {
        throw new UnsupportedOperationException("live input is not available here");
    }

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
     * Probes {@code roster}'s players before Play (sync exchange for timed/auto players, signed with
     * the key of {@link #useKey}); {@code status} hears every player's state on a background thread
     * at once when it changes, and about five times a second.
     * Closing the result stops it. The default probes nothing.
     */
    default AutoCloseable probe(List<RosterEntry> roster, Consumer<List<PlayerProbe>> status) throws Exception {
        return () -> { };
    }

    /**
     * Calibrates the timed players of {@code roster} by microphone (several seconds; see
     * {@code concerto calibrate}); {@code progress} gets a line to show.
     *
     * @throws Exception with a message saying what is wrong (no microphone, no timed player, players unreachable)
     */
    MicrophoneCalibrator.Outcome calibrate(List<RosterEntry> roster, java.util.function.Consumer<String> progress)
            throws Exception;

    /** Stops local players and releases what the backend holds. */
    @Override
    void close();
}
