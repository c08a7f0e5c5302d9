package dev.concerto.director.live;

/**
 * One thing an OSC message asks of the director (the address space is in {@code docs/osc.md}).
 * Immutable.
 */
public sealed interface OscCommand {

    /** {@code /concerto/play}: play from the current position (resume when paused). */
    record Play() implements OscCommand {
    }

    /** {@code /concerto/pause}. */
    record Pause() implements OscCommand {
    }

    /** {@code /concerto/stop}: silence and back to the start. */
    record Stop() implements OscCommand {
    }

    /** {@code /concerto/seek <measure>}, 1-based. */
    record Seek(int measure) implements OscCommand {
    }

    /** {@code /concerto/tempo <bpm>}. */
    record Tempo(double bpm) implements OscCommand {
    }

    /** {@code /concerto/loop <from> <to>} (measures, inclusive); {@code /concerto/loop 0 0} clears it. */
    record Loop(int fromMeasure, int toMeasure) implements OscCommand {
    }

    /** {@code /concerto/note <voice> <hz> <seconds>}: a note on the voice's players, now or at the bundle's time. */
    record Note(String voice, double hz, double seconds) implements OscCommand {
    }

    /** {@code /concerto/voice/<name>/hz <hz>}: the voice's players sound hz until told otherwise (0: silence). */
    record VoiceHz(String voice, double hz) implements OscCommand {
    }

    /** {@code /concerto/panic}: every player silent now. */
    record Panic() implements OscCommand {
    }

    /** {@code /concerto/subscribe <host> <port>}: send state, position and notes there. */
    record Subscribe(String host, int port) implements OscCommand {
    }

    /** {@code /concerto/unsubscribe <host> <port>}. */
    record Unsubscribe(String host, int port) implements OscCommand {
    }

    /** {@code /concerto/load <file>}: load a score (only when enabled, only from the configured folder). */
    record Load(String file) implements OscCommand {
    }
}
