package dev.concerto.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class LegacyCodecProperties {

    @Property(tries = 5000)
    void decodeNeverThrowsAndNeverReturnsNull(@ForAll @Size(max = 64) byte[] datagram) {
        assertThat(LegacyCodec.decode(datagram)).isNotNull();
    }

    @Property
    void encodeThenDecodeRoundTripsEveryValidFrequency(@ForAll @IntRange(min = 0, max = LegacyCodec.MAX_HZ) int hz) {
        byte[] wire = LegacyCodec.encode(hz);
        assertThat(wire.length).isBetween(1, LegacyCodec.MAX_DATAGRAM_BYTES);
        assertThat(LegacyCodec.decode(wire)).isEqualTo(DecodeResult.accepted(new ToneCommand(hz)));
    }

    @Property
    void acceptedValuesAreAlwaysInRange(@ForAll @Size(max = 12) byte[] datagram) {
        if (LegacyCodec.decode(datagram) instanceof DecodeResult.Accepted<ToneCommand> a) {
            int hz = a.value().hz();
            assertThat(hz == 0 || (hz >= LegacyCodec.MIN_HZ && hz <= LegacyCodec.MAX_HZ)).isTrue();
            assertThat(datagram.length).isLessThanOrEqualTo(LegacyCodec.MAX_DATAGRAM_BYTES);
        }
    }

    @Property
    void agreesWithTheFirmwaresIntOnDigitStrings(@ForAll("digitStrings") String text) {
        // What Python's int() makes of a canonical digit string, within range, is what we decode.
        long expected = Long.parseLong(text);
        var result = LegacyCodec.decode(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        if (expected <= LegacyCodec.MAX_HZ) {
            assertThat(result).isEqualTo(DecodeResult.accepted(new ToneCommand((int) expected)));
        } else {
            assertThat(result).isInstanceOf(DecodeResult.Rejected.class);
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> digitStrings() {
        return net.jqwik.api.Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(LegacyCodec.MAX_DATAGRAM_BYTES);
    }
}
