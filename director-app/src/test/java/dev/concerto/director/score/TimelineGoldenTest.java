package dev.concerto.director.score;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped score compiles to exactly the timeline recorded in {@code src/test/resources/golden}
 * (every double written with {@link Double#toString}, so a difference in the last bit shows). The
 * files were recorded from the compiler before it was split into one class per notation; a change
 * to them is a change of behaviour and needs a reason in the commit.
 *
 * <p>To record them again after a deliberate change: run this test with
 * {@code -Dgolden.update=true}, then review the diff.
 */
class TimelineGoldenTest {

    static Stream<String> scores() {
        return Stream.of("bwv846.json", "bwv846-ting2017.json", "pachelbel-canon.json", "ode-to-joy.json",
                "frere-jacques.mid");
    }

    /** The whole timeline as text, one note per line, exact doubles. */
    static String render(Timeline t) {
        StringBuilder b = new StringBuilder();
        b.append("title\t").append(t.title()).append('\n');
        b.append("composer\t").append(t.composer()).append('\n');
        b.append("bpm\t").append(t.bpm()).append('\n');
        b.append("total\t").append(t.totalSeconds()).append('\t').append(t.totalBeats()).append('\n');
        for (int m = 0; m < t.measureCount(); m++) {
            b.append("measure\t").append(m + 1).append('\t').append(t.measureStartSeconds().get(m)).append('\t')
                    .append(t.measureStartBeats().get(m)).append('\n');
        }
        for (VoiceTimeline v : t.voices()) {
            b.append("voice\t").append(v.name()).append(v.optional() ? "\toptional" : "").append('\n');
            for (TimedNote n : v.notes()) {
                b.append(n.startSeconds()).append('\t').append(n.durationSeconds()).append('\t')
                        .append(n.startBeats()).append('\t').append(n.durationBeats()).append('\t')
                        .append(n.hz()).append('\t').append(n.name()).append('\n');
            }
        }
        return b.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scores")
    void compilesToTheRecordedTimeline(String score) throws Exception {
        String got = render(Scores.loadTimeline(ShippedScores.path(score)));
        String resource = "golden/" + score + ".timeline.tsv";
        if (Boolean.getBoolean("golden.update")) {
            Path out = Path.of("src", "test", "resources", resource);
            Files.createDirectories(out.getParent());
            Files.writeString(out, got, StandardCharsets.UTF_8);
        }
        assertThat(got).isEqualTo(read(resource));
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = TimelineGoldenTest.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IOException("missing golden file " + resource + " (record it with -Dgolden.update=true)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
