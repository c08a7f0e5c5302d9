package dev.concerto.director.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.concerto.director.score.ScoreDocument.Beats;
import dev.concerto.director.score.ScoreDocument.EventSpec;
import dev.concerto.director.score.ScoreDocument.NoteRef;
import dev.concerto.director.score.ScoreDocument.PartSpec;
import dev.concerto.director.score.ScoreDocument.TempoChange;
import dev.concerto.director.score.ScoreDocument.TempoSpec;
import dev.concerto.director.score.ScoreDocument.TuningSpec;
import dev.concerto.director.score.ScoreDocument.VoiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Compiling is pure, ordered and consistent with the tempo map, whatever the notes. */
class ScoreCompilerProperties {

    @Property(tries = 200)
    void sequentialNotesCompileConsistently(@ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 16) Integer> sixteenths,
                                            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 50) Integer> indices,
                                            @ForAll @DoubleRange(min = 20, max = 300) double bpm,
                                            @ForAll @DoubleRange(min = 20, max = 300) double laterBpm,
                                            @ForAll @IntRange(min = 0, max = 40) int changeBeat) throws ScoreException {
        List<EventSpec> events = new ArrayList<>();
        double t = 0;
        for (int i = 0; i < sixteenths.size(); i++) {
            double d = sixteenths.get(i) / 3.0; // thirds: sums are inexact in binary
            events.add(new EventSpec(Beats.of(t), Beats.of(d), NoteRef.ofIndex(indices.get(i % indices.size()))));
            t += d;
        }
        ScoreDocument doc = new ScoreDocument(null, "p", null, null,
                new TuningSpec("formula", null, null, null, null, null, null, null, null, null, null, null),
                new TempoSpec(bpm, 4, null, List.of(new TempoChange(Beats.of(changeBeat), laterBpm))), "4/4", null,
                List.of(new VoiceSpec("v", null, null, null)), null, List.of(PartSpec.ofEvents("p", Map.of("v", events))));
        Timeline a = ScoreCompiler.compile(Score.of(doc));
        Timeline b = ScoreCompiler.compile(Score.of(doc));
        assertThat(a).isEqualTo(b);
        List<TimedNote> notes = a.voice("v").notes();
        assertThat(notes).hasSize(sixteenths.size());
        for (int i = 1; i < notes.size(); i++) { // back to back: each starts where the previous ends
            assertThat(notes.get(i).startSeconds()).isCloseTo(notes.get(i - 1).endSeconds(), within(1e-9));
            // exactly at or before it, so a sender never sees a gap and sends no 0 in between
            assertThat(notes.get(i).startSeconds()).isLessThanOrEqualTo(notes.get(i - 1).endSeconds());
            assertThat(notes.get(i).startBeats()).isLessThanOrEqualTo(notes.get(i - 1).endBeats());
        }
        double expected = t <= changeBeat ? t * 60 / bpm : changeBeat * 60 / bpm + (t - changeBeat) * 60 / laterBpm;
        assertThat(a.totalSeconds()).isCloseTo(expected, within(1e-8));
        assertThat(a.totalBeats()).isCloseTo(t, within(1e-9));
        assertThat(a.measureCount()).isEqualTo(Math.max(1, (int) Math.ceil(t / 4 - 1e-6)));
        assertThat(a.noteCount()).isEqualTo(sixteenths.size());
    }
}
