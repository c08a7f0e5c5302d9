package dev.concerto.director.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ScoreCommandTest {

    record Run(int code, String out, String err) {
    }

    static Path scores(String name) {
        Path dir = Files.isDirectory(Path.of("..", "scores")) ? Path.of("..", "scores") : Path.of("scores");
        return dir.resolve(name);
    }

    static Run run(String... args) {
        CommandLine cl = DirectorMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void checkPrintsTheSummary() {
        Run r = run("score", "check", scores("bwv846.json").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("title:    Prelude in C major, BWV 846")
                .contains("voices:   5: bass 67, tenor 67, arpeggio 413, alto (optional) 1, soprano (optional) 1")
                .contains("tuning:   equal, A4 = 440 Hz, A1..B5")
                .contains("duration: 127.273 s (140 beats, 35 measures)")
                .contains("notes:    549");
    }

    @Test
    void checkFailsWithTheLocatedMessage(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"title\": \"x\",\n \"tuning\": {\"type\": \"meantone\"}}");
        Run r = run("score", "check", bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().trim()).isEqualTo(bad + ":2:21: tuning.type: unknown tuning 'meantone' "
                + "(known: formula, list, equal, werckmeister3, kirnberger3, pythagorean, just)");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void dumpCsvPrintsTheWholePrelude() {
        Run r = run("score", "dump", scores("bwv846.json").toString());
        assertThat(r.code()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).isEqualTo("voice,start_s,duration_s,hz");
        assertThat(lines).hasSize(1 + 549);
        assertThat(lines[1]).isEqualTo("bass,0.000000,1.818182,261.625565");
        assertThat(lines[2]).isEqualTo("tenor,0.227273,1.590909,329.627557");
        assertThat(lines[lines.length - 1]).startsWith("soprano,123.636364,3.636364,523.25");
    }

    @Test
    void dumpJsonLinesAndStops() {
        Run r = run("score", "dump", "--format", "json", scores("bwv846-ting2017.json").toString());
        assertThat(r.code()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).isEqualTo("{\"voice\":\"bass\",\"start_s\":0.000000,\"duration_s\":1.600000,\"hz\":262}");
        assertThat(lines[8]).isEqualTo("{\"voice\":\"bass\",\"start_s\":1.600000,\"duration_s\":0.000000,\"hz\":0}");
        assertThat(lines).hasSize(256 + 32 * 4);
    }

    @Test
    void dumpReadsMidiWithASplit() {
        Run r = run("score", "dump", "--split", "track", scores("frere-jacques.mid").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out().split("\n")).hasSize(1 + 64);
        assertThat(r.out()).contains("track3,4.800000,0.600000,261.625565");
    }

    @Test
    void checkReportsUnplacedMidiNotes() {
        Run r = run("score", "check", "--players", "1", scores("frere-jacques.mid").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("voices:   1: voice1 42")
                .contains("unplaced: 22 notes (22 no free player)")
                .contains("  unplaced C4 (track 3, channel 2) at beat 8 (4.800 s): all 1 players are busy")
                .contains("  ... and 2 more (--all lists every one)");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("score", "dump", "--format", "xml", "x.json").code()).isEqualTo(2);
        assertThat(run("score", "check").code()).isEqualTo(2);
        assertThat(run("score", "check", "--split", "sideways", scores("frere-jacques.mid").toString()).code()).isEqualTo(2);
        assertThat(run("score", "check", "--help").out()).contains("--split").contains("--players");
    }
}
