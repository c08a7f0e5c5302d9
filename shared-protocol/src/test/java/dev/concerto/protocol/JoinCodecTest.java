package dev.concerto.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class JoinCodecTest {

    private static final Authenticator KEY = new Authenticator("0123456789abcdef-key".getBytes(StandardCharsets.US_ASCII));
    private static final JoinMessage.Announce BASS = new JoinMessage.Announce(7, 10001, 6, "bass", "0.1.0",
            List.of("legacy", "timed/1"), "pi4j", "bass");

    private static DecodeResult<JoinMessage> decode(String s, Authenticator auth) {
        return JoinCodec.decode(s.getBytes(StandardCharsets.US_ASCII), auth);
    }

    @Test
    void announceHasTheDocumentedShape() {
        assertThat(new String(JoinCodec.encode(BASS, null), StandardCharsets.US_ASCII))
                .isEqualTo("A 7 10001 6 bass 0.1.0 legacy,timed/1 pi4j bass");
        assertThat(new String(JoinCodec.encode(new JoinMessage.Ack(7), null), StandardCharsets.US_ASCII))
                .isEqualTo("K 7");
    }

    @Test
    void roundTripsSignedAndUnsigned() {
        assertThat(JoinCodec.decode(JoinCodec.encode(BASS, null), null)).isEqualTo(DecodeResult.accepted(BASS));
        assertThat(JoinCodec.decode(JoinCodec.encode(BASS, KEY), KEY)).isEqualTo(DecodeResult.accepted(BASS));
        JoinMessage.Ack ack = new JoinMessage.Ack(4_294_967_295L);
        assertThat(JoinCodec.decode(JoinCodec.encode(ack, KEY), KEY)).isEqualTo(DecodeResult.accepted(ack));
    }

    @Test
    void noVoiceIsADash() {
        JoinMessage.Announce a = new JoinMessage.Announce(1, 5, 0, "p", "dev", List.of("legacy"), "null", "");
        assertThat(new String(JoinCodec.encode(a, null), StandardCharsets.US_ASCII)).endsWith(" null -");
        assertThat(JoinCodec.decode(JoinCodec.encode(a, null), null)).isEqualTo(DecodeResult.accepted(a));
        assertThat(a.isGoodbye()).isTrue();
    }

    @Test
    void aKeyedReceiverRejectsUnsignedAndForged() {
        assertThat(rejection(JoinCodec.decode(JoinCodec.encode(BASS, null), KEY))).isEqualTo(RejectReason.UNAUTHENTICATED);
        Authenticator other = new Authenticator("another-key-of-16-bytes".getBytes(StandardCharsets.US_ASCII));
        assertThat(rejection(JoinCodec.decode(JoinCodec.encode(BASS, other), KEY))).isEqualTo(RejectReason.FORGED);
        String signed = new String(JoinCodec.encode(BASS, KEY), StandardCharsets.US_ASCII);
        assertThat(rejection(decode(signed.replace("bass", "evil"), KEY))).isEqualTo(RejectReason.FORGED);
    }

    @Test
    void toleratesALineEnd() {
        assertThat(decode("K 3\r\n", null)).isEqualTo(DecodeResult.accepted(new JoinMessage.Ack(3)));
        assertThat(decode("A 1 10001 6 bass 0.1.0 legacy pi4j -\n", null)).isInstanceOf(DecodeResult.Accepted.class);
    }

    @Test
    void rejectsBadInputByReason() {
        assertThat(rejection(decode("", null))).isEqualTo(RejectReason.EMPTY);
        assertThat(rejection(decode("A 1 10001 6 bass", null))).isEqualTo(RejectReason.BAD_SYNTAX);
        assertThat(rejection(decode("A 1 0 6 bass 1 legacy x -", null))).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(rejection(decode("A 1 10001 601 bass 1 legacy x -", null))).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(rejection(decode("A 1 10001 6 ba/ss 1 legacy x -", null))).isEqualTo(RejectReason.BAD_SYNTAX);
        assertThat(rejection(decode("A 1 10001 6 bass 1 Legacy x -", null))).isEqualTo(RejectReason.BAD_SYNTAX);
        assertThat(rejection(decode("A 1  10001 6 bass 1 legacy x -", null))).isEqualTo(RejectReason.BAD_SYNTAX);
        assertThat(rejection(decode("K 99999999999", null))).isEqualTo(RejectReason.BAD_SYNTAX);
        assertThat(rejection(decode("K 4294967296", null))).isEqualTo(RejectReason.OUT_OF_RANGE);
        assertThat(rejection(decode("T 1 2 440 100", null))).isEqualTo(RejectReason.BAD_SYNTAX);
        assertThat(rejection(decode("K 1 ABCDEF0123456789", null))).isEqualTo(RejectReason.BAD_SYNTAX);
        assertThat(rejection(JoinCodec.decode(new byte[] {'K', ' ', (byte) 0xc3}, null))).isEqualTo(RejectReason.NOT_ASCII);
        assertThat(rejection(decode("A " + "1".repeat(300), null))).isEqualTo(RejectReason.TOO_LONG);
    }

    @Test
    void namesBecomeTokens() {
        assertThat(JoinCodec.toToken("player 1")).isEqualTo("player_1");
        assertThat(JoinCodec.toToken("")).isEqualTo("_");
        assertThat(JoinCodec.toToken("x".repeat(40))).hasSize(JoinCodec.MAX_TOKEN_CHARS);
        assertThatThrownBy(() -> new JoinMessage.Announce(1, 1, 1, "a b", "1", List.of("legacy"), "g", ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void versionsCompareByTheirNumbers() {
        assertThat(SoftwareVersion.compare("0.1.0-SNAPSHOT", "0.1.0")).isZero();
        assertThat(SoftwareVersion.compare("0.1.0", "0.2")).isNegative();
        assertThat(SoftwareVersion.compare("1.0", "0.9.9")).isPositive();
        assertThat(SoftwareVersion.compare(SoftwareVersion.UNKNOWN, "0.0.1")).isNegative();
        assertThat(JoinCodec.isToken(SoftwareVersion.current())).isTrue();
    }

    @Property
    void neverThrowsOnAnyBytes(@ForAll byte[] bytes) {
        assertThat(JoinCodec.decode(bytes, null)).isNotNull();
        assertThat(JoinCodec.decode(bytes, KEY)).isNotNull();
    }

    private static RejectReason rejection(DecodeResult<JoinMessage> r) {
        assertThat(r).isInstanceOf(DecodeResult.Rejected.class);
        return ((DecodeResult.Rejected<JoinMessage>) r).reason();
    }
}
