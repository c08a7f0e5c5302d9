package dev.concerto.director.engine;

import dev.concerto.director.score.TimedNote;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.VoiceTimeline;
import java.util.ArrayList;
import java.util.List;

/** Hand-made timelines for tests: at 60 bpm one beat is one second. */
public final class Timelines {

    private Timelines() {
    }

    public static TimedNote note(double start, double length, double hz) {
        return new TimedNote(start, length, start, length, hz, hz == 0 ? "rest" : "n" + (int) hz);
    }

    public static VoiceTimeline voice(String name, TimedNote... notes) {
        return new VoiceTimeline(name, List.of(notes));
    }

    /** A 4/4 timeline at 60 bpm with {@code measures} measures of 4 s each. */
    public static Timeline of(int measures, VoiceTimeline... voices) {
        List<Double> starts = new ArrayList<>();
        for (int m = 0; m < measures; m++) {
            starts.add(m * 4.0);
        }
        return new Timeline("test", "", 60, List.of(voices), measures * 4.0, measures * 4.0, starts, starts);
    }

    /**
     * Two measures: a bass holding 100 Hz then 110 Hz for two beats each per measure, and a melody
     * of one-beat notes 200, 201, ... (legato, so no silence between them).
     */
    public static Timeline twoVoices(int measures) {
        List<TimedNote> bass = new ArrayList<>();
        List<TimedNote> melody = new ArrayList<>();
        for (int m = 0; m < measures; m++) {
            bass.add(note(m * 4.0, 2, 100 + 10 * m));
            bass.add(note(m * 4.0 + 2, 2, 105 + 10 * m));
            for (int b = 0; b < 4; b++) {
                melody.add(note(m * 4.0 + b, 1, 200 + m * 4 + b));
            }
        }
        return of(measures, new VoiceTimeline("bass", bass), new VoiceTimeline("melody", melody));
    }
}
