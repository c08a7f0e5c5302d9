package dev.concerto.director.ui;

import dev.concerto.director.score.TimedNote;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.VoiceTimeline;
import java.util.ArrayList;
import java.util.List;

/** Small hand-built timelines for tests. */
final class TestTimelines {

    private TestTimelines() {
    }

    /**
     * {@code measures} measures of 4 beats at {@code bpm}; voice "bass" holds C3 for each whole
     * measure, voice "melody" plays C4 D4 E4 F4 as quarter notes.
     */
    static Timeline scale(String title, int measures, double bpm) {
        double beat = 60.0 / bpm;
        List<TimedNote> bass = new ArrayList<>();
        List<TimedNote> melody = new ArrayList<>();
        double[] hz = {261.63, 293.66, 329.63, 349.23};
        String[] names = {"C4", "D4", "E4", "F4"};
        List<Double> starts = new ArrayList<>();
        List<Double> startBeats = new ArrayList<>();
        for (int m = 0; m < measures; m++) {
            double t0 = m * 4 * beat;
            starts.add(t0);
            startBeats.add(m * 4.0);
            bass.add(new TimedNote(t0, 4 * beat, m * 4.0, 4, 130.81, "C3"));
            for (int i = 0; i < 4; i++) {
                melody.add(new TimedNote(t0 + i * beat, beat, m * 4.0 + i, 1, hz[i], names[i]));
            }
        }
        return new Timeline(title, "Test Composer", bpm,
                List.of(new VoiceTimeline("bass", bass), new VoiceTimeline("melody", melody)),
                measures * 4 * beat, measures * 4.0, starts, startBeats);
    }
}
