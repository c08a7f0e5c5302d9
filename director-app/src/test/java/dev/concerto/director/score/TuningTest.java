package dev.concerto.director.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.concerto.protocol.ToneTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TuningTest {

    private static double hz(Tuning t, String name) {
        return t.hz(t.indexOfMidi(NoteNames.midiOf(name).getAsInt()).getAsInt());
    }

    private static Tuning named(Temperament temp, double a4, String key) {
        return Tuning.named(temp, 69, a4, NoteNames.pitchClassOf(key).getAsInt(), 21, 108);
    }

    @Test
    void ancestorFormulaEqualsTheSeedsTable() {
        Tuning t = Tuning.formula(55, 12, 51, true, 33);
        int[] f = ToneTable.ancestor();
        assertThat(t.size()).isEqualTo(51);
        for (int i = 0; i < 51; i++) {
            assertThat(t.hz(i)).isEqualTo(f[i]);
        }
        assertThat(hz(t, "C4")).isEqualTo(262);
        assertThat(hz(t, "B5")).isEqualTo(988);
        assertThat(t.indexOfMidi(60)).hasValue(27);
        assertThat(t.range()).isEqualTo("A1..B5");
    }

    @ParameterizedTest(name = "equal temperament {0} = {1} Hz")
    @CsvSource({"A4,440.0", "C4,261.6255653", "A0,27.5", "C8,4186.0090448", "F#3,184.9972114", "Bb2,116.5409404"})
    void equalTemperament(String note, double expected) {
        assertThat(hz(named(Temperament.EQUAL, 440, "C"), note)).isCloseTo(expected, within(1e-6));
    }

    @Test
    void werckmeisterThree() {
        Tuning t = named(Temperament.WERCKMEISTER_III, 440, "C");
        assertThat(hz(t, "A4")).isCloseTo(440, within(1e-9));
        // C4 = 440 / 2^(888.270/1200); the fifth C-G is narrowed by 1/4 Pythagorean comma (696.090 cents)
        assertThat(hz(t, "C4")).isCloseTo(263.40, within(0.01));
        assertThat(cents(hz(t, "G4") / hz(t, "C4"))).isCloseTo(696.090, within(0.001));
        // G-D narrowed too, D-A narrowed, A-E pure
        assertThat(cents(hz(t, "E5") / hz(t, "A4"))).isCloseTo(701.955, within(0.001));
        // the key is ignored: a well temperament is laid from C
        assertThat(hz(named(Temperament.WERCKMEISTER_III, 440, "D"), "C4")).isEqualTo(hz(t, "C4"));
    }

    @Test
    void kirnbergerThree() {
        Tuning t = named(Temperament.KIRNBERGER_III, 440, "C");
        assertThat(hz(t, "E4") / hz(t, "C4")).isCloseTo(5.0 / 4, within(1e-5)); // pure major third C-E
        assertThat(cents(hz(t, "A4") / hz(t, "C4"))).isCloseTo(889.735, within(0.001));
        assertThat(hz(t, "C4")).isCloseTo(440 / Math.pow(2, 889.735 / 1200), within(1e-6));
    }

    @Test
    void pythagoreanInC() {
        Tuning t = named(Temperament.PYTHAGOREAN, 440, "C");
        assertThat(hz(t, "C4")).isCloseTo(440 * 16.0 / 27, within(1e-9)); // 260.74 Hz
        assertThat(hz(t, "G4") / hz(t, "C4")).isCloseTo(1.5, within(1e-12));
        assertThat(hz(t, "E4") / hz(t, "C4")).isCloseTo(81.0 / 64, within(1e-12)); // ditone
    }

    @Test
    void justIntonationInAKey() {
        Tuning c = named(Temperament.JUST, 440, "C");
        assertThat(hz(c, "C4")).isCloseTo(264.0, within(1e-9)); // A = 5/3 of C
        assertThat(hz(c, "E4")).isCloseTo(330.0, within(1e-9));
        assertThat(hz(c, "G4")).isCloseTo(396.0, within(1e-9));
        Tuning d = named(Temperament.JUST, 440, "D");
        assertThat(hz(d, "D4")).isCloseTo(440 / 1.5, within(1e-9)); // A = 3/2 of D
        assertThat(hz(d, "F#4") / hz(d, "D4")).isCloseTo(1.25, within(1e-12));
        assertThat(hz(d, "B4") / hz(d, "D4")).isCloseTo(5.0 / 3, within(1e-12));
        assertThat(named(Temperament.JUST, 440, "D").description()).isEqualTo("just in D, A4 = 440 Hz, A0..C8");
    }

    @Test
    void referencePitchMoves() {
        Tuning baroque = named(Temperament.EQUAL, 415, "C");
        assertThat(hz(baroque, "A4")).isEqualTo(415.0);
        assertThat(hz(baroque, "A3")).isCloseTo(207.5, within(1e-9));
    }

    @Test
    void explicitListAndNames() {
        Tuning t = Tuning.list(new double[] {220, 233, 247}, 57);
        assertThat(hz(t, "Bb3")).isEqualTo(233);
        assertThat(t.indexOfMidi(60)).isEmpty();
        assertThat(Tuning.list(new double[] {1, 2}, Integer.MIN_VALUE).acceptsNames()).isFalse();
        assertThat(Temperament.byKey("Werckmeister III")).hasValue(Temperament.WERCKMEISTER_III);
        assertThat(Temperament.byKey("meantone")).isEmpty();
    }

    @ParameterizedTest(name = "{0} = MIDI {1}")
    @CsvSource({"C4,60", "c4,60", "F#3,54", "Bb2,46", "B#3,60", "Cb4,59", "A0,21", "C-1,0", "Ebb5,74", "Gx4,69"})
    void noteNames(String name, int midi) {
        assertThat(NoteNames.midiOf(name)).hasValue(midi);
    }

    @Test
    void badNoteNames() {
        assertThat(NoteNames.midiOf("H4")).isEmpty();
        assertThat(NoteNames.midiOf("C")).isEmpty();
        assertThat(NoteNames.midiOf("C#b4")).isEmpty();
        assertThat(NoteNames.nameOf(70)).isEqualTo("Bb4");
        assertThat(NoteNames.nameOf(66)).isEqualTo("F#4");
    }

    private static double cents(double ratio) {
        return 1200 * Math.log(ratio) / Math.log(2);
    }
}
