package dev.concerto.director.score.musicxml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.concerto.director.score.ScoreCompiler;
import dev.concerto.director.score.ScoreLoader;
import dev.concerto.director.score.ShippedScores;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed {@code musescore3/} fixtures are what MuseScore 3 writes: when {@code mscore3} is on
 * the PATH (Debian package {@code musescore3}), this converts the sources again, headless, and
 * compares note by note (see {@code regenerate.sh}). {@code .ci/run} installs {@code musescore3}, so
 * CI always runs it; it is skipped only on a machine without the program, where the committed
 * fixtures are still tested by {@link MusicXmlImporterTest}.
 */
class MuseScoreFixturesTest {

    @TempDir
    static Path out;

    static String mscore;

    @BeforeAll
    static void findMuseScore() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "mscore3"))) {
                mscore = Path.of(dir, "mscore3").toString();
                return;
            }
        }
    }

    private static Path convert(Path in, String outName) throws Exception {
        Path target = out.resolve(outName);
        ProcessBuilder pb = new ProcessBuilder(mscore, "-o", target.toString(), in.toString())
                .redirectErrorStream(true).redirectOutput(out.resolve(outName + ".log").toFile());
        pb.environment().put("QT_QPA_PLATFORM", "offscreen");
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("mscore3 finished").isTrue();
        // mscore3 exits 0 even when its import complains, so the output itself is the check
        assertThat(target).as("mscore3 wrote " + outName + " (log: " + out.resolve(outName + ".log") + ")").exists();
        return target;
    }

    private static List<String> notes(Path p) throws Exception {
        return MusicXmlFixtures.notes(ScoreCompiler.compile(ScoreLoader.load(p)));
    }

    @Test
    void museScoreStillWritesWhatIsCommitted() throws Exception {
        assumeTrue(mscore != null, "mscore3 is not installed (Debian package musescore3)");
        List<String[]> pairs = new ArrayList<>();
        pairs.add(new String[] {ShippedScores.path("frere-jacques.mid").toString(), "frere-jacques.musicxml"});
        pairs.add(new String[] {ShippedScores.path("row-row-row-your-boat.musicxml").toString(), "row-row-row-your-boat.musicxml"});
        pairs.add(new String[] {ShippedScores.path("row-row-row-your-boat.musicxml").toString(), "row-row-row-your-boat.mxl"});
        for (String name : MusicXmlFixtures.HANDWRITTEN) {
            pairs.add(new String[] {MusicXmlFixtures.handwritten(name).toString(), name + ".musicxml"});
        }
        for (String[] pair : pairs) {
            Path fresh = convert(Path.of(pair[0]), pair[1]);
            assertThat(notes(fresh)).as(pair[1]).containsExactlyElementsOf(notes(MusicXmlFixtures.museScore(pair[1])));
        }
    }
}
