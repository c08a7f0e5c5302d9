package dev.concerto.director.score;

import java.util.List;
import java.util.Objects;

/**
 * A score compiled to time: immutable, and the only thing the engine plays.
 *
 * <p>Times are at the score's own tempo; the engine plays faster or slower by scaling them, so a
 * live tempo change keeps the musical position.
 *
 * @param title                 the piece's title
 * @param composer              the composer, or an empty string
 * @param bpm                   the score's nominal tempo in beats per minute of its beat unit
 * @param voices                one entry per voice, in score order
 * @param totalSeconds          length of the piece in seconds (the end of its last event)
 * @param totalBeats            length of the piece in beats
 * @param measureStartSeconds   start of each measure in seconds; index 0 is measure 1, starting at 0
 * @param measureStartBeats     start of each measure in beats, same indices
 */
public record Timeline(String title, String composer, double bpm,
                       List<VoiceTimeline> voices,
                       double totalSeconds, double totalBeats,
                       List<Double> measureStartSeconds, List<Double> measureStartBeats) {

    public Timeline {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(composer, "composer");
        voices = List.copyOf(voices);
        measureStartSeconds = List.copyOf(measureStartSeconds);
        measureStartBeats = List.copyOf(measureStartBeats);
        if (measureStartSeconds.size() != measureStartBeats.size()) {
            throw new IllegalArgumentException("measure lists differ in length");
        }
    }

    /** The number of measures (at least 1 for a non-empty piece). */
    public int measureCount() {
        return measureStartSeconds.size();
    }

    /** The voice of that name, or {@code null}. */
    public VoiceTimeline voice(String name) {
        for (VoiceTimeline v : voices) {
            if (v.name().equals(name)) {
                return v;
            }
        }
        return null;
    }

    /** The 1-based measure that contains {@code seconds} (clamped to the first and last). */
    public int measureAt(double seconds) {
        int lo = 0;
        int hi = measureStartSeconds.size() - 1;
        if (hi < 0) {
            return 1;
        }
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (measureStartSeconds.get(mid) <= seconds) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo + 1;
    }

    /** Total number of sounding (non-silence) notes across all voices. */
    public int noteCount() {
        int n = 0;
        for (VoiceTimeline v : voices) {
            for (TimedNote note : v.notes()) {
                if (!note.isSilence()) {
                    n++;
                }
            }
        }
        return n;
    }
}
