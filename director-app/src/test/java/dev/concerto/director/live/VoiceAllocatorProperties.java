package dev.concerto.director.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random keyboards: whatever arrives, the allocation stays consistent and a panic silences all. */
class VoiceAllocatorProperties {

    record Event(int kind, int channel, int key, int value) {
    }

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<Event> e = Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(55, 66), Arbitraries.integers().between(0, 16383)).as(Event::new);
        return e.list().ofMaxSize(300);
    }

    @Property(tries = 300)
    void everyPolicyStaysConsistentAndPanicSilencesEverything(@ForAll("events") List<Event> events,
            @ForAll AllocationPolicy policy, @ForAll OverflowPolicy overflow) {
        List<LiveVoice> voices = List.of(new LiveVoice("a", 0, 60, 1), new LiveVoice("b", 58, 127, 2),
                new LiveVoice("c", 0, 127, 0), new LiveVoice("d", 61, 127, 3));
        VoiceAllocator a = new VoiceAllocator(voices, policy, overflow, KeyMapping.standard());
        double[] sounding = new double[voices.size()];
        for (Event ev : events) {
            List<VoiceChange> out = switch (ev.kind()) {
                case 0, 1, 2, 3 -> a.noteOn(ev.channel(), ev.key(), 1 + ev.value() % 127);
                case 4, 5, 6 -> a.noteOff(ev.channel(), ev.key());
                case 7 -> a.controlChange(ev.channel(), VoiceAllocator.CC_SUSTAIN, ev.value() % 128);
                case 8 -> a.pitchBend(ev.channel(), ev.value());
                default -> ev.value() % 50 == 0 ? a.controlChange(ev.channel(), VoiceAllocator.CC_ALL_NOTES_OFF, 0) : List.of();
            };
            for (VoiceChange c : out) {
                sounding[c.player()] = c.hz();
            }
            assertThat(a.consistent()).isTrue();
            for (VoiceAllocator.Held h : a.held()) {
                assertThat(sounding[h.player()]).as("what was sent is what is held").isEqualTo(h.hz());
            }
        }
        for (VoiceChange c : a.allNotesOff()) {
            sounding[c.player()] = c.hz();
        }
        assertThat(sounding).containsOnly(0.0);
        assertThat(a.soundingCount()).isZero();
    }
}
