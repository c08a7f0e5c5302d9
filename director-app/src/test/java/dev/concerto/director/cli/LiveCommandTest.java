package dev.concerto.director.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LiveCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = DirectorMain.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "live";
        System.arraycopy(args, 0, all, 1, args.length);
        return cl.execute(all);
    }

    @Test
    void listPrintsTheMidiPortsOrSaysThereAreNone() {
        assertThat(run("--list")).isZero();
        assertThat(out.toString()).contains("MIDI inputs (--midi-in, --clock-in):").contains("MIDI outputs (--clock-out):");
    }

    @Test
    void withoutPlayersOrInputItSaysWhatIsMissing() {
        assertThat(run("--midi-in", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("--roster FILE, or --local");
        assertThat(run("--local")).isEqualTo(2);
        assertThat(err.toString()).contains("nothing to play from");
    }

    @Test
    void anUnknownMidiInputNamesWhatThereIs() {
        assertThat(run("--local", "--midi-in", "NoSuchKeyboard")).isEqualTo(2);
        assertThat(err.toString()).contains("no MIDI input named 'NoSuchKeyboard'");
    }

    @Test
    void badOptionsAreExplained() {
        assertThat(run("--local", "--osc", "--policy", "random")).isEqualTo(2);
        assertThat(err.toString()).contains("--policy random: use lowest, round-robin, range or channel");
        assertThat(run("--local", "--osc", "--range", "bass=C1-B2")).isEqualTo(2);
        assertThat(err.toString()).contains("write PLAYER=LOW..HIGH");
        assertThat(run("--local", "--osc", "--tuning", "meantone")).isEqualTo(2);
        assertThat(err.toString()).contains("--tuning meantone: use one of");
    }

    @Test
    void oscOnABusyPortSaysSoAndWhatToDo() throws Exception {
        try (java.net.DatagramSocket busy = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(run("--local", "1", "--osc-port", String.valueOf(busy.getLocalPort()), "--duration", "0.1")).isEqualTo(2);
            assertThat(err.toString()).contains("is in use").contains("--osc-port");
        }
    }

    @Test
    void runsLocalPlayersWithOscForADuration() {
        assertThat(run("--local", "2", "--osc-port", "0", "--duration", "0.5")).isZero();
        assertThat(err.toString()).contains("OSC in on udp 127.0.0.1:");
        assertThat(out.toString()).contains("live: 0 keyboard notes").contains("allocation consistent");
    }

    @Test
    void aMidiFilePlaysToLocalPlayersAndEveryNoteAndStolenNoteIsInTheEventsFile(@TempDir Path dir) throws Exception {
        Path midi = dir.resolve("five.mid");
        Sequence seq = new Sequence(Sequence.PPQ, 480);
        Track t = seq.createTrack();
        for (int k = 0; k < 5; k++) { // five keys held on four players: the fifth steals the first
            t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 0, 60 + k, 90), 10L * k));
            t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, 0, 60 + k, 0), 200));
        }
        MidiSystem.write(seq, 1, midi.toFile());
        Path events = dir.resolve("live.events.jsonl");
        assertThat(run("--local", "4", "--midi-file", midi.toString(), "--events", events.toString())).isZero();
        assertThat(out.toString()).contains("live: 5 keyboard notes (1 stolen, 0 dropped, 0 out of range)")
                .contains("events: ").contains("lines in " + events);
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(events)) {
            lines.add(new ObjectMapper().readTree(l));
        }
        List<JsonNode> notes = lines.stream().filter(n -> "live-note".equals(n.path("event").asText())
                && n.get("hz").asDouble() > 0).toList();
        assertThat(notes).extracting(n -> n.get("key").asInt()).containsExactly(60, 61, 62, 63, 64);
        assertThat(notes).allSatisfy(n -> {
            assertThat(n.get("source").asText()).isEqualTo("keyboard");
            assertThat(n.get("at_us").asLong()).isGreaterThan(n.get("in_us").asLong());
        });
        assertThat(notes.get(4).get("player").asText()).isEqualTo(notes.get(0).get("player").asText());
        assertThat(lines).filteredOn(n -> "stolen".equals(n.path("event").asText())).singleElement()
                .satisfies(n -> {
                    assertThat(n.get("key").asInt()).isEqualTo(64);
                    assertThat(n.get("stolen_key").asInt()).isEqualTo(60);
                });
        assertThat(lines).as("the datagrams sent, as play writes them").anySatisfy(n -> assertThat(n.has("dst")).isTrue());
    }
}
