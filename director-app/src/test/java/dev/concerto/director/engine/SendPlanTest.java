package dev.concerto.director.engine;

import static dev.concerto.director.engine.Timelines.note;
import static dev.concerto.director.engine.Timelines.voice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendPlanTest {

    private static List<String> describe(SendPlan plan) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            SendPlan.Event e = plan.event(i);
            out.add(e.scoreSeconds() + ":" + e.voice() + ":" + (e.hz() == Math.rint(e.hz()) ? String.valueOf((long) e.hz())
                    : String.valueOf(e.hz())));
        }
        return out;
    }

    @Test
    void legatoNotesSendNoSilenceBetweenThemAndTheLastNoteEndsInSilence() {
        SendPlan plan = new SendPlan(Timelines.of(1, voice("a", note(0, 1, 440), note(1, 1, 494))));
        assertThat(describe(plan)).containsExactly("0.0:0:440", "1.0:0:494", "2.0:0:0");
    }

    @Test
    void aGapBetweenNotesIsSilent() {
        SendPlan plan = new SendPlan(Timelines.of(1, voice("a", note(0, 0.5, 440), note(1, 1, 494))));
        assertThat(describe(plan)).containsExactly("0.0:0:440", "0.5:0:0", "1.0:0:494", "2.0:0:0");
    }

    @Test
    void explicitSilencesSendZeroAtTheirStartOnlyAndKeepTheirOrderAmongEqualStarts() {
        // The ancestor's chord: a note, then at its end stop() (a zero-length silence) and the next note.
        SendPlan plan = new SendPlan(Timelines.of(1, voice("a",
                note(0, 1, 262), note(1, 0, 0), note(1, 1, 294), note(2, 0, 0))));
        assertThat(describe(plan)).containsExactly("0.0:0:262", "1.0:0:0", "1.0:0:294", "2.0:0:0");
    }

    @Test
    void eventsDueTogetherAreOrderedByVoiceThenByScoreOrder() {
        SendPlan plan = new SendPlan(Timelines.of(1,
                voice("low", note(0, 1, 100)), voice("high", note(0, 0.5, 200), note(0.5, 0.5, 300))));
        assertThat(describe(plan)).containsExactly("0.0:0:100", "0.0:1:200", "0.5:1:300", "1.0:0:0", "1.0:1:0");
    }

    @Test
    void frequenciesStayExactAndAreCheckedAgainstTheWireRange() {
        SendPlan plan = new SendPlan(Timelines.of(1, voice("a", note(0, 1, 261.6255653005986))));
        assertThat(plan.event(0).hz()).isEqualTo(261.6255653005986); // only the plain-integer stream rounds
        assertThatThrownBy(() -> new SendPlan(Timelines.of(1, voice("a", note(0, 1, 25_000)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("voice 'a'");
    }

    @Test
    void whatAVoiceSoundsBeforeAnIndex() {
        SendPlan plan = new SendPlan(Timelines.twoVoices(1));
        int at2 = plan.firstAtOrAfter(2.5);
        assertThat(plan.lastOfVoiceBefore(0, at2).hz()).isEqualTo(105);
        assertThat(plan.lastOfVoiceBefore(1, at2).hz()).isEqualTo(202);
        assertThat(plan.lastOfVoiceBefore(0, 0)).isNull();
        assertThat(plan.voiceHasEventAt(1, plan.firstAtOrAfter(3), 3.0)).isTrue();
        assertThat(plan.voiceHasEventAt(0, plan.firstAtOrAfter(3), 3.0)).isFalse();
    }
}
