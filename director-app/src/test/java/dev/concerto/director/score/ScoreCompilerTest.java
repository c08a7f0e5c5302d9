package dev.concerto.director.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScoreCompilerTest {

    private static Timeline compile(String json) throws ScoreException {
        return ScoreCompiler.compile(ScoreLoader.parse(json, "test.json"));
    }

    @Test
    void eventsFormWithTempoMapAndParts() throws Exception {
        Timeline t = compile("""
                {"title": "t", "tuning": {"type": "equal"},
                 "tempo": {"bpm": 60, "changes": [{"beat": 2, "bpm": 120}]},
                 "meter": "2/4",
                 "voices": [{"name": "v"}],
                 "parts": [
                   {"events": {"v": [{"start": 0, "duration": 1, "note": "A4"},
                                     {"start": "3/2", "duration": "1/2", "note": 48}]}},
                   {"events": {"v": [{"start": 1, "duration": 2, "note": "A5"}]}, "beats": 4}
                 ]}""");
        var notes = t.voice("v").notes();
        assertThat(notes).hasSize(3);
        assertThat(notes.get(0).hz()).isEqualTo(440.0);
        assertThat(notes.get(1).hz()).isCloseTo(440.0, within(1e-9)); // index 48 of A0..C8 = A4
        assertThat(notes.get(1).startSeconds()).isEqualTo(1.5);
        // the second part starts at beat 2 (the end of the first); its note at beat 3, after the change to 120
        assertThat(notes.get(2).startBeats()).isEqualTo(3.0);
        assertThat(notes.get(2).startSeconds()).isCloseTo(2.5, within(1e-12));
        assertThat(notes.get(2).durationSeconds()).isCloseTo(1.0, within(1e-12));
        assertThat(t.totalBeats()).isEqualTo(6.0);
        assertThat(t.totalSeconds()).isCloseTo(4.0, within(1e-12));
        assertThat(t.measureStartBeats()).containsExactly(0.0, 2.0, 4.0);
        assertThat(t.measureStartSeconds()).containsExactly(0.0, 2.0, 3.0);
        assertThat(t.measureAt(2.5)).isEqualTo(2);
    }

    @Test
    void measuresFollowMeterChangesInEveryNotation() throws Exception {
        Timeline t = compile("""
                {"title": "t", "tuning": {"type": "equal"}, "tempo": {"bpm": 60},
                 "meter": "3/4", "meterChanges": [{"beat": 6, "meter": "4/4"}, {"beat": "23/2", "meter": "6/8"}],
                 "voices": [{"name": "v"}],
                 "parts": [{"measures": [{"v": "C4:3"}, {"v": "D4:3"}, {"v": "E4:4"}]},
                           {"events": {"v": [{"start": 0, "duration": 1, "note": "F4"}]}, "beats": "3/2"},
                           {"measures": [{"v": "G4:3"}, {"v": "A4:3"}]}]}""");
        // 3/4 3/4 | 4/4 (the measures notation follows the change) | a 4/4 measure cut to 1.5 beats by the
        // change to 6/8 at beat 11.5 | 6/8 6/8
        assertThat(t.measureStartBeats()).containsExactly(0.0, 3.0, 6.0, 10.0, 11.5, 14.5);
        assertThat(t.voice("v").notes().get(5).startBeats()).isEqualTo(14.5);
        assertThat(t.measureAt(10.2)).isEqualTo(4);
        assertThat(t.totalBeats()).isEqualTo(17.5);
    }

    @Test
    void meterChangesAreCheckedWhereTheyAreWritten() {
        String score = """
                {"title": "t", "tuning": {"type": "equal"}, "tempo": {"bpm": 60}, "meter": "3/4",
                 "meterChanges": %s,
                 "voices": [{"name": "v"}], "parts": [{"events": {"v": [{"start": 0, "duration": 1, "note": "C4"}]}}]}""";
        assertThatThrownBy(() -> compile(score.formatted("[{\"beat\": 6, \"meter\": \"4/4\"}, {\"beat\": 3, \"meter\": \"2/4\"}]")))
                .hasMessageContaining("meterChanges[1].beat: meter changes must be in order of beat (3 < 6)");
        assertThatThrownBy(() -> compile(score.formatted("[{\"beat\": 6, \"meter\": \"5/64\"}]")))
                .hasMessageContaining("meterChanges[0].meter: meter must be a time signature such as \"4/4\"");
        assertThatThrownBy(() -> compile(score.formatted("[{\"beat\": 6}]")))
                .hasMessageContaining("meterChanges[0]: a meter change needs 'beat' and 'meter'");
    }

    @Test
    void restBetweenChordsAndStops() throws Exception {
        Timeline t = compile("""
                {"title": "t", "tuning": {"type": "formula"}, "tempo": {"dt": 0.025},
                 "voices": [{"name": "low"}, {"name": "high"}],
                 "figures": {"f": {"stepBeats": 1, "steps": [{"voice": "low", "tone": "a", "steps": 2},
                                                            {"voice": "high", "tone": "c", "at": 1}]}},
                 "parts": [{"figure": "f", "chords": [[0, 12, 24], "A2 A3 A4"], "stop": true, "restBeats": 1}]}""");
        var low = t.voice("low").notes();
        assertThat(low).extracting(TimedNote::startBeats).containsExactly(0.0, 2.0, 3.0, 5.0);
        assertThat(low).extracting(TimedNote::hz).containsExactly(55.0, 0.0, 110.0, 0.0);
        assertThat(t.voice("high").notes()).extracting(TimedNote::hz).containsExactly(220.0, 0.0, 440.0, 0.0);
        assertThat(t.totalBeats()).isEqualTo(6.0); // the rest after the last chord counts
        assertThat(t.bpm()).isCloseTo(75.0, within(1e-9)); // dt: a sixteenth every 8*dt = 0.2 s, quarter = 0.8 s
    }

    @Test
    void chordStringsMayHoldIndices() throws Exception {
        Timeline t = compile("""
                {"title": "t", "tuning": {"type": "formula"}, "tempo": {"bpm": 60},
                 "voices": [{"name": "v"}],
                 "figures": {"f": {"stepBeats": 1, "steps": [{"voice": "v", "tone": "a"}, {"voice": "v", "tone": "b"}]}},
                 "parts": [{"figure": "f", "chords": ["27 31"]}]}""");
        assertThat(t.voice("v").notes()).extracting(TimedNote::hz).containsExactly(262.0, 330.0);
        assertThat(t.voice("v").notes()).extracting(TimedNote::name).containsExactly("C4", "E4");
    }

    @Test
    void scoresBuiltInCodeHaveNoLocation() {
        ScoreDocument doc = new ScoreDocument(null, "t", null, null,
                new ScoreDocument.TuningSpec("equal", null, null, null, null, null, null, null, null, null, null, null),
                new ScoreDocument.TempoSpec(60.0, 4, null, null), null, null,
                java.util.List.of(new ScoreDocument.VoiceSpec("v", null, null, null)), null,
                java.util.List.of(ScoreDocument.PartSpec.ofEvents("p", java.util.Map.of("v", java.util.List.of(
                        new ScoreDocument.EventSpec(ScoreDocument.Beats.of(0), ScoreDocument.Beats.of(1),
                                ScoreDocument.NoteRef.ofName("Z9")))))));
        assertThatThrownBy(() -> ScoreCompiler.compile(Score.of(doc))).isInstanceOf(ScoreException.class)
                .hasMessage("<memory>: parts[0].events.v[0].note: unknown note name 'Z9' (write C4, F#3, Bb2, ... or a table index)");
    }

    @Test
    void aDocumentSurvivesAJsonRoundTrip() throws Exception {
        Score s = ScoreLoader.load(ShippedScores.path("bwv846.json"));
        String json = ScoreLoader.toJson(s.document());
        assertThat(ScoreCompiler.compile(ScoreLoader.parse(json, "copy.json"))).isEqualTo(ScoreCompiler.compile(s));
    }
}
