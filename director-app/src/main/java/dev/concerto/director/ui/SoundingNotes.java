package dev.concerto.director.ui;

import dev.concerto.director.score.TimedNote;
import dev.concerto.director.score.VoiceTimeline;
import java.util.List;

/**
 * Which note of a voice sounds at a position: a binary search over the voice's onsets, so the
 * piano roll can ask every frame. Immutable after construction; thread-safe.
 */
public final class SoundingNotes {

    private final List<TimedNote> notes;
    private final double[] starts;

    public SoundingNotes(VoiceTimeline voice) {
        this.notes = voice.notes();
        this.starts = new double[notes.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = notes.get(i).startSeconds();
        }
    }

    /** The non-silent note sounding at {@code seconds}, or null (before the first note, in a rest, after its end). */
    public TimedNote at(double seconds) {
        // The last event starting at or before the position decides: a later silence ends a note.
        int lo = 0;
        int hi = starts.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= seconds) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return null;
        }
        TimedNote note = notes.get(found);
        return !note.isSilence() && seconds < note.endSeconds() ? note : null;
    }
}
