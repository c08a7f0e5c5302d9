package dev.concerto.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LegacyCodecTest {

    static Stream<Arguments> golden() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (var in = LegacyCodecTest.class.getResourceAsStream("/legacy/golden.tsv");
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                cases.add(Arguments.of(f[2], HexFormat.of().parseHex(f[0]), f[1]));
            }
        }
        assertThat(cases).hasSizeGreaterThan(30);
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void decodesGoldenDatagrams(String what, byte[] datagram, String expected) {
        DecodeResult<ToneCommand> result = LegacyCodec.decode(datagram);
        if (expected.startsWith("reject:")) {
            assertThat(result).isInstanceOfSatisfying(DecodeResult.Rejected.class, r -> {
                assertThat(r.reason().key()).isEqualTo(expected.substring("reject:".length()));
                assertThat(r.detail()).isNotBlank();
            });
        } else {
            assertThat(result).isEqualTo(DecodeResult.accepted(new ToneCommand(Integer.parseInt(expected))));
        }
    }

    @Test
    void acceptsExactlyWhatTheAncestorsDirectorSends() {
        // seed 000: s.sendto(str.encode(str(freq)), host) for every entry of its tone table, and 0.
        for (int hz : ToneTable.ancestor()) {
            byte[] sent = String.valueOf(hz).getBytes(StandardCharsets.UTF_8);
            assertThat(LegacyCodec.decode(sent)).isEqualTo(DecodeResult.accepted(new ToneCommand(hz)));
        }
        assertThat(LegacyCodec.decode("0".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(DecodeResult.accepted(ToneCommand.SILENCE));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 9, 10, 55, 262, 988, 1000, 9999, 10000, 20000})
    void encodesCanonicalDigits(int hz) {
        byte[] bytes = LegacyCodec.encode(hz);
        assertThat(new String(bytes, StandardCharsets.US_ASCII)).isEqualTo(Integer.toString(hz));
        byte[] dst = new byte[8];
        int n = LegacyCodec.encode(hz, dst, 2);
        assertThat(java.util.Arrays.copyOfRange(dst, 2, 2 + n)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 20001, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void refusesToEncodeOutOfRange(int hz) {
        assertThatThrownBy(() -> LegacyCodec.encode(hz)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Integer.toString(hz));
    }

    @Test
    void decodesASliceOfALargerBuffer() {
        byte[] buf = "xx440yy".getBytes(StandardCharsets.US_ASCII);
        assertThat(LegacyCodec.decode(buf, 2, 3)).isEqualTo(DecodeResult.accepted(new ToneCommand(440)));
    }

    @Test
    void nullIsEmptyNotAnException() {
        assertThat(LegacyCodec.decode(null)).isInstanceOf(DecodeResult.Rejected.class);
    }

    @Test
    void rejectionDetailEscapesControlBytes() {
        var r = (DecodeResult.Rejected<ToneCommand>) LegacyCodec.decode(new byte[] {'4', 0, '0'});
        assertThat(r.detail()).contains("4\\x000");
    }
}
