package dev.concerto.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class TimedCodecProperties {

    private static final Authenticator KEY = new Authenticator(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});

    @Property(tries = 5000)
    void decodeNeverThrowsOnAnyBytes(@ForAll @Size(max = 160) byte[] datagram) {
        assertThat(TimedCodec.decode(datagram, null)).isNotNull();
        assertThat(TimedCodec.decode(datagram, KEY)).isNotNull();
    }

    @Property(tries = 2000)
    void decodeNeverThrowsOnNearMisses(@ForAll("nearMisses") String text) {
        assertThat(TimedCodec.decode(text.getBytes(StandardCharsets.US_ASCII), null)).isNotNull();
    }

    @Property
    void tonesRoundTripSignedAndUnsigned(@ForAll("tones") TimedMessage.Tone tone) {
        byte[] plain = TimedCodec.encode(tone, null);
        byte[] signed = TimedCodec.encode(tone, KEY);
        assertThat(signed.length).isLessThan(TimedCodec.MAX_TONE_BYTES);
        assertThat(TimedCodec.decode(plain, null)).isEqualTo(DecodeResult.accepted(tone));
        assertThat(TimedCodec.decode(signed, KEY)).isEqualTo(DecodeResult.accepted(tone));
        assertThat(LegacyCodec.decode(plain)).isInstanceOf(DecodeResult.Rejected.class);
    }

    @Property
    void theAllocationFreeToneEncoderWritesTheSameBytes(@ForAll("tones") TimedMessage.Tone tone) {
        byte[] out = new byte[TimedCodec.MAX_TONE_BYTES];
        for (Authenticator auth : java.util.Arrays.asList(null, KEY)) {
            int n = TimedCodec.encodeTone(tone.seq(), tone.atMicros(), tone.milliHz(), tone.leaseMillis(), auth, out);
            assertThat(java.util.Arrays.copyOf(out, n)).isEqualTo(TimedCodec.encode(tone, auth));
        }
    }

    @Property
    void theAllocationFreeSyncRequestEncoderWritesTheSameBytes(
            @ForAll("seqs") long seq, @ForAll("times") long t1) {
        byte[] out = new byte[TimedCodec.MAX_TONE_BYTES];
        TimedMessage.SyncRequest request = new TimedMessage.SyncRequest(seq, t1);
        for (Authenticator auth : java.util.Arrays.asList(null, KEY)) {
            int n = TimedCodec.encodeSyncRequest(seq, t1, auth, out);
            assertThat(java.util.Arrays.copyOf(out, n)).isEqualTo(TimedCodec.encode(request, auth));
        }
    }

    @Provide
    Arbitrary<Long> seqs() {
        return Arbitraries.longs().between(0, TimedMessage.MAX_SEQ);
    }

    @Provide
    Arbitrary<Long> times() {
        return Arbitraries.longs().between(0, TimedCodec.MAX_TIME_MICROS);
    }

    @Provide
    Arbitrary<TimedMessage.Tone> tones() {
        Arbitrary<Long> hz = Arbitraries.oneOf(Arbitraries.just(0L),
                Arbitraries.longs().between(LegacyCodec.MIN_HZ * 1000L, LegacyCodec.MAX_HZ * 1000L));
        return Combinators.combine(
                Arbitraries.longs().between(0, TimedMessage.MAX_SEQ),
                Arbitraries.longs().between(0, TimedCodec.MAX_TIME_MICROS),
                hz,
                Arbitraries.integers().between(1, TimedCodec.MAX_LEASE_MILLIS)).as(TimedMessage.Tone::new);
    }

    @Provide
    Arbitrary<String> nearMisses() {
        return Arbitraries.strings().withChars("TSR 0123456789.,-+/abcdef\n").ofMaxLength(70)
                .map(s -> "T " + s);
    }
}
