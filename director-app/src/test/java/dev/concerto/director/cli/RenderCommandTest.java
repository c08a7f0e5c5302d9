package dev.concerto.director.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code render}'s tempo and roster checks: the score's own tempo is never blamed on --tempo. */
class RenderCommandTest {

    @TempDir
    Path dir;

    /** One short note at 0.5 bpm: 0.01 beats last 1.2 s. */
    private Path slowScore() throws Exception {
        Path f = dir.resolve("slow.json");
        Files.writeString(f, MalformedInputTest.SCORE.replace("\"bpm\": 120", "\"bpm\": 0.5")
                .replace("{\"start\": 0, \"duration\": 1, \"note\": \"A4\"},", "")
                .replace("{\"start\": 1, \"duration\": 1, \"note\": \"C4\"}", "{\"start\": 0, \"duration\": 0.01, \"note\": \"C4\"}"));
        return f;
    }

    @Test
    void aValidHalfBpmScoreRendersWithoutATempoOption() throws Exception {
        // It used to fail with "--tempo 0.5 is outside 1.0..2000.0", a --tempo never given.
        Path wav = dir.resolve("slow.wav");
        ScoreCommandTest.Run r = ScoreCommandTest.run("render", slowScore().toString(), wav.toString(), "--sample-rate", "8000");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + wav).contains("s of audio");
    }

    @Test
    void onlyAGivenTempoIsBlamed() throws Exception {
        ScoreCommandTest.Run r = ScoreCommandTest.run("render", slowScore().toString(), dir.resolve("x.wav").toString(),
                "--tempo", "5000");
        assertThat(r.code()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(r.err().strip()).isEqualTo("concerto render: --tempo 5000.0 is outside 0.1..2000 bpm");
        assertThat(dir.resolve("x.wav")).doesNotExist();
    }

    @Test
    void aRosterPlayerWithoutAVoiceOfTheScoreIsAnError() throws Exception {
        Path roster = dir.resolve("r.json");
        Files.writeString(roster, "{\"players\": [{\"name\": \"a\", \"host\": \"127.0.0.1\", \"voice\": \"host4\"}]}");
        ScoreCommandTest.Run r = ScoreCommandTest.run("render", slowScore().toString(), dir.resolve("x.wav").toString(),
                "--roster", roster.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err().strip()).isEqualTo("concerto render: " + roster + ": players[0].voice: 't' has no voice 'host4' (it has v)");
    }
}
