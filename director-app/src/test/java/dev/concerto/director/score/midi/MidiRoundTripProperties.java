package dev.concerto.director.score.midi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.director.score.Placement;
import dev.concerto.director.score.Score;
import dev.concerto.director.score.ScoreCompiler;
import dev.concerto.director.score.ShippedScores;
import dev.concerto.director.score.TimedNote;
import dev.concerto.director.score.VoiceTimeline;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sound.midi.Sequence;
import javax.sound.midi.Track;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * A file written by {@code javax.sound.midi} (an independent writer) and read back by
 * {@link MidiImporter} keeps every note: pitch, onset and length, with as many players as needed
 * ({@code --players auto}), whatever the tracks, channels, overlaps and tempo changes.
 */
class MidiRoundTripProperties {

    record N(int track, int channel, int key, int start, int length) {
    }

    @Provide
    Arbitrary<List<N>> notes() {
        Arbitrary<N> note = Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 8),
                Arbitraries.integers().between(0, 127), Arbitraries.integers().between(0, 20_000),
                Arbitraries.integers().between(1, 3_000)).as(N::new);
        return note.list().ofMinSize(1).ofMaxSize(120);
    }

    @Property(tries = 60)
    void everyNoteSurvivesAWriteAndARead(@ForAll("notes") List<N> candidates,
                                         @ForAll @IntRange(min = 0, max = 1) int type,
                                         @ForAll @IntRange(min = 30, max = 240) int bpm,
                                         @ForAll boolean split) throws Exception {
        // A key held twice at once on one channel cannot be paired unambiguously (MIDI has no note ids); drop those.
        Map<String, List<N>> byKey = new HashMap<>();
        List<N> notes = new ArrayList<>();
        for (N n : candidates) {
            N m = type == 0 ? new N(0, n.channel(), n.key(), n.start(), n.length()) : n;
            List<N> same = byKey.computeIfAbsent(m.track() + "/" + m.channel() + "/" + m.key(), k -> new ArrayList<>());
            if (same.stream().noneMatch(o -> o.start() < m.start() + m.length() && m.start() < o.start() + o.length())) {
                same.add(m);
                notes.add(m);
            }
        }
        Sequence seq = new Sequence(Sequence.PPQ, MidiFixtures.PPQ);
        int tracks = type == 0 ? 1 : 3;
        List<Track> ts = new ArrayList<>();
        for (int t = 0; t < tracks; t++) {
            ts.add(seq.createTrack());
        }
        MidiFixtures.tempo(ts.get(0), 0, bpm);
        MidiFixtures.tempo(ts.get(0), 7_000, bpm * 1.5);
        for (N n : notes) {
            MidiFixtures.note(ts.get(n.track()), n.channel(), n.key(), n.start(), n.length());
        }
        byte[] file = MidiFixtures.bytes(seq, type);
        Placement placement = new Placement(split ? Placement.Split.PART : Placement.Split.HIGH_TO_LOW,
                Placement.AUTO, Placement.Keep.OUTER, false);
        Score score = MidiImporter.read(file, "p.mid", "p", placement);
        assertThat(score.report().unplaced()).isEmpty();
        assertThat(score.report().fileWarnings()).isEmpty();
        List<String> read = new ArrayList<>();
        for (VoiceTimeline v : ScoreCompiler.compile(score).voices()) {
            for (TimedNote n : v.notes()) {
                read.add(ShippedScores.midiOf(n.hz()) + "@" + Math.round(n.startBeats() * MidiFixtures.PPQ) + "+"
                        + Math.round(n.durationBeats() * MidiFixtures.PPQ));
            }
        }
        List<String> written = notes.stream().map(n -> n.key() + "@" + n.start() + "+" + n.length()).toList();
        assertThat(read).containsExactlyInAnyOrderElementsOf(written);
    }
}
