package dev.concerto.director.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.concerto.director.score.Temperament;
import java.util.List;
import javax.sound.midi.ShortMessage;
import org.junit.jupiter.api.Test;

class VoiceAllocatorTest {

    private static final int C4 = 60, E4 = 64, G4 = 67, B4 = 71, A4 = 69;

    private static List<LiveVoice> four() {
        return List.of(LiveVoice.anyNote("p0"), LiveVoice.anyNote("p1"), LiveVoice.anyNote("p2"), LiveVoice.anyNote("p3"));
    }

    private static VoiceAllocator allocator(AllocationPolicy policy, OverflowPolicy overflow) {
        return new VoiceAllocator(four(), policy, overflow, KeyMapping.standard());
    }

    private static int player(List<VoiceChange> changes) {
        assertThat(changes).hasSize(1);
        return changes.get(0).player();
    }

    @Test
    void lowestFreeTakesTheFirstFreePlayerInRosterOrder() {
        VoiceAllocator a = allocator(AllocationPolicy.LOWEST_FREE, OverflowPolicy.STEAL_OLDEST);
        assertThat(player(a.noteOn(0, C4, 100))).isZero();
        assertThat(player(a.noteOn(0, E4, 100))).isEqualTo(1);
        assertThat(a.noteOff(0, C4)).containsExactly(new VoiceChange(0, 0, -1, -1));
        assertThat(player(a.noteOn(0, G4, 100))).isZero();
        assertThat(a.consistent()).isTrue();
    }

    @Test
    void roundRobinMovesOnEvenWhenEarlierPlayersAreFree() {
        VoiceAllocator a = allocator(AllocationPolicy.ROUND_ROBIN, OverflowPolicy.STEAL_OLDEST);
        int[] got = new int[6];
        for (int i = 0; i < 6; i++) {
            got[i] = player(a.noteOn(0, C4 + i, 100));
            a.noteOff(0, C4 + i);
        }
        assertThat(got).containsExactly(0, 1, 2, 3, 0, 1);
    }

    @Test
    void byRangeSendsBassNotesToTheBassPlayer() {
        List<LiveVoice> voices = List.of(new LiveVoice("bass", 0, 47, 0), new LiveVoice("tenor", 48, 59, 0),
                new LiveVoice("treble", 60, 127, 0), new LiveVoice("treble2", 60, 127, 0));
        VoiceAllocator a = new VoiceAllocator(voices, AllocationPolicy.BY_RANGE, OverflowPolicy.DROP_NEW, KeyMapping.standard());
        assertThat(player(a.noteOn(0, 36, 100))).isZero();
        assertThat(player(a.noteOn(0, 50, 100))).isEqualTo(1);
        assertThat(player(a.noteOn(0, C4, 100))).isEqualTo(2);
        assertThat(player(a.noteOn(0, E4, 100))).isEqualTo(3);
        assertThat(a.noteOn(0, 40, 100)).as("the bass player is busy: dropped").isEmpty();
        assertThat(a.counts().dropped()).isEqualTo(1);
        assertThat(a.takeDecision().kind()).isEqualTo(VoiceDecision.Kind.DROPPED);
        assertThat(a.noteOff(0, 40)).as("the dropped note's note-off").isEmpty();
        assertThat(a.held().get(0).key()).isEqualTo(36);
    }

    @Test
    void byChannelRoutesEachChannelToItsPlayers() {
        List<LiveVoice> voices = List.of(LiveVoice.anyNote("a").withChannel(1), LiveVoice.anyNote("b").withChannel(2),
                LiveVoice.anyNote("c").withChannel(2), LiveVoice.anyNote("d").withChannel(3));
        VoiceAllocator a = new VoiceAllocator(voices, AllocationPolicy.BY_CHANNEL, OverflowPolicy.STEAL_OLDEST, KeyMapping.standard());
        assertThat(player(a.noteOn(1, C4, 100))).isEqualTo(1);
        assertThat(player(a.noteOn(1, E4, 100))).isEqualTo(2);
        assertThat(player(a.noteOn(0, C4, 100))).isZero();
        assertThat(player(a.noteOn(2, C4, 100))).isEqualTo(3);
        assertThat(a.noteOn(5, C4, 100)).as("no player on channel 6").isEmpty();
        assertThat(a.counts().outOfRange()).isEqualTo(1);
        assertThat(a.takeDecision()).isEqualTo(new VoiceDecision(VoiceDecision.Kind.OUT_OF_RANGE, -1, C4, 5, -1));
        // the same key on two channels is two notes
        assertThat(a.noteOff(0, C4)).containsExactly(VoiceChange.silence(0));
        assertThat(a.held().get(1).key()).isEqualTo(C4);
    }

    @Test
    void stealOldestTakesTheLongestHeldNoteAndCountsIt() {
        VoiceAllocator a = allocator(AllocationPolicy.LOWEST_FREE, OverflowPolicy.STEAL_OLDEST);
        for (int k : new int[] {C4, E4, G4, B4}) {
            a.noteOn(0, k, 100);
        }
        a.noteOn(0, C4, 90); // re-strike: C4 is now the newest on player 0
        assertThat(a.takeDecision()).as("free players and a re-strike need no decision").isNull();
        List<VoiceChange> c = a.noteOn(0, A4, 100);
        assertThat(player(c)).as("E4 on player 1 is the oldest now").isEqualTo(1);
        assertThat(c.get(0).key()).isEqualTo(A4);
        assertThat(a.counts().stolen()).isEqualTo(1);
        assertThat(a.takeDecision()).isEqualTo(new VoiceDecision(VoiceDecision.Kind.STOLEN, 1, A4, 0, E4));
        assertThat(a.takeDecision()).as("taken once").isNull();
        assertThat(a.noteOff(0, E4)).as("the stolen note's note-off does nothing").isEmpty();
        assertThat(a.soundingCount()).isEqualTo(4);
        assertThat(a.consistent()).isTrue();
    }

    @Test
    void stealingPrefersANoteOnlyThePedalHolds() {
        VoiceAllocator a = allocator(AllocationPolicy.LOWEST_FREE, OverflowPolicy.STEAL_OLDEST);
        a.noteOn(0, C4, 100);
        a.controlChange(0, VoiceAllocator.CC_SUSTAIN, 127);
        a.noteOn(0, E4, 100);
        a.noteOn(0, G4, 100);
        a.noteOn(0, B4, 100);
        a.noteOff(0, G4); // released, held by the pedal
        assertThat(player(a.noteOn(0, A4, 100))).isEqualTo(2);
    }

    @Test
    void dropNewKeepsWhatSoundsAndCountsTheDrop() {
        VoiceAllocator a = allocator(AllocationPolicy.LOWEST_FREE, OverflowPolicy.DROP_NEW);
        for (int k : new int[] {C4, E4, G4, B4}) {
            a.noteOn(0, k, 100);
        }
        assertThat(a.noteOn(0, A4, 100)).isEmpty();
        assertThat(a.counts()).isEqualTo(new VoiceAllocator.Counts(4, 0, 1, 0));
        assertThat(a.takeDecision()).isEqualTo(new VoiceDecision(VoiceDecision.Kind.DROPPED, -1, A4, 0, -1));
        assertThat(a.noteOff(0, A4)).isEmpty();
        assertThat(a.noteOff(0, C4)).containsExactly(VoiceChange.silence(0));
    }

    @Test
    void sustainPedalHoldsReleasedNotesUntilLifted() {
        VoiceAllocator a = allocator(AllocationPolicy.LOWEST_FREE, OverflowPolicy.STEAL_OLDEST);
        a.controlChange(0, VoiceAllocator.CC_SUSTAIN, 100);
        a.noteOn(0, C4, 100);
        a.noteOn(0, E4, 100);
        assertThat(a.noteOff(0, C4)).isEmpty();
        assertThat(a.noteOff(0, E4)).isEmpty();
        assertThat(a.soundingCount()).isEqualTo(2);
        assertThat(a.consistent()).isTrue();
        a.noteOn(0, G4, 100); // pressed under the pedal, still held by the finger when it lifts
        assertThat(a.controlChange(0, VoiceAllocator.CC_SUSTAIN, 0))
                .containsExactlyInAnyOrder(VoiceChange.silence(0), VoiceChange.silence(1));
        assertThat(a.held().get(2).key()).isEqualTo(G4);
        assertThat(a.controlChange(1, VoiceAllocator.CC_SUSTAIN, 0)).as("another channel's pedal").isEmpty();
    }

    @Test
    void allNotesOffAndAllSoundOffSilenceTheChannelEvenUnderThePedal() {
        for (int cc : new int[] {VoiceAllocator.CC_ALL_NOTES_OFF, VoiceAllocator.CC_ALL_SOUND_OFF}) {
            VoiceAllocator a = allocator(AllocationPolicy.LOWEST_FREE, OverflowPolicy.STEAL_OLDEST);
            a.controlChange(0, VoiceAllocator.CC_SUSTAIN, 127);
            a.noteOn(0, C4, 100);
            a.noteOn(0, E4, 100);
            a.noteOn(3, G4, 100);
            a.noteOff(0, C4);
            assertThat(a.controlChange(0, cc, 0)).containsExactlyInAnyOrder(VoiceChange.silence(0), VoiceChange.silence(1));
            assertThat(a.soundingCount()).isEqualTo(1);
            assertThat(a.allNotesOff()).containsExactly(VoiceChange.silence(2));
            assertThat(a.soundingCount()).isZero();
            assertThat(a.consistent()).isTrue();
        }
    }

    @Test
    void pitchBendMovesTheSoundingNotesOfItsChannel() {
        VoiceAllocator a = allocator(AllocationPolicy.LOWEST_FREE, OverflowPolicy.STEAL_OLDEST);
        a.noteOn(0, A4, 100);
        a.noteOn(1, A4, 100);
        List<VoiceChange> up = a.pitchBend(0, 16383);
        assertThat(up).hasSize(1);
        assertThat(up.get(0).player()).isZero();
        assertThat(up.get(0).hz()).isCloseTo(440 * Math.pow(2, 2 / 12.0), within(1e-9));
        List<VoiceChange> down = a.pitchBend(0, 0);
        assertThat(down.get(0).hz()).isCloseTo(440 * Math.pow(2, -2 / 12.0), within(1e-9));
        // a new note on a bent channel starts bent
        assertThat(a.noteOn(0, 81, 100).get(0).hz()).isCloseTo(880 * Math.pow(2, -2 / 12.0), within(1e-9));
        assertThat(a.pitchBend(0, 8192)).extracting(VoiceChange::hz).containsExactly(440.0, 880.0);
        assertThat(a.held().get(1).hz()).isEqualTo(440.0);
    }

    @Test
    void transposeAndTuningFromTheScoreTunings() {
        KeyMapping werck = KeyMapping.of(Temperament.WERCKMEISTER_III, 440, 0, 12);
        VoiceAllocator a = new VoiceAllocator(four(), AllocationPolicy.LOWEST_FREE, OverflowPolicy.STEAL_OLDEST, werck);
        double e5 = a.noteOn(0, E4, 100).get(0).hz();
        assertThat(e5).isCloseTo(werck.tuning().hz(E4 + 12), within(1e-9));
        assertThat(e5).as("Werckmeister III's E is not the equal-tempered one").isNotCloseTo(659.255, within(0.5));
        List<VoiceChange> retuned = a.setMapping(KeyMapping.standard());
        assertThat(retuned.get(0).hz()).isCloseTo(329.628, within(0.001));
        assertThat(a.noteOn(0, 0, 100)).as("C-1, 8.18 Hz, sounds").hasSize(1);
        a.setMapping(KeyMapping.standard().withTranspose(-12));
        assertThat(a.noteOn(0, 5, 100)).as("transposed off the keyboard").isEmpty();
        assertThat(a.counts().outOfRange()).isEqualTo(1);
    }

    @Test
    void shortMessagesAtTheEdge() throws Exception {
        VoiceAllocator a = allocator(AllocationPolicy.LOWEST_FREE, OverflowPolicy.STEAL_OLDEST);
        assertThat(a.handle(new ShortMessage(ShortMessage.NOTE_ON, 2, A4, 100))).containsExactly(new VoiceChange(0, 440, A4, 2));
        assertThat(a.handle(new ShortMessage(ShortMessage.NOTE_ON, 2, A4, 0))).containsExactly(VoiceChange.silence(0));
        a.handle(new ShortMessage(ShortMessage.NOTE_ON, 2, A4, 100));
        assertThat(a.handle(new ShortMessage(ShortMessage.PITCH_BEND, 2, 0x7f, 0x7f))).hasSize(1);
        assertThat(a.handle(new ShortMessage(ShortMessage.NOTE_OFF, 2, A4, 64))).containsExactly(VoiceChange.silence(0));
        assertThat(a.handle(new ShortMessage(ShortMessage.TIMING_CLOCK))).isEmpty();
        assertThat(a.handle(new ShortMessage(ShortMessage.PROGRAM_CHANGE, 0, 5, 0))).isEmpty();
    }

    @Test
    void resetAllControllersCentresBendAndLiftsThePedal() {
        VoiceAllocator a = allocator(AllocationPolicy.LOWEST_FREE, OverflowPolicy.STEAL_OLDEST);
        a.controlChange(0, VoiceAllocator.CC_SUSTAIN, 127);
        a.noteOn(0, A4, 100);
        a.pitchBend(0, 16383);
        a.noteOff(0, A4);
        List<VoiceChange> out = a.controlChange(0, VoiceAllocator.CC_RESET_ALL_CONTROLLERS, 0);
        assertThat(out).last().isEqualTo(VoiceChange.silence(0));
        assertThat(a.consistent()).isTrue();
    }
}
