package dev.concerto.director.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.concerto.protocol.ToneTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** scores/bwv846-ting2017.json reproduces seed 000's director datagram for datagram. */
class Ting2017ScoreTest {

    /** The first six chords of {@code mel} as printed in seed 000. */
    static final int[] MEL_PRINTED = {
        27, 31, 34, 39, 43,
        27, 29, 36, 41, 44,
        26, 29, 34, 41, 44,
        27, 31, 34, 39, 43,
        27, 31, 36, 43, 48,
        27, 29, 33, 36, 41,
    };
    static final double DT = 0.025;
    static final Map<String, String> HOST = Map.of("bass", "HOST3", "tenor", "HOST1", "arpeggio", "HOST2", "host4", "HOST4");

    private static Score score;
    private static Timeline timeline;

    @BeforeAll
    static void load() throws Exception {
        score = ScoreLoader.load(ShippedScores.path("bwv846-ting2017.json"));
        timeline = ScoreCompiler.compile(score);
    }

    record Datagram(double atSeconds, int hz) {
    }

    /** What a sender following TimedNote's contract sends to one voice's player. */
    static List<Datagram> send(VoiceTimeline v) {
        List<Datagram> out = new ArrayList<>();
        List<TimedNote> notes = v.notes();
        for (int i = 0; i < notes.size(); i++) {
            TimedNote n = notes.get(i);
            out.add(new Datagram(n.startSeconds(), (int) Math.round(n.hz())));
            boolean nextAtOrBeforeEnd = i + 1 < notes.size() && notes.get(i + 1).startSeconds() <= n.endSeconds(); // exact, as a sender compares
            if (n.hz() != 0 && !nextAtOrBeforeEnd) {
                out.add(new Datagram(n.endSeconds(), 0));
            }
        }
        return out;
    }

    /** What the ancestor's play() sends, per host, for the given mel (5 indices per chord). */
    static Map<String, List<Datagram>> ancestor(int[] mel) {
        int[] f = ToneTable.ancestor();
        Map<String, List<Datagram>> out = new LinkedHashMap<>();
        for (String h : List.of("HOST3", "HOST1", "HOST2", "HOST4")) {
            out.put(h, new ArrayList<>());
        }
        double t = 0;
        double step = 8 * DT;
        for (int j = 0; j < mel.length; j += 5) {
            int[] order = {0, 1, 2, 3, 4, 2, 3, 4}; // chord(n): note(n)..note(n+4), note(n+2)..note(n+4)
            String[] host = {"HOST3", "HOST1", "HOST2", "HOST2", "HOST2", "HOST2", "HOST2", "HOST2"};
            for (int k = 0; k < 8; k++) {
                out.get(host[k]).add(new Datagram(t, f[mel[j + order[k]]]));
                t += step; // note() sleeps 8*dt after each send
            }
            for (String h : out.keySet()) { // stop()
                out.get(h).add(new Datagram(t, 0));
            }
        }
        return out;
    }

    @Test
    void firstSixChordsAreTheSeedsPrintedMel() {
        int[] f = ToneTable.ancestor();
        VoiceTimeline bass = timeline.voice("bass");
        VoiceTimeline tenor = timeline.voice("tenor");
        VoiceTimeline arp = timeline.voice("arpeggio");
        for (int c = 0; c < 6; c++) {
            int[] idx = java.util.Arrays.copyOfRange(MEL_PRINTED, 5 * c, 5 * c + 5);
            List<TimedNote> b = bass.notes().stream().filter(n -> !n.isSilence()).toList();
            List<TimedNote> t = tenor.notes().stream().filter(n -> !n.isSilence()).toList();
            List<TimedNote> a = arp.notes().stream().filter(n -> !n.isSilence()).toList();
            assertThat(b.get(c).hz()).isEqualTo(f[idx[0]]);
            assertThat(t.get(c).hz()).isEqualTo(f[idx[1]]);
            int[] arpOrder = {2, 3, 4, 2, 3, 4};
            for (int k = 0; k < 6; k++) {
                assertThat(a.get(6 * c + k).hz()).as("chord %d arpeggio %d", c, k).isEqualTo(f[idx[arpOrder[k]]]);
            }
        }
    }

    @Test
    void reproducesTheAncestorsDatagramsForAll32Chords() throws Exception {
        // the whole mel: the reference table's idx columns (the seed prints its first six rows)
        int[] mel = new int[32 * 5];
        String tsv = new String(Ting2017ScoreTest.class.getResourceAsStream("/bwv846-reference.tsv").readAllBytes());
        int i = 0;
        for (String line : tsv.split("\n")) {
            String[] p = line.split("\t");
            if (p.length == 3 && p[1].equals("chord") && Integer.parseInt(p[0]) <= 32) {
                for (String n : p[2].split(" ")) {
                    mel[i++] = Integer.parseInt(n) - 33;
                }
            }
        }
        assertThat(java.util.Arrays.copyOf(mel, 30)).containsExactly(MEL_PRINTED);
        Map<String, List<Datagram>> expected = ancestor(mel);
        for (VoiceTimeline v : timeline.voices()) {
            List<Datagram> got = send(v);
            List<Datagram> want = expected.get(HOST.get(v.name()));
            assertThat(got.stream().map(Datagram::hz).toList()).as(v.name()).isEqualTo(want.stream().map(Datagram::hz).toList());
            for (int k = 0; k < got.size(); k++) {
                assertThat(got.get(k).atSeconds()).as("%s datagram %d", v.name(), k).isCloseTo(want.get(k).atSeconds(), within(1e-9));
            }
        }
        assertThat(expected.get("HOST2").subList(0, 7).stream().map(Datagram::hz).toList())
                .containsExactly(392, 523, 659, 392, 523, 659, 0);
    }

    @Test
    void tableTempoVoicesAndDescription() throws Exception {
        Tuning t = ScoreCompiler.tuning(score);
        int[] f = ToneTable.ancestor();
        assertThat(t.size()).isEqualTo(51);
        for (int x = 0; x < 51; x++) {
            assertThat(t.hz(x)).isEqualTo(f[x]);
        }
        assertThat(timeline.bpm()).isCloseTo(75.0, within(1e-9)); // dt = 0.025: a sixteenth every 0.2 s
        assertThat(timeline.voices()).extracting(VoiceTimeline::name).containsExactly("bass", "tenor", "arpeggio", "host4");
        assertThat(timeline.voice("host4").notes()).hasSize(32).allMatch(TimedNote::isSilence)
                .allMatch(n -> n.durationSeconds() == 0);
        assertThat(timeline.totalSeconds()).isCloseTo(32 * 8 * 8 * DT, within(1e-9));
        assertThat(timeline.measureCount()).isEqualTo(32);
        assertThat(score.description()).contains("last()").contains("last1()").contains("dt = 0.025");
        // at a chord boundary the stop comes before the next chord's note
        List<TimedNote> bass = timeline.voice("bass").notes();
        assertThat(bass.get(1).isSilence()).isTrue();
        assertThat(bass.get(2).startSeconds()).isEqualTo(bass.get(1).startSeconds());
        assertThat(bass.get(2).isSilence()).isFalse();
    }
}
