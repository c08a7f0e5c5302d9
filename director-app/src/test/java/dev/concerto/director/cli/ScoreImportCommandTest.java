package dev.concerto.director.cli;

import static dev.concerto.director.cli.ScoreCommandTest.run;
import static dev.concerto.director.cli.ScoreCommandTest.scores;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.director.cli.ScoreCommandTest.Run;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code score check|dump} on imported files: the unplaced report by cause, --all, --strict, JSON lines, MusicXML. */
class ScoreImportCommandTest {

    @TempDir
    Path dir;

    /** A band file, type 0: a drum hit on every eighth (channel 10) and three-note chords on 2 players. */
    private Path band() throws Exception {
        Sequence seq = new Sequence(Sequence.PPQ, 96);
        Track t = seq.createTrack();
        for (int i = 0; i < 64; i++) {
            note(t, 9, 36, i * 48L, 24);
        }
        for (int bar = 0; bar < 4; bar++) {
            for (int key : new int[] {48, 55, 64}) {
                note(t, 0, key, bar * 384L + 200, 300);
            }
        }
        Path p = dir.resolve("band.mid");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        MidiSystem.write(seq, 0, b);
        return Files.write(p, b.toByteArray());
    }

    private static void note(Track t, int ch, int key, long at, long len) throws Exception {
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, ch, key, 90), at));
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, ch, key, 0), at + len));
    }

    @Test
    void checkSummarisesByCauseAndListsDroppedNotesBeforeDrums() throws Exception {
        Run r = run("score", "check", "--players", "2", band().toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("unplaced: 68 notes (64 drum channel / unpitched, 4 no free player)");
        List<String> listed = Arrays.stream(r.out().split("\n")).filter(l -> l.startsWith("  unplaced")).toList();
        assertThat(listed).hasSize(20);
        assertThat(listed.subList(0, 4)).allSatisfy(l -> assertThat(l).contains("G3").endsWith("all 2 players are busy"));
        assertThat(r.out()).contains("  ... and 48 more (--all lists every one)");
        Run all = run("score", "check", "--players", "2", "--all", band().toString());
        assertThat(Arrays.stream(all.out().split("\n")).filter(l -> l.startsWith("  unplaced"))).hasSize(68);
        Run three = run("score", "check", "--players", "2", "--warnings", "3", band().toString());
        assertThat(three.out()).contains("  ... and 65 more");
        Run auto = run("score", "check", "--players", "auto", band().toString());
        assertThat(auto.out()).contains("voices:   3:").contains("unplaced: 64 notes (64 drum channel / unpitched)");
    }

    @Test
    void dumpJsonCarriesTheUnplacedNotes() throws Exception {
        Run r = run("score", "dump", "--format", "json", "--players", "2", band().toString());
        assertThat(r.code()).isZero();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> unplaced = Arrays.stream(r.out().split("\n")).map(l -> {
            try {
                return json.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).filter(n -> n.has("unplaced")).toList();
        assertThat(unplaced).hasSize(68);
        assertThat(unplaced).filteredOn(n -> n.get("cause").asText().equals("no_free_player")).hasSize(4)
                .allSatisfy(n -> assertThat(n.get("unplaced").asText()).isEqualTo("G3"));
        assertThat(unplaced.get(0).get("origin").asText()).isEqualTo("track 1, channel 10");
    }

    @Test
    void strictFailsOnFileWarnings() throws Exception {
        byte[] events = {0x00, (byte) 0x90, 60, 80, 0x60, (byte) 0xFF, 0x2F, 0x00}; // C4 never released
        byte[] file = new byte[14 + 8 + events.length];
        byte[] head = {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, 0, 96, 'M', 'T', 'r', 'k', 0, 0, 0, (byte) events.length};
        System.arraycopy(head, 0, file, 0, head.length);
        System.arraycopy(events, 0, file, head.length, events.length);
        Path p = Files.write(dir.resolve("held.mid"), file);
        Run lenient = run("score", "check", p.toString());
        assertThat(lenient.code()).isZero();
        assertThat(lenient.out()).contains("warning:  track 1: 1 note is never released (first: C4 at beat 0)");
        Run strict = run("score", "check", "--strict", p.toString());
        assertThat(strict.code()).isEqualTo(1);
        assertThat(strict.err()).contains("1 warning (--strict)");
        assertThat(run("score", "check", "--strict", scores("frere-jacques.mid").toString()).code()).isZero();
    }

    @Test
    void truncatedMidiIsAnErrorWithTheOffset() throws Exception {
        byte[] whole = Files.readAllBytes(scores("frere-jacques.mid"));
        Path cut = Files.write(dir.resolve("cut.mid"), Arrays.copyOf(whole, whole.length - 100));
        Run r = run("score", "check", cut.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith(cut + ": track 3 (chunk at byte ").contains("the file is truncated");
    }

    @Test
    void musicXmlIsCheckedAndDumped() {
        Run r = run("score", "check", scores("row-row-row-your-boat.musicxml").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("title:    Row, Row, Row Your Boat (round)").contains("composer: Traditional")
                .contains("voices:   3: Voice 1 54, Voice 2 54, Voice 3 54").contains("copyright: Public domain");
        Run one = run("score", "dump", "--split", "high-to-low", "--players", "1",
                scores("row-row-row-your-boat.musicxml").toString());
        assertThat(one.code()).isZero();
        assertThat(one.out()).startsWith("voice,start_s,duration_s,hz\nvoice1,0.000000,1.000000,261.625565\n");
    }
}
