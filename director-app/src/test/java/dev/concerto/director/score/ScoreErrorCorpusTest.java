package dev.concerto.director.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Broken scores under src/test/resources/errors, each with its expected message in expected.tsv. */
class ScoreErrorCorpusTest {

    static Stream<Arguments> corpus() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String line : read("errors/expected.tsv").split("\n")) {
            if (!line.isBlank()) {
                String[] p = line.split("\t", 2);
                out.add(Arguments.of(p[0], p[1]));
            }
        }
        return out.stream();
    }

    static String read(String resource) throws IOException {
        try (InputStream in = ScoreErrorCorpusTest.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void failsWithItsMessage(String file, String expected) throws IOException {
        String text = read("errors/" + file);
        ScoreException e = catchThrowableOfType(ScoreException.class, () -> ScoreLoader.parse(text, "errors/" + file));
        assertThat(e).as("%s must fail", file).isNotNull();
        assertThat(e.getMessage()).isEqualTo(expected);
        assertThat(e.file()).isEqualTo("errors/" + file);
        assertThat(e.line()).as("line of %s", file).isPositive();
        assertThat(e.column()).as("column of %s", file).isPositive();
    }

    @Test
    void theCorpusIsLargeAndCoversTheIssuesCases() throws IOException {
        List<String> names = corpus().map(a -> (String) a.get()[0]).toList();
        assertThat(names).hasSizeGreaterThanOrEqualTo(20).contains("bad-json-missing-comma.json", "unknown-note-name.json",
                "index-outside-table.json", "figure-tone-missing.json", "negative-duration.json", "voice-never-used.json",
                "unknown-tuning.json");
    }

    @Test
    void loadNamesTheFileAsGiven() {
        Path missing = Path.of("no-such-dir", "nothing.json");
        assertThatThrownBy(() -> ScoreLoader.load(missing)).isInstanceOf(ScoreException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void fieldAndLocationAreExposed() throws IOException {
        ScoreException e = catchThrowableOfType(ScoreException.class,
                () -> ScoreLoader.parse(read("errors/unknown-note-name.json"), "x.json"));
        assertThat(e.field()).isEqualTo("parts[0].chords[0]");
        assertThat(e.line()).isEqualTo(10);
        assertThat(e.detail()).startsWith("unknown note name 'H4'");
    }
}
