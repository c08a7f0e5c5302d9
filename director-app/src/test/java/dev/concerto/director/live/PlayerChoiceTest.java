package dev.concerto.director.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The allocator's two halves on their own: the policy ({@link PlayerChoice}) over the bookkeeping ({@link PlayerSlots}). */
class PlayerChoiceTest {

    private static final List<LiveVoice> FOUR = List.of(LiveVoice.anyNote("p0"), LiveVoice.anyNote("p1"),
            LiveVoice.anyNote("p2"), LiveVoice.anyNote("p3"));

    @Test
    void lowestFreeAndRoundRobinPickAmongTheSilentPlayers() {
        PlayerSlots slots = new PlayerSlots(4);
        slots.strike(0, 0, 60, 261.6);
        PlayerChoice lowest = new PlayerChoice(FOUR, AllocationPolicy.LOWEST_FREE);
        PlayerChoice robin = new PlayerChoice(FOUR, AllocationPolicy.ROUND_ROBIN);
        robin.took(2);

        assertThat(lowest.free(slots, 0, 62)).isEqualTo(1);
        assertThat(robin.free(slots, 0, 62)).as("after player 2").isEqualTo(3);
        slots.strike(3, 0, 64, 329.6);
        assertThat(robin.free(slots, 0, 62)).as("wraps past the sounding 0").isEqualTo(1);
    }

    @Test
    void rangeAndChannelDecideWhoMayTakeAKey() {
        List<LiveVoice> voices = List.of(new LiveVoice("bass", 0, 47, 0), LiveVoice.anyNote("any").withChannel(10));
        PlayerChoice byRange = new PlayerChoice(voices, AllocationPolicy.BY_RANGE);
        PlayerChoice byChannel = new PlayerChoice(voices, AllocationPolicy.BY_CHANNEL);

        assertThat(byRange.eligible(0, 0, 40)).isTrue();
        assertThat(byRange.eligible(0, 0, 60)).isFalse();
        assertThat(byChannel.eligible(1, 9, 60)).as("channel 10 on the wire is 9").isTrue();
        assertThat(byChannel.eligible(1, 0, 60)).isFalse();
        assertThat(byChannel.anyEligible(3, 60)).as("player 0 listens to every channel").isTrue();
        assertThat(new PlayerChoice(List.of(voices.get(1)), AllocationPolicy.BY_CHANNEL).anyEligible(3, 60)).isFalse();
    }

    @Test
    void theOldestNoteIsStolenAPedalHeldOneFirst() {
        PlayerSlots slots = new PlayerSlots(3);
        slots.strike(0, 0, 60, 261.6);
        slots.strike(1, 0, 62, 293.7);
        slots.strike(2, 0, 64, 329.6);
        PlayerChoice choice = new PlayerChoice(FOUR.subList(0, 3), AllocationPolicy.LOWEST_FREE);

        assertThat(choice.free(slots, 0, 65)).isEqualTo(-1);
        assertThat(choice.oldest(slots, 0, 65)).isZero();
        slots.release(2);
        assertThat(choice.oldest(slots, 0, 65)).as("released under the pedal").isEqualTo(2);
    }

    @Test
    void theSlotsKnowWhoSoundsWhatAndCheckThemselves() {
        PlayerSlots slots = new PlayerSlots(2);
        assertThat(slots.strike(1, 3, 69, 440)).isEqualTo(new VoiceChange(1, 440, 69, 3));
        assertThat(slots.find(3, 69)).isEqualTo(1);
        assertThat(slots.soundingCount()).isEqualTo(1);
        slots.release(1);
        assertThat(slots.consistent(ch -> ch == 3)).as("held by channel 3's pedal").isTrue();
        assertThat(slots.consistent(ch -> false)).as("released with no pedal down").isFalse();
        assertThat(slots.silence(1)).isEqualTo(VoiceChange.silence(1));
        assertThat(slots.held()).extracting(VoiceAllocator.Held::key).containsExactly(-1, -1);
    }
}
