package dev.concerto.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The MAC known-answer vectors of {@code timed/mac-vectors.json} (computed with Python's
 * {@code hmac}, not with this code), so this implementation and any other (the MicroPython
 * firmware) are checked against the same fixed answers.
 */
class MacVectorsTest {

    static Stream<Arguments> vectors() throws IOException {
        return cases("vectors");
    }

    static Stream<Arguments> rejected() throws IOException {
        return cases("rejected");
    }

    private static Stream<Arguments> cases(String section) throws IOException {
        JsonNode root;
        try (InputStream in = MacVectorsTest.class.getResourceAsStream("/timed/mac-vectors.json")) {
            root = new ObjectMapper().readTree(in);
        }
        List<Arguments> out = new ArrayList<>();
        for (JsonNode v : root.get(section)) {
            out.add(Arguments.of(v.get("name").asText(), v));
        }
        assertThat(out).isNotEmpty();
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void signsEachVectorAsExpected(String name, JsonNode v) {
        byte[] key = HexFormat.of().parseHex(v.get("key_hex").asText());
        String message = v.get("message").asText();
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        long signer = Long.parseLong(v.get("signer").asText(), 16);
        Authenticator auth = new Authenticator(key, signer);

        assertThat(auth.sign(bytes, 0, bytes.length)).isEqualTo(v.get("mac").asText());
        assertThat(message + " " + v.get("mac").asText()).isEqualTo(v.get("datagram").asText());

        byte[] datagram = v.get("datagram").asText().getBytes(StandardCharsets.US_ASCII);
        DecodeResult<TimedCodec.Envelope> r = TimedCodec.decodeSigned(datagram, 0, datagram.length, auth);
        assertThat(r).isInstanceOf(DecodeResult.Accepted.class);
        TimedCodec.Envelope e = ((DecodeResult.Accepted<TimedCodec.Envelope>) r).value();
        assertThat(e.signer()).isEqualTo(signer);
        assertThat(TimedCodecTest.describe(DecodeResult.accepted(e.message()))).isEqualTo(v.get("decodes_to").asText());
        // And our encoder writes exactly these bytes.
        assertThat(new String(TimedCodec.encode(e.message(), auth), StandardCharsets.US_ASCII))
                .isEqualTo(v.get("datagram").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsEachBadVectorForItsReason(String name, JsonNode v) {
        Authenticator auth = new Authenticator(HexFormat.of().parseHex(v.get("key_hex").asText()));
        byte[] datagram = v.get("datagram").asText().getBytes(StandardCharsets.US_ASCII);
        assertThat(TimedCodecTest.describe(TimedCodec.decode(datagram, auth))).isEqualTo(v.get("decodes_to").asText());
    }
}
