package dev.concerto.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ToneTableTest {

    /** The 51 integers listed in shared/reference/bwv846.md, idx 0..50. */
    private static final int[] REFERENCE = {
        55, 58, 62, 65, 69, 73, 78, 82, 87, 92, 98, 104, 110, 117, 123, 131, 139, 147, 156, 165, 175,
        185, 196, 208, 220, 233, 247, 262, 277, 294, 311, 330, 349, 370, 392, 415, 440, 466, 494, 523,
        554, 587, 622, 659, 698, 740, 784, 831, 880, 932, 988};

    @Test
    void ancestorTableMatchesTheReferenceExactly() {
        assertThat(ToneTable.ancestor()).containsExactly(REFERENCE);
    }

    @Test
    void landmarks() {
        int[] f = ToneTable.ancestor();
        assertThat(f[0]).isEqualTo(55);   // A1
        assertThat(f[27]).isEqualTo(262); // C4
        assertThat(f[36]).isEqualTo(440); // A4
        assertThat(f[50]).isEqualTo(988); // B5
        assertThat(ToneTable.ancestorIndexOfMidi(60)).isEqualTo(27);
    }

    @Test
    void everyEntryFitsThePlainIntegerWireFormat() {
        for (int hz : ToneTable.ancestor()) {
            assertThat(LegacyCodec.encode(hz)).hasSizeLessThanOrEqualTo(LegacyCodec.MAX_DATAGRAM_BYTES);
        }
    }

    @Test
    void equalStepDoublesEachOctave() {
        assertThat(ToneTable.equalStep(55, 12, 12)).isEqualTo(110.0);
        assertThat(ToneTable.equalStep(440, 12, -12)).isEqualTo(220.0);
    }
}
