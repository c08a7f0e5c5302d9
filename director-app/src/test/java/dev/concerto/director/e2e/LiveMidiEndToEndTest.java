package dev.concerto.director.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.live.LiveOptions;
import dev.concerto.director.live.LiveSession;
import dev.concerto.director.live.MidiInput;
import dev.concerto.protocol.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.Sequencer;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live input end to end: the JDK's own {@link Sequencer} (a real javax.sound.midi transmitter)
 * plays a small MIDI file into our receiver; the live session allocates its notes over four real
 * player processes on loopback (timed protocol) that record every tone they apply. Every note the
 * director decided arrives at its player, and every player ends silent.
 */
class LiveMidiEndToEndTest {

    @TempDir
    Path dir;

    /** Four-note chords and a run over them, with a sustain pedal, 480 ticks per quarter at 240 bpm. */
    static Sequence song() throws Exception {
        Sequence s = new Sequence(Sequence.PPQ, 480);
        Track t = s.createTrack();
        int[][] chords = {{48, 55, 64, 72}, {50, 57, 65, 74}, {47, 55, 62, 67}, {48, 55, 64, 72}};
        long tick = 0;
        for (int[] chord : chords) {
            for (int k : chord) {
                t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 0, k, 90), tick));
                t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, 0, k, 0), tick + 400));
            }
            tick += 480;
        }
        t.add(new MidiEvent(new ShortMessage(ShortMessage.CONTROL_CHANGE, 0, 64, 127), tick));
        for (int i = 0; i < 8; i++) { // a run under the pedal: more keys than players, some stolen
            int k = 60 + 2 * i;
            t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 0, k, 80), tick));
            t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, 0, k, 0), tick + 100));
            tick += 120;
        }
        t.add(new MidiEvent(new ShortMessage(ShortMessage.CONTROL_CHANGE, 0, 64, 0), tick + 240));
        javax.sound.midi.MetaMessage tempo = new javax.sound.midi.MetaMessage(0x51, new byte[] {0x03, (byte) 0xd0, (byte) 0x90}, 3);
        t.add(new MidiEvent(tempo, 0)); // 250,000 µs per quarter: 240 bpm
        return s;
    }

    record Change(int player, long hz) {
    }

    @Test
    void theJdkSequencerPlaysAMidiFileThroughOurReceiverToFourPlayerProcesses() throws Exception {
        Path file = dir.resolve("song.mid");
        MidiSystem.write(song(), 1, file.toFile());
        try (PlayerProcesses players = new PlayerProcesses(dir).start(4)) {
            List<RosterEntry> entries = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                entries.add(new RosterEntry("p" + i, "127.0.0.1", players.ports.get(i), dev.concerto.director.engine.Protocol.TIMED, "live"));
            }
            List<Change> decided = new CopyOnWriteArrayList<>();
            long held;
            long stolen;
            Path events = dir.resolve("director.events.jsonl");
            try (LiveSession session = LiveSession.open(new Roster("e2e", entries), null,
                    LiveOptions.defaults().withTimed(LiveOptions.defaults().timed().withSyncTimeout(Duration.ofSeconds(10))),
                    Clock.SYSTEM, events)) {
                session.conductor().addListener(n -> decided.add(new Change(n.player(), Math.round(n.hz()))));
                MidiInput input = session.attach(MidiInput.receiverOnly("sequencer", Clock.SYSTEM, session.keyboardHandler()));
                Sequencer sequencer = MidiSystem.getSequencer(false);
                sequencer.open();
                try {
                    sequencer.getTransmitter().setReceiver(input.receiver());
                    sequencer.setSequence(MidiSystem.getSequence(file.toFile()));
                    sequencer.start();
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (sequencer.isRunning() && System.nanoTime() < end) {
                        Thread.sleep(20);
                    }
                    assertThat(sequencer.isRunning()).as("the sequence ended").isFalse();
                } finally {
                    sequencer.close();
                }
                Thread.sleep(300); // the last silences one lead ahead, and their way over loopback
                held = session.conductor().allocator().soundingCount();
                stolen = session.conductor().stats().keyboard().stolen();
                assertThat(input.messageCount()).isGreaterThanOrEqualTo(4 * 4 * 2 + 8 * 2 + 2);
            }
            players.stop();
            assertThat(held).as("keys still held when the file ended").isZero();
            assertThat(stolen).as("the run under the pedal steals").isPositive();
            checkEventsFile(events, decided, stolen);
            for (int i = 0; i < 4; i++) {
                final int p = i;
                List<Long> sent = decided.stream().filter(c -> c.player() == p).map(Change::hz).toList();
                List<Long> applied = players.tones(i);
                assertThat(sent.stream().filter(hz -> hz > 0).toList()).as("notes decided for p" + i).isNotEmpty();
                assertThat(applied.stream().filter(hz -> hz > 0).toList()).as("notes p" + i + " sounded")
                        .isEqualTo(dedupe(sent).stream().filter(hz -> hz > 0).toList());
                assertThat(applied).as("p" + i + " ends silent").last().isEqualTo(0L);
            }
        }
    }

    /**
     * The director's events file has a live-note line for every change decided, a datagram line
     * stamped with the same due time for each, and a line for each stolen note.
     */
    private static void checkEventsFile(Path events, List<Change> decided, long stolen) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> lines = new ArrayList<>();
        for (String l : java.nio.file.Files.readAllLines(events)) {
            lines.add(json.readTree(l));
        }
        List<com.fasterxml.jackson.databind.JsonNode> notes = lines.stream()
                .filter(n -> "live-note".equals(n.path("event").asText())).toList();
        assertThat(notes.stream().map(n -> new Change(n.get("index").asInt(), Math.round(n.get("hz").asDouble()))).toList())
                .as("every live change, in order").isEqualTo(decided);
        java.util.Set<String> sent = new java.util.HashSet<>();
        lines.stream().filter(n -> !n.has("event"))
                .forEach(n -> sent.add(n.get("player").asText() + "@" + n.get("deadline_us").asLong()));
        assertThat(notes).filteredOn(n -> !"all-off".equals(n.get("source").asText()))
                .as("each live note went out as a datagram due at its time").allSatisfy(n ->
                assertThat(sent).contains(n.get("player").asText() + "@" + n.get("at_us").asLong()));
        assertThat(notes).filteredOn(n -> "keyboard".equals(n.get("source").asText()) && n.get("hz").asDouble() > 0)
                .allSatisfy(n -> assertThat(n.get("at_us").asLong() - n.get("in_us").asLong())
                        .as("due at most one lead (20 ms) after its key came in").isBetween(1L, 20_001L));
        assertThat(lines.stream().filter(n -> "stolen".equals(n.path("event").asText())).count()).isEqualTo(stolen);
    }

    /** Consecutive equal frequencies sound as one tone. */
    private static List<Long> dedupe(List<Long> in) {
        List<Long> out = new ArrayList<>();
        for (Long v : in) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(v)) {
                out.add(v);
            }
        }
        return out;
    }
}
