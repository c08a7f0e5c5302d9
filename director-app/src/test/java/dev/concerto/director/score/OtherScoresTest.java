package dev.concerto.director.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The other shipped scores: musically what they claim to be. */
class OtherScoresTest {

    private static List<String> names(VoiceTimeline v) {
        return v.notes().stream().map(TimedNote::name).toList();
    }

    @Test
    void pachelbelIsACanonOverTheGround() throws Exception {
        Timeline t = Scores.loadTimeline(ShippedScores.path("pachelbel-canon.json"));
        assertThat(t.composer()).isEqualTo("Johann Pachelbel");
        List<String> bass = names(t.voice("bass"));
        assertThat(bass.subList(0, 8)).containsExactly("D3", "A2", "B2", "F#2", "G2", "D2", "G2", "A2");
        assertThat(bass.subList(8, 16)).isEqualTo(bass.subList(0, 8)); // a ground
        List<String> v1 = names(t.voice("violin1"));
        List<String> v2 = names(t.voice("violin2"));
        List<String> v3 = names(t.voice("violin3"));
        assertThat(v1.subList(0, 8)).containsExactly("F#5", "E5", "D5", "C#5", "B4", "A4", "B4", "C#5");
        // each violin plays the same melody, entering two measures (8 beats) after the previous one
        assertThat(v2.subList(0, 24)).isEqualTo(v1.subList(0, 24));
        assertThat(v3.subList(0, 24)).isEqualTo(v1.subList(0, 24));
        assertThat(t.voice("violin1").notes().get(0).startBeats()).isEqualTo(8.0);
        assertThat(t.voice("violin2").notes().get(0).startBeats()).isEqualTo(16.0);
        assertThat(t.voice("violin3").notes().get(0).startBeats()).isEqualTo(24.0);
        // just intonation in D: F#4 over D4 is a pure 5:4
        double d4 = t.voice("violin2").notes().get(t.voice("violin2").notes().size() - 1).hz();
        double fs4 = t.voice("violin1").notes().get(t.voice("violin1").notes().size() - 1).hz();
        assertThat(fs4 / d4).isCloseTo(1.25, within(1e-12));
        assertThat(t.measureCount()).isEqualTo(15);
    }

    @Test
    void odeToJoyTheme() throws Exception {
        Timeline t = Scores.loadTimeline(ShippedScores.path("ode-to-joy.json"));
        List<String> mel = names(t.voice("melody"));
        assertThat(mel.subList(0, 15)).containsExactly("F#4", "F#4", "G4", "A4", "A4", "G4", "F#4", "E4",
                "D4", "D4", "E4", "F#4", "F#4", "E4", "E4");
        TimedNote dotted = t.voice("melody").notes().get(12);
        assertThat(dotted.durationBeats()).isEqualTo(1.5);
        assertThat(t.measureCount()).isEqualTo(16);
        assertThat(t.totalSeconds()).isCloseTo(32.0, within(1e-9));
        assertThat(names(t.voice("bass")).get(0)).isEqualTo("D3");
        assertThat(mel.get(mel.size() - 1)).isEqualTo("D4");
    }
}
