package dev.concerto.director.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sound.midi.Sequence;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MidiImporterTest {

    @TempDir
    Path dir;

    private Path write(Sequence seq, int type, String name) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, MidiFixtures.bytes(seq, type));
        return p;
    }

    private static List<Integer> midi(VoiceTimeline v) {
        return v.notes().stream().map(n -> ShippedScores.midiOf(n.hz())).toList();
    }

    @Test
    void typeOneByTrackHonoursTheTempoMap() throws Exception {
        Path p = write(MidiFixtures.frereJacques(), 1, "round.mid");
        MidiImporter.Result r = MidiImporter.load(p, new MidiImporter.Options(MidiImporter.Split.TRACK, 4));
        assertThat(r.unplaced()).isEmpty();
        Timeline t = ScoreCompiler.compile(r.score());
        assertThat(t.title()).isEqualTo("Frere Jacques (round)");
        assertThat(t.voices()).extracting(VoiceTimeline::name).containsExactly("track2", "track3");
        assertThat(midi(t.voice("track2")).subList(0, 4)).containsExactly(60, 62, 64, 60);
        assertThat(t.voice("track2").notes()).hasSize(32);
        TimedNote entry = t.voice("track3").notes().get(0);
        assertThat(entry.startBeats()).isEqualTo(8.0);
        assertThat(entry.startSeconds()).isCloseTo(8 * 0.6, within(1e-9)); // quarter = 100
        // quarter = 80 from beat 32 on: the last note (C4, 2 beats at beat 38) ends at 19.2 + 6 s
        TimedNote last = t.voice("track3").notes().get(31);
        assertThat(last.startSeconds()).isCloseTo(19.2 + 6 * 0.75, within(1e-9));
        assertThat(last.durationSeconds()).isCloseTo(1.5, within(1e-9));
        assertThat(t.totalSeconds()).isCloseTo(25.2, within(1e-9));
        assertThat(t.measureCount()).isEqualTo(10);
        assertThat(r.score().description()).contains("MIDI type 1").contains("3 tracks");
    }

    @Test
    void typeZeroChordsSplitHighToLow() throws Exception {
        Path p = write(MidiFixtures.typeZeroChords(), 0, "chords.mid");
        MidiImporter.Result r = MidiImporter.load(p, new MidiImporter.Options(MidiImporter.Split.HIGH_TO_LOW, 4));
        assertThat(r.unplaced()).isEmpty();
        Timeline t = ScoreCompiler.compile(r.score());
        // beat 0: melody C5 (top) then G3 E3 C3, high to low over voice1..voice4
        assertThat(t.voices()).extracting(v -> midi(v).get(0)).containsExactly(72, 55, 52, 48);
        // 120 bpm for 4 beats, then 60: the second bar starts at 2 s
        assertThat(t.voice("voice2").notes().get(1).startSeconds()).isCloseTo(2.0, within(1e-9));
        assertThat(t.bpm()).isEqualTo(120.0);
        assertThat(r.score().description()).contains("MIDI type 0");
    }

    @Test
    void notesBeyondThePlayersAreReportedNotDropped() throws Exception {
        Path p = write(MidiFixtures.typeZeroChords(), 0, "chords.mid");
        MidiImporter.Result r = MidiImporter.load(p, new MidiImporter.Options(MidiImporter.Split.HIGH_TO_LOW, 2));
        Timeline t = ScoreCompiler.compile(r.score());
        assertThat(t.voices()).hasSize(2);
        // bar 1: the melody takes voice1 and G3 voice2; E3 and C3 find no player, twice (two bars)
        assertThat(r.unplaced()).hasSize(4);
        assertThat(r.unplaced()).extracting(MidiImporter.Unplaced::midiNote).containsExactly(52, 48, 52, 48);
        assertThat(r.unplaced().get(0).reason()).isEqualTo("all 2 players are busy");
        assertThat(r.score().warnings()).hasSize(4);
        assertThat(r.score().warnings().get(0)).isEqualTo("unplaced E3 (track 1, channel 1) at beat 0 (0.000 s): all 2 players are busy");
        int placed = t.noteCount();
        assertThat(placed + r.unplaced().size()).isEqualTo(5 + 6);
    }

    @Test
    void roundRobinTakesPlayersInTurn() throws Exception {
        Sequence seq = new Sequence(Sequence.PPQ, MidiFixtures.PPQ);
        Track tr = seq.createTrack();
        MidiFixtures.line(tr, 0, 0, "C4:1 D4:1 E4:1 F4:1 G4:1");
        Path p = write(seq, 0, "scale.mid");
        Timeline t = ScoreCompiler.compile(MidiImporter.load(p, new MidiImporter.Options(MidiImporter.Split.ROUND_ROBIN, 3)).score());
        assertThat(t.voices()).extracting(MidiImporterTest::midi)
                .containsExactly(List.of(60, 65), List.of(62, 67), List.of(64));
    }

    @Test
    void byChannelOverlapsAreReported() throws Exception {
        Path p = write(MidiFixtures.typeZeroChords(), 0, "chords.mid");
        MidiImporter.Result r = MidiImporter.load(p, new MidiImporter.Options(MidiImporter.Split.CHANNEL, 4));
        Timeline t = ScoreCompiler.compile(r.score());
        assertThat(t.voices()).extracting(VoiceTimeline::name).containsExactly("ch1", "ch2");
        assertThat(midi(t.voice("ch1"))).containsExactly(55, 55); // the top of each triad, first in order
        assertThat(r.unplaced()).hasSize(4).allSatisfy(u -> assertThat(u.reason()).contains("overlaps"));
    }

    @Test
    void percussionAndGroupsBeyondThePlayersAreReported() throws Exception {
        Sequence seq = new Sequence(Sequence.PPQ, MidiFixtures.PPQ);
        Track tr = seq.createTrack();
        MidiFixtures.line(tr, 0, 0, "C4:1");
        MidiFixtures.line(tr, 1, 0, "E4:1");
        MidiFixtures.line(tr, 9, 0, "C2:1"); // channel 10: drums; E4 is higher, so ch2 comes first
        Path p = write(seq, 0, "drums.mid");
        MidiImporter.Result r = MidiImporter.load(p, new MidiImporter.Options(MidiImporter.Split.CHANNEL, 1));
        assertThat(r.unplaced()).extracting(MidiImporter.Unplaced::reason)
                .containsExactlyInAnyOrder("percussion (channel 10) has no pitch to play", "no player left for ch1 (1 players)");
    }

    @Test
    void loaderDispatchesOnExtensionAndRejectsGarbage() throws Exception {
        Path p = write(MidiFixtures.frereJacques(), 1, "round.MID");
        assertThat(ScoreLoader.load(p).title()).isEqualTo("Frere Jacques (round)");
        Path bad = dir.resolve("bad.mid");
        Files.writeString(bad, "not midi");
        assertThatThrownBy(() -> ScoreLoader.load(bad)).isInstanceOf(ScoreException.class)
                .hasMessageStartingWith(bad + ": not a standard MIDI file");
    }

    @Test
    void theShippedMidiFileIsWhatTheFixtureWrites() throws Exception {
        Path shipped = ShippedScores.path("frere-jacques.mid");
        assertThat(Files.readAllBytes(shipped)).isEqualTo(MidiFixtures.bytes(MidiFixtures.frereJacques(), 1));
        Timeline t = Scores.loadTimeline(shipped);
        assertThat(t.noteCount()).isEqualTo(64);
        assertThat(t.totalSeconds()).isCloseTo(25.2, within(1e-9));
    }
}
