package dev.concerto.director.score.midi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.concerto.director.score.Placement;
import dev.concerto.director.score.Score;
import dev.concerto.director.score.ScoreCompiler;
import dev.concerto.director.score.ScoreException;
import dev.concerto.director.score.ScoreLoader;
import dev.concerto.director.score.Scores;
import dev.concerto.director.score.ShippedScores;
import dev.concerto.director.score.TimedNote;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.Unplaced;
import dev.concerto.director.score.VoiceTimeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
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

    static List<Integer> midi(VoiceTimeline v) {
        return v.notes().stream().map(n -> ShippedScores.midiOf(n.hz())).toList();
    }

    private static Placement placement(Placement.Split split, int players) {
        return new Placement(split, players, Placement.Keep.OUTER, false);
    }

    @Test
    void typeOneByTrackHonoursTheTempoMap() throws Exception {
        Path p = write(MidiFixtures.frereJacques(), 1, "round.mid");
        Score s = MidiImporter.load(p, placement(Placement.Split.PART, 4));
        assertThat(s.report().unplaced()).isEmpty();
        Timeline t = ScoreCompiler.compile(s);
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
        assertThat(s.description()).contains("MIDI type 1").contains("3 tracks");
    }

    @Test
    void measuresFollowEveryTimeSignatureChange() throws Exception {
        Score s = MidiImporter.load(write(MidiFixtures.meterChanges(), 1, "meters.mid"), placement(Placement.Split.PART, 4));
        Timeline t = ScoreCompiler.compile(s);
        // 3/4 3/4 | 4/4 4/4 (the restated 4/4 at beat 10 changes nothing) | 6/8 from beat 14
        assertThat(t.measureStartBeats()).containsExactly(0.0, 3.0, 6.0, 10.0, 14.0);
        assertThat(t.measureStartSeconds()).containsExactly(0.0, 1.5, 3.0, 5.0, 7.0);
        assertThat(t.measureAt(5.5)).isEqualTo(4);
        assertThat(s.document().meter()).isEqualTo("3/4");
        assertThat(s.report().fileWarnings()).isEmpty();
    }

    @Test
    void typeZeroChordsSplitHighToLow() throws Exception {
        Path p = write(MidiFixtures.typeZeroChords(), 0, "chords.mid");
        Score s = MidiImporter.load(p, placement(Placement.Split.HIGH_TO_LOW, 4));
        assertThat(s.report().unplaced()).isEmpty();
        Timeline t = ScoreCompiler.compile(s);
        // beat 0: melody C5 (top) then G3 E3 C3, high to low over voice1..voice4
        assertThat(t.voices()).extracting(v -> midi(v).get(0)).containsExactly(72, 55, 52, 48);
        // 120 bpm for 4 beats, then 60: the second bar starts at 2 s
        assertThat(t.voice("voice2").notes().get(1).startSeconds()).isCloseTo(2.0, within(1e-9));
        assertThat(t.bpm()).isEqualTo(120.0);
        assertThat(s.description()).contains("MIDI type 0");
    }

    @Test
    void tooFewPlayersDropInnerVoicesAndKeepTheBass() throws Exception {
        Path p = write(MidiFixtures.typeZeroChords(), 0, "chords.mid");
        Score s = MidiImporter.load(p, placement(Placement.Split.HIGH_TO_LOW, 2));
        Timeline t = ScoreCompiler.compile(s);
        assertThat(t.voices()).hasSize(2);
        // bar 1: the melody C5 and the bass C3 keep players; the inner G3 and E3 do not, twice
        assertThat(midi(t.voice("voice2"))).containsExactly(48, 48);
        List<Unplaced> u = s.report().unplaced();
        assertThat(u).extracting(Unplaced::midiNote).containsExactly(55, 52, 55, 52);
        assertThat(u).allSatisfy(x -> assertThat(x.cause()).isEqualTo(Unplaced.Cause.NO_FREE_PLAYER));
        assertThat(u.get(0)).hasToString("unplaced G3 (track 1, channel 1) at beat 0 (0.000 s): all 2 players are busy");
        assertThat(s.warnings()).containsExactly("4 notes not placed (4 no free player); first: "
                + "unplaced G3 (track 1, channel 1) at beat 0 (0.000 s): all 2 players are busy");
        assertThat(t.noteCount() + u.size()).isEqualTo(5 + 6);
    }

    @Test
    void keepTopDropsTheBassFirstAsBefore() throws Exception {
        Path p = write(MidiFixtures.typeZeroChords(), 0, "chords.mid");
        Score s = MidiImporter.load(p, new Placement(Placement.Split.HIGH_TO_LOW, 2, Placement.Keep.TOP, false));
        assertThat(s.report().unplaced()).extracting(Unplaced::midiNote).containsExactly(52, 48, 52, 48);
    }

    @Test
    void autoPlayersFollowThePolyphony() throws Exception {
        Path p = write(MidiFixtures.typeZeroChords(), 0, "chords.mid");
        Score s = MidiImporter.load(p, placement(Placement.Split.HIGH_TO_LOW, Placement.AUTO));
        assertThat(s.report().unplaced()).isEmpty();
        assertThat(ScoreCompiler.compile(s).voices()).hasSize(4);
    }

    @Test
    void roundRobinTakesPlayersInTurn() throws Exception {
        Sequence seq = new Sequence(Sequence.PPQ, MidiFixtures.PPQ);
        Track tr = seq.createTrack();
        MidiFixtures.line(tr, 0, 0, "C4:1 D4:1 E4:1 F4:1 G4:1");
        Path p = write(seq, 0, "scale.mid");
        Timeline t = ScoreCompiler.compile(MidiImporter.load(p, placement(Placement.Split.ROUND_ROBIN, 3)));
        assertThat(t.voices()).extracting(MidiImporterTest::midi)
                .containsExactly(List.of(60, 65), List.of(62, 67), List.of(64));
    }

    @Test
    void byChannelChordsGetMoreVoicesOfTheChannel() throws Exception {
        Path p = write(MidiFixtures.typeZeroChords(), 0, "chords.mid");
        Score s = MidiImporter.load(p, placement(Placement.Split.CHANNEL, Placement.AUTO));
        Timeline t = ScoreCompiler.compile(s);
        assertThat(t.voices()).extracting(VoiceTimeline::name).containsExactly("ch1", "ch1-2", "ch1-3", "ch2");
        assertThat(midi(t.voice("ch1"))).containsExactly(55, 55); // the top of each triad
        assertThat(s.report().unplaced()).isEmpty();
    }

    @Test
    void percussionAndGroupsBeyondThePlayersAreReported() throws Exception {
        Sequence seq = new Sequence(Sequence.PPQ, MidiFixtures.PPQ);
        Track tr = seq.createTrack();
        MidiFixtures.line(tr, 0, 0, "C4:1");
        MidiFixtures.line(tr, 1, 0, "E4:1");
        MidiFixtures.line(tr, 9, 0, "C2:1"); // channel 10: drums; E4 is higher, so ch2 comes first
        Path p = write(seq, 0, "drums.mid");
        Score s = MidiImporter.load(p, placement(Placement.Split.CHANNEL, 1));
        assertThat(s.report().unplaced()).extracting(Unplaced::detail)
                .containsExactlyInAnyOrder("percussion (channel 10) has no pitch to play", "no player left for ch1 (1 players)");
        assertThat(s.report().unplacedByCause()).containsEntry(Unplaced.Cause.PERCUSSION, 1)
                .containsEntry(Unplaced.Cause.NO_FREE_PLAYER, 1);
    }

    @Test
    void sustainPedalHoldsNotesOnlyWhenAskedTo() throws Exception {
        Sequence seq = new Sequence(Sequence.PPQ, MidiFixtures.PPQ);
        Track tr = seq.createTrack();
        tr.add(new javax.sound.midi.MidiEvent(new ShortMessage(ShortMessage.CONTROL_CHANGE, 0, 64, 127), 0));
        MidiFixtures.line(tr, 0, 0, "C4:1 E4:1 G4:1");
        tr.add(new javax.sound.midi.MidiEvent(new ShortMessage(ShortMessage.CONTROL_CHANGE, 0, 64, 0), 4L * MidiFixtures.PPQ));
        Path p = write(seq, 0, "pedal.mid");
        Timeline dry = ScoreCompiler.compile(MidiImporter.load(p, placement(Placement.Split.HIGH_TO_LOW, Placement.AUTO)));
        assertThat(dry.voices()).hasSize(1);
        Timeline wet = ScoreCompiler.compile(MidiImporter.load(p,
                new Placement(Placement.Split.HIGH_TO_LOW, Placement.AUTO, Placement.Keep.OUTER, true)));
        // held until the pedal lifts at beat 4: three overlapping notes, three voices
        assertThat(wet.voices()).hasSize(3);
        assertThat(wet.voices()).allSatisfy(v -> assertThat(v.notes().get(0).endBeats()).isEqualTo(4.0));
    }

    @Test
    void titleIsTheFirstTracksNameInUtf8OrLatin1AndCopyrightIsLabelled() throws Exception {
        Sequence seq = new Sequence(Sequence.PPQ, MidiFixtures.PPQ);
        Track tr = seq.createTrack();
        MidiFixtures.meta(tr, 0x01, "a text event that is no title".getBytes(StandardCharsets.US_ASCII), 0);
        MidiFixtures.meta(tr, 0x02, "(c) 1810 nobody\nline two".getBytes(StandardCharsets.US_ASCII), 0);
        MidiFixtures.meta(tr, 0x03, "F\u00fcr Elise\nsecond line".getBytes(StandardCharsets.ISO_8859_1), 0);
        MidiFixtures.line(tr, 0, 0, "E5:1");
        Score latin = MidiImporter.load(write(seq, 0, "latin.mid"), Placement.MIDI_DEFAULT);
        assertThat(latin.title()).isEqualTo("F\u00fcr Elise");
        assertThat(latin.report().info()).extracting(i -> i.label() + "=" + i.text())
                .contains("copyright=(c) 1810 nobody / line two", "text=a text event that is no title");
        Sequence utf = new Sequence(Sequence.PPQ, MidiFixtures.PPQ);
        Track u = utf.createTrack();
        MidiFixtures.meta(u, 0x03, "Symphony n\u00b0 9".getBytes(StandardCharsets.UTF_8), 0);
        MidiFixtures.line(u, 0, 0, "E5:1");
        assertThat(MidiImporter.load(write(utf, 0, "utf.mid"), Placement.MIDI_DEFAULT).title()).isEqualTo("Symphony n\u00b0 9");
    }

    @Test
    void loaderDispatchesOnExtensionAndRejectsGarbage() throws Exception {
        Path p = write(MidiFixtures.frereJacques(), 1, "round.MID");
        assertThat(ScoreLoader.load(p).title()).isEqualTo("Frere Jacques (round)");
        Path bad = dir.resolve("bad.mid");
        Files.writeString(bad, "not midi");
        assertThatThrownBy(() -> ScoreLoader.load(bad)).isInstanceOf(ScoreException.class)
                .hasMessageStartingWith(bad + ": header: byte 0: not a standard MIDI file");
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
