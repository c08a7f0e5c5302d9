package dev.concerto.director.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import javax.sound.midi.ShortMessage;
import org.junit.jupiter.api.Test;

/** The live core on a fake clock: what each player is handed, for when, and when it is handed over. */
class LiveConductorTest {

    private static final long LEAD = 20_000_000;
    private final RecordingNoteSink sink = new RecordingNoteSink(List.of("p0", "p1", "p2", "plain"),
            List.of("bass", "tenor", "tenor", "alto"), LEAD, LEAD, LEAD, 0);
    private final List<OscCommand> commands = new ArrayList<>();
    private final LiveConductor conductor = new LiveConductor(new VoiceAllocator(
            List.of(LiveVoice.anyNote("p0"), LiveVoice.anyNote("p1"), LiveVoice.anyNote("p2"), LiveVoice.anyNote("plain")),
            AllocationPolicy.LOWEST_FREE, OverflowPolicy.STEAL_OLDEST, KeyMapping.standard()), sink, commands::add);

    private long run(long now) {
        sink.now = now;
        return conductor.runDue(now);
    }

    private static ShortMessage on(int key) throws Exception {
        return new ShortMessage(ShortMessage.NOTE_ON, 0, key, 100);
    }

    @Test
    void aChordIsDueTogetherOnTheTimedPlayersOneLeadAfterItArrivedAndAtOnceOnAPlainOne() throws Exception {
        long t = 1_000_000_000L;
        for (int k : new int[] {60, 64, 67, 72}) {
            conductor.onMidi(on(k), t + k * 1000); // the four note-ons arrive within 12 µs of each other
        }
        assertThat(run(t + 100_000)).isEqualTo(Long.MAX_VALUE);
        assertThat(sink.sent).extracting(RecordingNoteSink.Sent::player).containsExactly(0, 1, 2, 3);
        assertThat(sink.sent.subList(0, 3)).as("one chord, one time").allSatisfy(s ->
                assertThat(s.dueNanos()).isEqualTo(t + 60_000 + LEAD));
        assertThat(sink.sent.get(3).dueNanos()).as("plain integer: as soon as the chord began").isEqualTo(t + 60_000);
        assertThat(conductor.players()).extracting(LiveConductor.PlayerState::key).containsExactly(60, 64, 67, 72);
        conductor.onMidi(new ShortMessage(ShortMessage.NOTE_OFF, 0, 64, 0), t + 500_000_000L);
        run(t + 500_000_000L);
        assertThat(sink.sent).last().isEqualTo(new RecordingNoteSink.Sent(1, 0, t + 500_000_000L + LEAD, t + 500_000_000L));
        assertThat(conductor.stats().keyboard().notes()).isEqualTo(4);
        // a key struck well after the chord has its own time
        conductor.onMidi(on(74), t + 600_000_000L);
        run(t + 600_000_000L);
        assertThat(sink.sent).last().extracting(RecordingNoteSink.Sent::dueNanos).isEqualTo(t + 600_000_000L + LEAD);
    }

    @Test
    void anOscNoteInABundleIsHandedOneLeadBeforeItsTagAndEndsOnTime() {
        long t = 2_000_000_000L;
        long due = t + 300_000_000L;
        conductor.onOsc(new OscInbox.Scheduled(new OscCommand.Note("tenor", 330, 0.25), due, true));
        assertThat(run(t)).isEqualTo(due - LEAD);
        assertThat(sink.sent).isEmpty();
        assertThat(run(due - LEAD)).isEqualTo(due + 250_000_000L - LEAD);
        assertThat(sink.sent).containsExactly(new RecordingNoteSink.Sent(1, 330, due, due - LEAD),
                new RecordingNoteSink.Sent(2, 330, due, due - LEAD));
        run(due + 250_000_000L - LEAD);
        assertThat(sink.sent).hasSize(4);
        assertThat(sink.sent.subList(2, 4)).allSatisfy(s -> {
            assertThat(s.hz()).isZero();
            assertThat(s.dueNanos()).isEqualTo(due + 250_000_000L);
        });
        assertThat(conductor.stats().lateChanges()).isZero();
    }

    @Test
    void aLaterNoteOnThePlayerCancelsTheEarlierNotesEnd() {
        long t = 0;
        conductor.onOsc(new OscInbox.Scheduled(new OscCommand.Note("bass", 110, 1.0), t, false));
        run(t);
        assertThat(sink.sent).containsExactly(new RecordingNoteSink.Sent(0, 110, LEAD, 0));
        conductor.onOsc(new OscInbox.Scheduled(new OscCommand.VoiceHz("bass", 220), 500_000_000L, false));
        run(500_000_000L);
        run(2_000_000_000L);
        assertThat(sink.sent).extracting(RecordingNoteSink.Sent::hz).containsExactly(110.0, 220.0);
    }

    @Test
    void transportCommandsRunAtTheirDueTime() {
        conductor.onOsc(new OscInbox.Scheduled(new OscCommand.Tempo(90), 700, true));
        conductor.onOsc(new OscInbox.Scheduled(new OscCommand.Play(), 500, true));
        assertThat(run(0)).isEqualTo(500);
        assertThat(commands).isEmpty();
        run(600);
        assertThat(commands).containsExactly(new OscCommand.Play());
        run(700);
        assertThat(commands).containsExactly(new OscCommand.Play(), new OscCommand.Tempo(90));
    }

    @Test
    void aDeviceThatDisappearsSilencesEverythingAndCancelsPendingNotes() throws Exception {
        conductor.onMidi(on(60), 0);
        conductor.onOsc(new OscInbox.Scheduled(new OscCommand.Note("alto", 440, 1), 1_000_000_000L, true));
        run(0);
        conductor.onAllNotesOff();
        run(10);
        assertThat(sink.silenceAll).isEqualTo(1);
        run(5_000_000_000L);
        assertThat(sink.sent).extracting(RecordingNoteSink.Sent::hz).containsExactly(261.6255653005986);
        assertThat(conductor.players()).allSatisfy(p -> assertThat(p.hz()).isZero());
        // the allocator was reset too: the next note takes player 0 again
        conductor.onMidi(on(62), 6_000_000_000L);
        run(6_000_000_000L);
        assertThat(sink.sent).last().extracting(RecordingNoteSink.Sent::player).isEqualTo(0);
    }

    @Test
    void listenersHearEachNoteWithItsCauseAndEachStolenNote() throws Exception {
        List<LiveNote> notes = new ArrayList<>();
        List<String> decisions = new ArrayList<>();
        conductor.addListener(new LiveConductor.NoteListener() {
            @Override
            public void onChange(LiveNote note) {
                notes.add(note);
            }

            @Override
            public void onDecision(VoiceDecision d, long inputNanos, long nowNanos) {
                decisions.add(d.kind() + " p" + d.player() + " " + d.stolenKey() + "->" + d.key() + " in " + inputNanos
                        + " at " + nowNanos);
            }
        });
        for (int k = 0; k < 4; k++) {
            conductor.onMidi(on(60 + k), 1_000L * k);
        }
        run(5_000);
        conductor.onMidi(on(70), 100_000_000L); // four players sound: the oldest (60 on p0) is stolen
        run(100_000_500L);
        assertThat(decisions).containsExactly("STOLEN p0 60->70 in 100000000 at 100000500");
        assertThat(notes).hasSize(5);
        assertThat(notes.get(4)).isEqualTo(new LiveNote(0, KeyMapping.standard().hz(70, 0), 70, 100_000_000L + LEAD,
                100_000_000L, 100_000_500L, LiveNote.Source.KEYBOARD));
        conductor.onOsc(new OscInbox.Scheduled(new OscCommand.VoiceHz("alto", 500), 200_000_000L, true));
        run(200_000_000L);
        assertThat(notes).last().isEqualTo(new LiveNote(3, 500, -1, 200_000_000L, 200_000_000L, 200_000_000L,
                LiveNote.Source.OSC));
        conductor.onAllNotesOff();
        run(300_000_000L);
        assertThat(notes.subList(6, notes.size())).hasSize(4).allSatisfy(n -> {
            assertThat(n.hz()).isZero();
            assertThat(n.source()).isEqualTo(LiveNote.Source.ALL_OFF);
        });
    }

    @Test
    void listenersHearEveryChange() throws Exception {
        List<String> heard = new ArrayList<>();
        conductor.addListener(n -> heard.add(n.player() + ":" + Math.round(n.hz())));
        conductor.onMidi(on(69), 0);
        conductor.onMidi(new ShortMessage(ShortMessage.NOTE_OFF, 0, 69, 0), 1);
        run(1);
        assertThat(heard).containsExactly("0:440", "0:0");
    }
}
