package dev.concerto.director.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** scores/bwv846.json against the reference table (shared/reference/bwv846.md), measure by measure. */
class Bwv846ScoreTest {

    private static Timeline timeline;
    private static final Map<Integer, List<Integer>> EXPECTED = new HashMap<>();
    private static final Map<Integer, String> KIND = new HashMap<>();

    @BeforeAll
    static void load() throws Exception {
        timeline = Scores.loadTimeline(ShippedScores.path("bwv846.json"));
        try (InputStream in = Bwv846ScoreTest.class.getResourceAsStream("/bwv846-reference.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                int m = Integer.parseInt(f[0]);
                List<Integer> notes = new ArrayList<>();
                for (String n : f[2].trim().split(" ")) {
                    notes.add(Integer.parseInt(n));
                }
                EXPECTED.put(m, notes);
                KIND.put(m, f[1]);
            }
        }
    }

    record Onset(int voice, TimedNote note) {
    }

    /** The sounding notes that start in measure m (1-based), by onset then voice order. */
    static List<Onset> onsets(int m) {
        double from = timeline.measureStartBeats().get(m - 1);
        double to = m < timeline.measureCount() ? timeline.measureStartBeats().get(m) : Double.MAX_VALUE;
        List<Onset> out = new ArrayList<>();
        for (int v = 0; v < timeline.voices().size(); v++) {
            for (TimedNote n : timeline.voices().get(v).notes()) {
                if (!n.isSilence() && n.startBeats() >= from - 1e-9 && n.startBeats() < to - 1e-9) {
                    out.add(new Onset(v, n));
                }
            }
        }
        out.sort(Comparator.comparingDouble((Onset o) -> o.note().startBeats()).thenComparingInt(Onset::voice));
        return out;
    }

    static Stream<Arguments> measures() {
        return Stream.iterate(1, m -> m + 1).limit(35).map(Arguments::of);
    }

    @ParameterizedTest(name = "measure {0}")
    @MethodSource("measures")
    void pitchesMatchTheReference(int m) {
        List<Integer> ref = EXPECTED.get(m);
        List<Integer> expected = new ArrayList<>();
        if (m <= 32) {
            int[] figure = {0, 1, 2, 3, 4, 2, 3, 4};
            for (int half = 0; half < 2; half++) {
                for (int t : figure) {
                    expected.add(ref.get(t));
                }
            }
        } else {
            expected.addAll(ref);
        }
        List<Onset> got = onsets(m);
        assertThat(got.stream().map(o -> ShippedScores.midiOf(o.note().hz())).toList()).as("measure %d", m)
                .isEqualTo(expected);
        for (Onset o : got) { // equal temperament exactly, and names agree with the pitch
            int midi = ShippedScores.midiOf(o.note().hz());
            assertThat(o.note().hz()).isCloseTo(440 * Math.pow(2, (midi - 69) / 12.0), within(1e-9));
            assertThat(NoteNames.midiOf(o.note().name()).getAsInt()).isEqualTo(midi);
        }
        if (m <= 34) { // sixteenths: 16 onsets a quarter beat apart
            for (int i = 0; i < 16; i++) {
                assertThat(got.get(i).note().startBeats() - (m - 1) * 4.0).isCloseTo(i * 0.25, within(1e-9));
            }
        } else {
            assertThat(got).allSatisfy(o -> assertThat(o.note().durationBeats()).isEqualTo(4.0));
        }
    }

    @Test
    void voicesDurationsAndShape() {
        assertThat(timeline.title()).isEqualTo("Prelude in C major, BWV 846");
        assertThat(timeline.composer()).isEqualTo("Johann Sebastian Bach");
        assertThat(timeline.voices()).extracting(VoiceTimeline::name)
                .containsExactly("bass", "tenor", "arpeggio", "alto", "soprano");
        assertThat(timeline.voices()).extracting(VoiceTimeline::optional)
                .containsExactly(false, false, false, true, true);
        assertThat(timeline.measureCount()).isEqualTo(35);
        assertThat(timeline.totalBeats()).isEqualTo(140.0);
        assertThat(timeline.bpm()).isEqualTo(66.0);
        assertThat(timeline.totalSeconds()).isCloseTo(140 * 60.0 / 66, within(1e-9));
        assertThat(timeline.measureStartSeconds().get(1)).isCloseTo(4 * 60.0 / 66, within(1e-12));
        // the figure's held tones: a for the half measure, b for the rest of it after its entry
        TimedNote a = timeline.voice("bass").notes().get(0);
        TimedNote b = timeline.voice("tenor").notes().get(0);
        assertThat(a.durationBeats()).isEqualTo(2.0);
        assertThat(b.startBeats()).isEqualTo(0.25);
        assertThat(b.durationBeats()).isEqualTo(1.75);
        assertThat(timeline.voice("arpeggio").notes().get(0).durationBeats()).isEqualTo(0.25);
        // no stops in Bach's own score: notes end by themselves
        assertThat(timeline.voices()).allSatisfy(v -> assertThat(v.notes()).noneMatch(TimedNote::isSilence));
        // the required voices alone hold the final chord's root, fifth and third
        assertThat(onsets(35).stream().filter(o -> !timeline.voices().get(o.voice()).optional())
                .map(o -> ShippedScores.midiOf(o.note().hz()))).containsExactly(36, 48, 64);
        // every pitch within the ancestor's 51-entry table (idx 3 .. 48)
        for (VoiceTimeline v : timeline.voices()) {
            for (TimedNote n : v.notes()) {
                assertThat(ShippedScores.midiOf(n.hz()) - 33).isBetween(3, 48);
            }
        }
    }

    @Test
    void compilingIsDeterministic() throws Exception {
        assertThat(Scores.loadTimeline(ShippedScores.path("bwv846.json"))).isEqualTo(timeline);
    }

    @Test
    void everyVoiceIsMonophonicAndOrdered() {
        for (VoiceTimeline v : timeline.voices()) {
            for (int i = 1; i < v.notes().size(); i++) {
                TimedNote prev = v.notes().get(i - 1);
                TimedNote next = v.notes().get(i);
                assertThat(next.startSeconds()).isGreaterThanOrEqualTo(prev.endSeconds() - 1e-9);
                if (next.startBeats() - prev.endBeats() < 1e-6) { // back to back: no gap a sender could see
                    assertThat(next.startSeconds()).isLessThanOrEqualTo(prev.endSeconds());
                }
            }
        }
    }

    @Test
    void readsTheReferenceFile() throws IOException {
        assertThat(EXPECTED).hasSize(35);
    }
}
