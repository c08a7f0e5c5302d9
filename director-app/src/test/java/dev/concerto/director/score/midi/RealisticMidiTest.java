package dev.concerto.director.score.midi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.concerto.director.score.Placement;
import dev.concerto.director.score.Score;
import dev.concerto.director.score.ScoreCompiler;
import dev.concerto.director.score.ShippedScores;
import dev.concerto.director.score.Scores;
import dev.concerto.director.score.TimedNote;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.Unplaced;
import dev.concerto.director.score.VoiceTimeline;
import java.util.List;
import javax.sound.midi.Sequence;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Test;

/** Generated files that behave like real ones: an orchestral tempo map, and BWV 846 on four players. */
class RealisticMidiTest {

    @Test
    void thousandsOfTempoEventsGiveExactSeconds() throws Exception {
        Sequence seq = new Sequence(Sequence.PPQ, MidiFixtures.PPQ);
        Track conductor = seq.createTrack();
        double expected = 0;
        for (int beat = 0; beat < 4_000; beat++) { // a tempo change on every beat: 60, 61, ..., 99, 60, ...
            double bpm = 60 + beat % 40;
            MidiFixtures.tempo(conductor, beat * (long) MidiFixtures.PPQ, bpm);
            if (beat < 3_999) {
                expected += Math.round(60_000_000.0 / bpm) / 1e6; // the file stores whole microseconds per quarter
            }
        }
        Track melody = seq.createTrack();
        MidiFixtures.note(melody, 0, 69, 3_999L * MidiFixtures.PPQ, MidiFixtures.PPQ);
        Score s = MidiImporter.read(MidiFixtures.bytes(seq, 1), "orchestra.mid", "orchestra", Placement.MIDI_DEFAULT);
        TimedNote a = ScoreCompiler.compile(s).voices().get(0).notes().get(0);
        assertThat(a.startBeats()).isEqualTo(3_999.0);
        assertThat(a.startSeconds()).isCloseTo(expected, within(1e-6));
    }

    /** BWV 846 written to a type 0 MIDI file from its own timeline (every voice on channel 1). */
    private static byte[] bwv846AsMidi() throws Exception {
        Timeline bach = Scores.loadTimeline(ShippedScores.path("bwv846.json"));
        Sequence seq = new Sequence(Sequence.PPQ, MidiFixtures.PPQ);
        Track t = seq.createTrack();
        MidiFixtures.tempo(t, 0, bach.bpm());
        for (VoiceTimeline v : bach.voices()) {
            for (TimedNote n : v.notes()) {
                if (!n.isSilence()) {
                    MidiFixtures.note(t, 0, ShippedScores.midiOf(n.hz()), Math.round(n.startBeats() * MidiFixtures.PPQ),
                            Math.round(n.durationBeats() * MidiFixtures.PPQ));
                }
            }
        }
        return MidiFixtures.bytes(seq, 0);
    }

    @Test
    void bwv846OnFourPlayersKeepsItsFinalBassC2() throws Exception {
        byte[] file = bwv846AsMidi();
        Score outer = MidiImporter.read(file, "bwv846.mid", "bwv846", Placement.MIDI_DEFAULT);
        Timeline t = ScoreCompiler.compile(outer);
        double lastOnset = t.voices().stream().flatMap(v -> v.notes().stream()).mapToDouble(TimedNote::startBeats).max().orElseThrow();
        List<Integer> finalChord = t.voices().stream().flatMap(v -> v.notes().stream())
                .filter(n -> n.startBeats() == lastOnset).map(n -> ShippedScores.midiOf(n.hz())).sorted().toList();
        assertThat(finalChord).contains(36, 72); // the bass C2 and the top C5
        assertThat(outer.report().unplaced()).allSatisfy(u -> assertThat(u.midiNote()).isNotEqualTo(36));

        Score top = MidiImporter.read(file, "bwv846.mid", "bwv846",
                new Placement(Placement.Split.HIGH_TO_LOW, 4, Placement.Keep.TOP, false));
        assertThat(top.report().unplaced()).extracting(Unplaced::midiNote).contains(36); // the old rule lost it

        Score auto = MidiImporter.read(file, "bwv846.mid", "bwv846",
                new Placement(Placement.Split.HIGH_TO_LOW, Placement.AUTO, Placement.Keep.OUTER, false));
        assertThat(auto.report().unplaced()).isEmpty();
        assertThat(ScoreCompiler.compile(auto).noteCount()).isEqualTo(549);
    }
}
