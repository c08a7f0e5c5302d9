package dev.concerto.director.score;

import java.util.List;
import java.util.Objects;

/**
 * The notes of one monophonic voice, ordered by start time; events with equal start keep the
 * order in which the score wrote them (a silence before the next chord's note, for example).
 *
 * @param name     the voice's name in the score ({@code "bass"}, {@code "tenor"}, ...)
 * @param notes    immutable, ordered by {@link TimedNote#startSeconds()}
 * @param optional true when the score marks the voice optional: it doubles or completes the
 *                 texture (BWV 846's final chord) and an engine may leave it out when the roster
 *                 has fewer players than voices (give players to the required voices first)
 */
public record VoiceTimeline(String name, List<TimedNote> notes, boolean optional) {

    /** A required (non-optional) voice. */
    public VoiceTimeline(String name, List<TimedNote> notes) {
        this(name, notes, false);
    }

    public VoiceTimeline {
        Objects.requireNonNull(name, "name");
        notes = List.copyOf(notes);
        for (int i = 1; i < notes.size(); i++) {
            if (notes.get(i).startSeconds() < notes.get(i - 1).startSeconds()) {
                throw new IllegalArgumentException("notes of voice " + name + " are not ordered at " + i);
            }
        }
    }
}
