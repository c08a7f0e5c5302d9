package dev.concerto.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TimedCodecTest {

    static final Authenticator KEY = new Authenticator("concerto-test-key-0123456789".getBytes(StandardCharsets.US_ASCII));

    static Stream<Arguments> golden() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (var in = TimedCodecTest.class.getResourceAsStream("/timed/golden.txt");
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                }
                int sep = line.indexOf(" => ");
                String datagram = line.substring(0, sep).replace("\\r", "\r").replace("\\n", "\n");
                cases.add(Arguments.of(datagram.replace("\n", "⏎").replace("\r", "␍"),
                        datagram.getBytes(StandardCharsets.US_ASCII), line.substring(sep + 4)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "[{0}]")
    @MethodSource("golden")
    void decodesGoldenDatagrams(String shown, byte[] datagram, String expected) {
        assertThat(describe(TimedCodec.decode(datagram, null))).isEqualTo(expected);
    }

    static String describe(DecodeResult<TimedMessage> r) {
        if (r instanceof DecodeResult.Rejected<TimedMessage> rej) {
            return "reject:" + rej.reason().key();
        }
        TimedMessage m = ((DecodeResult.Accepted<TimedMessage>) r).value();
        if (m instanceof TimedMessage.Tone t) {
            return "tone " + t.seq() + " " + t.atMicros() + " " + t.milliHz() + " " + t.leaseMillis();
        }
        if (m instanceof TimedMessage.SyncRequest s) {
            return "sync " + s.seq() + " " + s.t1Micros();
        }
        TimedMessage.SyncReply p = (TimedMessage.SyncReply) m;
        return "reply " + p.seq() + " " + p.t1Micros() + " " + p.t2Micros() + " " + p.t3Micros() + " "
                + String.join(",", p.versions());
    }

    @Test
    void isTellsTheFormatsApartByTheFirstByte() {
        for (byte b : "0123456789+- \t\n".getBytes(StandardCharsets.US_ASCII)) {
            assertThat(TimedCodec.isTimed(b)).as("'%c'", b).isFalse();
        }
        assertThat(TimedCodec.isTimed((byte) 'T')).isTrue();
        assertThat(TimedCodec.isTimed((byte) 'S')).isTrue();
        assertThat(TimedCodec.isTimed((byte) 'R')).isTrue();
    }

    @Test
    void theLongestSignedToneFitsWithACrLf() {
        var longest = new TimedMessage.Tone(TimedMessage.MAX_SEQ, TimedCodec.MAX_TIME_MICROS, 19_999_999,
                TimedCodec.MAX_LEASE_MILLIS);
        byte[] wire = TimedCodec.encode(longest, KEY);
        assertThat(wire.length + 2).isEqualTo(73).isLessThanOrEqualTo(TimedCodec.MAX_TONE_BYTES);
        assertThat(TimedCodec.decode(wire, KEY)).isEqualTo(DecodeResult.accepted(longest));
    }

    @Test
    void signedMessagesVerifyAndForgeriesAreRejected() {
        var tone = new TimedMessage.Tone(5, 1_000_000, 440_000, 300);
        byte[] wire = TimedCodec.encode(tone, KEY);
        assertThat(new String(wire, StandardCharsets.US_ASCII))
                .matches("T 5 1000000 440 300 " + KEY.signerHex() + " [0-9a-f]{16}");
        assertThat(TimedCodec.decode(wire, KEY)).isEqualTo(DecodeResult.accepted(tone));
        assertThat(TimedCodec.decodeSigned(wire, 0, wire.length, KEY))
                .isEqualTo(DecodeResult.accepted(new TimedCodec.Envelope(tone, KEY.signer())));

        byte[] changed = wire.clone();
        changed[wire.length - 29] = (byte) '5'; // 440 -> 540 Hz or the lease digit: the MAC no longer fits
        assertThat(reason(TimedCodec.decode(changed, KEY))).isEqualTo(RejectReason.FORGED);

        byte[] otherKey = TimedCodec.encode(tone, new Authenticator(new byte[32]));
        assertThat(reason(TimedCodec.decode(otherKey, KEY))).isEqualTo(RejectReason.FORGED);

        byte[] unsigned = TimedCodec.encode(tone, null);
        assertThat(reason(TimedCodec.decode(unsigned, KEY))).isEqualTo(RejectReason.UNAUTHENTICATED);

        // A receiver without a key accepts a signed message (it cannot check it).
        assertThat(TimedCodec.decode(wire, null)).isEqualTo(DecodeResult.accepted(tone));
    }

    @Test
    void syncExchangeRoundTrips() {
        var req = new TimedMessage.SyncRequest(77, 123_456_789);
        assertThat(TimedCodec.decode(TimedCodec.encode(req, null), null)).isEqualTo(DecodeResult.accepted(req));
        var reply = new TimedMessage.SyncReply(77, 123_456_789, 5_000_000, 5_000_040,
                List.of(TimedCodec.VERSION_LEGACY, TimedCodec.VERSION_TIMED_1));
        assertThat(TimedCodec.decode(TimedCodec.encode(reply, KEY), KEY)).isEqualTo(DecodeResult.accepted(reply));
    }

    @Test
    void aReplyMayStateTheOutputLatencyBesideItsProtocols() {
        List<String> versions = List.of(TimedCodec.VERSION_LEGACY, TimedCodec.VERSION_TIMED_1,
                OutputLatencyToken.of(16.14));
        assertThat(versions.get(2)).isEqualTo("output-ms/16.1");
        // The longest reply there is (largest fields, the longest token, signed, CR LF) still fits.
        var longest = new TimedMessage.SyncReply(TimedMessage.MAX_SEQ, TimedCodec.MAX_TIME_MICROS,
                TimedCodec.MAX_TIME_MICROS, TimedCodec.MAX_TIME_MICROS, List.of(TimedCodec.VERSION_LEGACY,
                TimedCodec.VERSION_TIMED_1, OutputLatencyToken.of(1e9)));
        byte[] wire = TimedCodec.encode(longest, KEY);
        assertThat(wire.length + 2).isLessThanOrEqualTo(TimedCodec.MAX_DATAGRAM_BYTES);
        var decoded = (TimedMessage.SyncReply) ((DecodeResult.Accepted<TimedCodec.Envelope>)
                TimedCodec.decodeSigned(wire, 0, wire.length, KEY)).value().message();
        assertThat(OutputLatencyToken.in(decoded.versions())).hasValue(OutputLatencyToken.MAX_MS);
        assertThat(OutputLatencyToken.protocols(decoded.versions())).containsExactly("legacy", "timed/1");
        assertThat(OutputLatencyToken.in(versions)).hasValue(16.1);
        assertThat(OutputLatencyToken.in(List.of("legacy", "timed/1"))).as("an older player").isEmpty();
        assertThat(OutputLatencyToken.in(List.of("output-ms/", "output-ms/1.2.3", "output-ms/-1",
                "output-ms/12345"))).as("not a latency: ignored").isEmpty();
        assertThat(OutputLatencyToken.of(-3)).isEqualTo("output-ms/0.0");
    }

    @Test
    void serialArithmeticWrapsAround() {
        assertThat(TimedCodec.seqAfter(2, 1)).isTrue();
        assertThat(TimedCodec.seqAfter(1, 2)).isFalse();
        assertThat(TimedCodec.seqAfter(1, 1)).isFalse();
        assertThat(TimedCodec.seqAfter(0, TimedMessage.MAX_SEQ)).isTrue();
        assertThat(TimedCodec.seqAfter(TimedMessage.MAX_SEQ, 0)).isFalse();
    }

    @Test
    void eachAuthenticatorIsItsOwnSigner() {
        byte[] key = "concerto-test-key-0123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(new Authenticator(key, 0xbadc0deL).signerHex()).isEqualTo("0badc0de");
        // Random per start: two draws of 32 bits colliding would be a one-in-four-billion event.
        assertThat(new Authenticator(key).signer()).isNotEqualTo(new Authenticator(key).signer());
    }

    @Test
    void aCopyCarriesItsSignerWhoeverSendsIt() {
        var tone = new TimedMessage.Tone(9, 2_000_000, 440_000, 300);
        Authenticator director = new Authenticator("concerto-test-key-0123456789".getBytes(StandardCharsets.US_ASCII), 7);
        byte[] wire = TimedCodec.encode(tone, director);
        // The player's authenticator has the same key and its own signer: it reads the director's.
        DecodeResult<TimedCodec.Envelope> r = TimedCodec.decodeSigned(wire, 0, wire.length, KEY);
        assertThat(r).isEqualTo(DecodeResult.accepted(new TimedCodec.Envelope(tone, 7)));
        assertThat(TimedCodec.decodeSigned(TimedCodec.encode(tone, null), 0, wire.length - 26, null))
                .isEqualTo(DecodeResult.accepted(new TimedCodec.Envelope(tone, TimedCodec.UNSIGNED)));
    }

    /** PROTOCOL.md: a tone message longer than MAX_TONE_BYTES is dropped whole as too-long, whatever else is wrong. */
    @Test
    void oversizedDatagramsAreDroppedWholeAsTooLong() {
        byte[] big = new byte[TimedCodec.MAX_DATAGRAM_BYTES + 1];
        Arrays.fill(big, (byte) 'T');
        assertThat(reason(TimedCodec.decode(big, null))).isEqualTo(RejectReason.TOO_LONG);
        byte[] bigSync = ("S 1 2" + " ".repeat(TimedCodec.MAX_DATAGRAM_BYTES)).getBytes(StandardCharsets.US_ASCII);
        assertThat(reason(TimedCodec.decode(bigSync, null))).isEqualTo(RejectReason.TOO_LONG);

        byte[] longest = ("T 1 5000000 440 500 0badc0de " + "0".repeat(16)).getBytes(StandardCharsets.US_ASCII);
        String padded = new String(longest, StandardCharsets.US_ASCII)
                + " ".repeat(TimedCodec.MAX_TONE_BYTES - longest.length);
        assertThat(padded).hasSize(TimedCodec.MAX_TONE_BYTES);
        // Exactly the limit: judged by its grammar (the trailing spaces make it bad-syntax) ...
        assertThat(reason(TimedCodec.decode(padded.getBytes(StandardCharsets.US_ASCII), null)))
                .isEqualTo(RejectReason.BAD_SYNTAX);
        // ... one byte more: too-long, before anything else is looked at, signed or not, keyed or not.
        byte[] over = (padded + " ").getBytes(StandardCharsets.US_ASCII);
        assertThat(reason(TimedCodec.decode(over, null))).isEqualTo(RejectReason.TOO_LONG);
        assertThat(reason(TimedCodec.decode(over, KEY))).isEqualTo(RejectReason.TOO_LONG);
    }

    static RejectReason reason(DecodeResult<?> r) {
        return ((DecodeResult.Rejected<?>) r).reason();
    }
}
