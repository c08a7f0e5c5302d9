package dev.concerto.director.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.director.score.TimedNote;
import dev.concerto.director.score.VoiceTimeline;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoundingNotesTest {

    @Test
    void findsTheNoteSoundingAtAPositionAndNothingInRestsOrAfterTheEnd() {
        VoiceTimeline v = new VoiceTimeline("v", List.of(
                new TimedNote(1.0, 1.0, 1, 1, 262, "C4"),
                new TimedNote(2.0, 0.0, 2, 0, 0, "rest"),
                new TimedNote(2.0, 0.5, 2, 0.5, 294, "D4"),
                new TimedNote(3.0, 1.0, 3, 1, 330, "E4")));
        SoundingNotes notes = new SoundingNotes(v);
        assertThat(notes.at(0.5)).isNull();
        assertThat(notes.at(1.0).name()).isEqualTo("C4");
        assertThat(notes.at(1.99).name()).isEqualTo("C4");
        assertThat(notes.at(2.0).name()).isEqualTo("D4");
        assertThat(notes.at(2.7)).isNull();
        assertThat(notes.at(3.5).name()).isEqualTo("E4");
        assertThat(notes.at(4.0)).isNull();
        assertThat(new SoundingNotes(new VoiceTimeline("empty", List.of())).at(1)).isNull();
    }
}
