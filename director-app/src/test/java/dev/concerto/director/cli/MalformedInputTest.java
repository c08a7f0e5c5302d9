package dev.concerto.director.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.concerto.director.session.EngineBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed scores and rosters, table-driven: each kind of mistake with the exact message and exit
 * code of {@code score check} and {@code play} (real command lines, run in this JVM), and
 * {@code render} and the GUI's loader giving the same message. Nothing is sent: every file here fails before a socket opens (a
 * roster's players are at 127.0.0.1:9 in case one ever did not); the few accepted files are shown to
 * load by {@code play --from 99}, which stops at the measure check after loading.
 *
 * <p>The expected lines are in {@code src/test/resources/malformed/*.tsv} ({@code $DIR} stands for
 * the temporary directory). After a deliberate change of a message, run with
 * {@code -Dmalformed.update=true} to rewrite them, and review the diff.
 */
class MalformedInputTest {

    /** A valid score: one voice "v", two notes. */
    static final String SCORE = """
            {
              "title": "t",
              "tuning": {"type": "equal"},
              "tempo": {"bpm": 120},
              "voices": [{"name": "v"}],
              "parts": [{"events": {"v": [
                {"start": 0, "duration": 1, "note": "A4"},
                {"start": 1, "duration": 1, "note": "C4"}
              ]}}]
            }
            """;

    /** A score with one field's value replaced: {@code with("\"bpm\": 120", "\"bpm\": 1e-9")}. */
    static String with(String find, String replace) {
        if (!SCORE.contains(find)) {
            throw new IllegalArgumentException(find);
        }
        return SCORE.replace(find, replace);
    }

    static String events(String events) {
        return with("""
                {"start": 0, "duration": 1, "note": "A4"},
                    {"start": 1, "duration": 1, "note": "C4"}""", events);
    }

    static final Map<String, Object> SCORES = new LinkedHashMap<>();
    static final Map<String, String> ROSTERS = new LinkedHashMap<>();

    static {
        // Files that are not a score at all.
        SCORES.put("truncated", SCORE.substring(0, SCORE.indexOf("\"voices\"") + 12));
        SCORES.put("empty", "");
        SCORES.put("whitespace-only", " \n\t\n");
        SCORES.put("missing", null);
        SCORES.put("directory", Kind.DIRECTORY);
        SCORES.put("not-utf8", with("\"title\": \"t\"", "\"title\": \"Caf\u00e9\"").getBytes(StandardCharsets.ISO_8859_1));
        SCORES.put("bom-truncated", "\uFEFF" + SCORE.substring(0, 40));
        SCORES.put("deep-nesting", events("{\"start\": 0, \"duration\": " + "[".repeat(5000) + "]".repeat(5000)
                + ", \"note\": \"A4\"}"));
        SCORES.put("huge-50mb", Kind.HUGE);
        SCORES.put("huge-number", with("\"bpm\": 120", "\"bpm\": 1" + "0".repeat(1200)));
        SCORES.put("not-an-object", "[1, 2, 3]");
        SCORES.put("json-null", "null");
        SCORES.put("duplicate-key", with("\"title\": \"t\",", "\"title\": \"t\", \"title\": \"u\","));
        SCORES.put("trailing-text", SCORE + "}");
        SCORES.put("nan-literal", events("{\"start\": 0, \"duration\": NaN, \"note\": \"A4\"}"));
        // Wrong JSON types.
        SCORES.put("title-number", with("\"title\": \"t\"", "\"title\": 42"));
        SCORES.put("tuning-string", with("{\"type\": \"equal\"}", "\"equal\""));
        SCORES.put("voices-object", with("[{\"name\": \"v\"}]", "{\"name\": \"v\"}"));
        SCORES.put("beatunit-string", with("{\"bpm\": 120}", "{\"bpm\": 120, \"beatUnit\": \"4\"}"));
        SCORES.put("beatunit-fraction", with("{\"bpm\": 120}", "{\"bpm\": 120, \"beatUnit\": 4.5}"));
        SCORES.put("bpm-string", with("\"bpm\": 120", "\"bpm\": \"fast\""));
        SCORES.put("optional-string", with("{\"name\": \"v\"}", "{\"name\": \"v\", \"optional\": \"yes\"}"));
        SCORES.put("note-boolean", events("{\"start\": 0, \"duration\": 1, \"note\": true}"));
        // Unknown names.
        SCORES.put("unknown-field", with("\"title\": \"t\",", "\"title\": \"t\", \"tempoo\": 1,"));
        SCORES.put("unknown-tuning", with("\"equal\"", "\"meantone\""));
        SCORES.put("unknown-note", events("{\"start\": 0, \"duration\": 1, \"note\": \"H4\"}"));
        SCORES.put("unknown-voice", with("{\"events\": {\"v\"", "{\"events\": {\"alto\""));
        SCORES.put("unknown-figure", with("{\"events\": {\"v\": [", "{\"figure\": \"f\", \"chords\": [\"C4\"]}, {\"events\": {\"v\": ["));
        SCORES.put("index-outside-table", events("{\"start\": 0, \"duration\": 1, \"note\": 500}"));
        // Durations.
        SCORES.put("negative-duration", events("{\"start\": 0, \"duration\": -1, \"note\": \"A4\"}"));
        SCORES.put("nan-duration", events("{\"start\": 0, \"duration\": \"NaN\", \"note\": \"A4\"}"));
        SCORES.put("infinite-duration", events("{\"start\": 0, \"duration\": 1e400, \"note\": \"A4\"}"));
        SCORES.put("below-grid-duration", events("{\"start\": 0, \"duration\": 1e-12, \"note\": \"A4\"}"));
        SCORES.put("zero-token", with("{\"events\": {\"v\": [", "{\"measures\": [{\"v\": \"A4:0\"}]}, {\"events\": {\"v\": ["));
        SCORES.put("overlap", events("{\"start\": 0, \"duration\": 2, \"note\": \"A4\"}, {\"start\": 1, \"duration\": 1, \"note\": \"C4\"}"));
        // Voices and parts.
        SCORES.put("empty-voices", with("[{\"name\": \"v\"}]", "[]"));
        SCORES.put("voice-never-used", with("[{\"name\": \"v\"}]", "[{\"name\": \"v\"}, {\"name\": \"bass\"}]"));
        SCORES.put("duplicate-voice", with("[{\"name\": \"v\"}]", "[{\"name\": \"v\"}, {\"name\": \"v\"}]"));
        SCORES.put("empty-parts", SCORE.substring(0, SCORE.indexOf("\"parts\"")) + "\"parts\": []\n}\n");
        // Tempi, by bpm, dt and changes.
        SCORES.put("bpm-huge", with("\"bpm\": 120", "\"bpm\": 1e308"));
        SCORES.put("bpm-tiny", with("\"bpm\": 120", "\"bpm\": 1e-9"));
        SCORES.put("bpm-negative", with("\"bpm\": 120", "\"bpm\": -60"));
        SCORES.put("dt-tiny-step", with("\"bpm\": 120", "\"dt\": 1e-12"));
        SCORES.put("dt-huge-step", with("\"bpm\": 120", "\"dt\": 1e6"));
        SCORES.put("change-huge", with("\"bpm\": 120", "\"bpm\": 120, \"changes\": [{\"beat\": 1, \"bpm\": 1e9}]"));
        SCORES.put("change-tiny", with("\"bpm\": 120", "\"bpm\": 120, \"changes\": [{\"beat\": 1, \"bpm\": 0.001}]"));
        SCORES.put("change-out-of-order", with("\"bpm\": 120", "\"bpm\": 120, \"changes\": [{\"beat\": 2, \"bpm\": 60}, "
                + "{\"beat\": 1, \"bpm\": 90}]"));
        // Tone tables whose used tones a player cannot sound.
        SCORES.put("reference-44000", with("{\"type\": \"equal\"}", "{\"type\": \"equal\", \"referenceHz\": 44000}"));
        SCORES.put("reference-0.001", with("{\"type\": \"equal\"}", "{\"type\": \"equal\", \"referenceHz\": 0.001}"));
        SCORES.put("list-0.3hz", with("{\"type\": \"equal\"}", "{\"type\": \"list\", \"hz\": [0.3, 440]}")
                .replace("\"A4\"}", "1}").replace("\"C4\"}", "0}"));
        SCORES.put("list-30000hz", with("{\"type\": \"equal\"}", "{\"type\": \"list\", \"hz\": [440, 30000]}")
                .replace("\"A4\"}", "0}").replace("\"C4\"}", "1}"));
        SCORES.put("formula-rounds-to-0", with("{\"type\": \"equal\"}", "{\"type\": \"formula\", \"baseHz\": 0.3, \"count\": 2}")
                .replace("\"A4\"}", "0}").replace("\"C4\"}", "1}"));
        SCORES.put("list-too-long", with("{\"type\": \"equal\"}", "{\"type\": \"list\", \"hz\": [" + "440, ".repeat(1000) + "440]}")
                .replace("\"A4\"}", "0}").replace("\"C4\"}", "1}"));
        // Accepted (the expected line is the first line of check's output).
        SCORES.put("ok-bom", "\uFEFF" + SCORE);
        SCORES.put("ok-half-bpm", with("\"bpm\": 120", "\"bpm\": 0.5"));
        SCORES.put("ok-dt-ancestor", with("\"bpm\": 120", "\"dt\": 0.025"));

        // Rosters, played with the valid score (voice "v").
        String p = "{\"name\": \"a\", \"host\": \"127.0.0.1\", \"port\": 9, \"voice\": \"v\"}";
        ROSTERS.put("unknown-protocol", "{\"players\": [" + p.replace("\"port\": 9", "\"port\": 9, \"protocol\": \"nmea\"") + "]}");
        ROSTERS.put("port-0", "{\"players\": [" + p.replace("\"port\": 9", "\"port\": 0") + "]}");
        ROSTERS.put("port-70000", "{\"players\": [" + p.replace("\"port\": 9", "\"port\": 70000") + "]}");
        ROSTERS.put("port-negative", "{\"players\": [" + p.replace("\"port\": 9", "\"port\": -1") + "]}");
        ROSTERS.put("port-string", "{\"players\": [" + p.replace("\"port\": 9", "\"port\": \"10001\"") + "]}");
        ROSTERS.put("port-fraction", "{\"players\": [" + p.replace("\"port\": 9", "\"port\": 9.5") + "]}");
        ROSTERS.put("unresolvable-host", "{\"players\": [" + p.replace("127.0.0.1", "nosuch.invalid") + "]}");
        ROSTERS.put("host-with-space", "{\"players\": [" + p.replace("127.0.0.1", "my pi") + "]}");
        ROSTERS.put("ipv4-out-of-range", "{\"players\": [" + p.replace("127.0.0.1", "127.0.0.300") + "]}");
        ROSTERS.put("duplicate-endpoint", "{\"players\": [" + p + ", " + p.replace("\"a\"", "\"b\"") + "]}");
        ROSTERS.put("duplicate-endpoint-resolved", "{\"players\": [" + p + ", "
                + p.replace("\"a\"", "\"b\"").replace("127.0.0.1", "::ffff:127.0.0.1") + "]}");
        ROSTERS.put("duplicate-name", "{\"players\": [" + p + ", " + p.replace("\"port\": 9", "\"port\": 7") + "]}");
        ROSTERS.put("unknown-voice", "{\"players\": [" + p.replace("\"voice\": \"v\"", "\"voice\": \"host4\"") + "]}");
        ROSTERS.put("empty-list", "{\"players\": []}");
        ROSTERS.put("players-missing", "{}");
        ROSTERS.put("not-an-object", "[" + p + "]");
        ROSTERS.put("name-missing", "{\"players\": [" + p.replace("\"name\": \"a\", ", "") + "]}");
        ROSTERS.put("unknown-field", "{\"players\": [" + p.replace("\"voice\"", "\"vioce\"") + "]}");
        ROSTERS.put("latency-on-legacy", "{\"players\": [" + p.replace("\"port\": 9", "\"port\": 9, \"latencyOffsetMs\": -40") + "]}");
        ROSTERS.put("latency-too-large", "{\"players\": [" + p.replace("\"port\": 9", "\"port\": 9, \"protocol\": \"timed\", "
                + "\"latencyOffsetMs\": 9000") + "]}");
        ROSTERS.put("truncated", "{\"players\": [" + p.substring(0, 30));
        ROSTERS.put("empty", "");
        ROSTERS.put("missing", null);
        ROSTERS.put("directory", "/");
    }

    enum Kind { DIRECTORY, HUGE }

    static Path dir;

    @BeforeAll
    static void makeDirectory() throws IOException {
        dir = Files.createTempDirectory("malformed");
    }

    @AfterAll
    static void removeDirectory() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Writes a score case: text, bytes, a directory, a 50 MB file, or nothing (a missing file). */
    static Path scoreFile(String name) throws IOException {
        Object content = SCORES.get(name);
        Path f = dir.resolve(name + ".json");
        if (content == Kind.DIRECTORY) {
            Files.createDirectories(f);
        } else if (content == Kind.HUGE) {
            writeHuge(f);
        } else if (content instanceof byte[] b) {
            Files.write(f, b);
        } else if (content instanceof String s) {
            Files.writeString(f, s, StandardCharsets.UTF_8);
        }
        return f;
    }

    /** A 50 MB score: a valid score whose description is one 50 MB string (generated, never committed). */
    static void writeHuge(Path f) throws IOException {
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write("{\n  \"title\": \"t\",\n  \"description\": \"".getBytes(StandardCharsets.US_ASCII));
            byte[] block = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 50; i++) {
                out.write(block);
            }
            out.write(("\",\n" + SCORE.substring(SCORE.indexOf("\"tuning\""))).getBytes(StandardCharsets.US_ASCII));
        }
    }

    static Path rosterFile(String name) throws IOException {
        String content = ROSTERS.get(name);
        if ("/".equals(content)) {
            return Files.createDirectories(dir.resolve("roster-" + name));
        }
        Path f = dir.resolve("roster-" + name + ".json");
        if (content != null) {
            Files.writeString(f, content, StandardCharsets.UTF_8);
        }
        return f;
    }

    static Path validScore() throws IOException {
        Path f = dir.resolve("valid.json");
        Files.writeString(f, SCORE);
        return f;
    }

    static Stream<Arguments> scoreCases() throws IOException {
        return expected("scores.tsv", SCORES.keySet());
    }

    static Stream<Arguments> rosterCases() throws IOException {
        return expected("rosters.tsv", ROSTERS.keySet());
    }

    /** Rows of name, exit code, message; every case has a row (or, while updating, a placeholder). */
    static Stream<Arguments> expected(String table, Iterable<String> names) throws IOException {
        Map<String, String[]> rows = new LinkedHashMap<>();
        try (InputStream in = MalformedInputTest.class.getResourceAsStream("/malformed/" + table)) {
            if (in != null) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        String[] p = line.split("\t", 3);
                        rows.put(p[0], p);
                    }
                }
            }
        }
        List<Arguments> out = new ArrayList<>();
        for (String name : names) {
            String[] row = rows.getOrDefault(name, new String[] {name, "-1", "(no expected line yet)"});
            out.add(Arguments.of(name, Integer.parseInt(row[1]), row[2]));
        }
        return out.stream();
    }

    static String normalise(String text) {
        return text.replace(dir.toString(), "$DIR").strip();
    }

    static final Map<String, String> UPDATES = new LinkedHashMap<>();

    static boolean updating() {
        return Boolean.getBoolean("malformed.update");
    }

    @ParameterizedTest(name = "score {0}")
    @MethodSource("scoreCases")
    void checkPlayRenderAndTheGuiRejectAScoreAlike(String name, int exitCode, String message) throws Exception {
        Path f = scoreFile(name);
        ScoreCommandTest.Run check = ScoreCommandTest.run("score", "check", f.toString());
        String got = normalise(check.code() == 0 ? check.out().lines().findFirst().orElse("") : check.err());
        if (updating()) {
            UPDATES.put("scores.tsv/" + name, name + "\t" + check.code() + "\t" + got);
        } else {
            assertThat(check.code()).as("exit code of check").isEqualTo(exitCode);
            assertThat(got).isEqualTo(message);
        }
        Path roster = rosterFile("ok-for-" + name, "{\"players\": [{\"name\": \"a\", \"host\": \"127.0.0.1\", \"port\": 9, \"voice\": \"v\"}]}");
        if (check.code() == 0) {
            // Accepted: play loads it too, and stops at the measure check before sending anything.
            ScoreCommandTest.Run play = ScoreCommandTest.run("play", f.toString(), "--roster", roster.toString(), "--from", "99");
            assertThat(play.code()).isEqualTo(ExitCodes.ENVIRONMENT);
            assertThat(play.err()).contains("--from 99 is outside the score's measures");
            return;
        }
        ScoreCommandTest.Run play = ScoreCommandTest.run("play", f.toString(), "--roster", roster.toString(), "--tempo", "2000");
        assertThat(play.code()).as("exit code of play").isEqualTo(check.code());
        assertThat(normalise(play.err())).as("play's message").isEqualTo("concerto play: " + normalise(check.err()));
        ScoreCommandTest.Run render = ScoreCommandTest.run("render", f.toString(), dir.resolve(name + ".wav").toString());
        assertThat(render.code()).as("exit code of render").isEqualTo(check.code());
        assertThat(normalise(render.err())).as("render's message").isEqualTo("concerto render: " + normalise(check.err()));
        Throwable gui = catchThrowable(() -> new EngineBackend().loadScore(f));
        assertThat(gui).as("the GUI's loader").isNotNull();
        assertThat(normalise(gui.getMessage())).as("the GUI's message").isEqualTo(normalise(check.err()));
    }

    static Path rosterFile(String name, String content) throws IOException {
        Path f = dir.resolve("roster-" + name + ".json");
        Files.writeString(f, content);
        return f;
    }

    @ParameterizedTest(name = "roster {0}")
    @MethodSource("rosterCases")
    void playAndTheGuiRejectARosterAlike(String name, int exitCode, String message) throws Exception {
        Path roster = rosterFile(name);
        ScoreCommandTest.Run play = ScoreCommandTest.run("play", validScore().toString(), "--roster", roster.toString(),
                "--tempo", "2000");
        String got = normalise(play.err());
        if (updating()) {
            UPDATES.put("rosters.tsv/" + name, name + "\t" + play.code() + "\t" + got);
            return;
        }
        assertThat(play.code()).as("exit code of play").isEqualTo(exitCode);
        assertThat(got).isEqualTo(message);
        if (!name.startsWith("unresolvable") && !name.equals("unknown-voice") && !name.equals("duplicate-endpoint-resolved")) {
            // The GUI reads roster files with the same loader (hosts are resolved, and voices
            // matched, when it plays).
            Throwable gui = catchThrowable(() -> new EngineBackend().loadRoster(roster));
            assertThat(gui).as("the GUI's loader").isNotNull();
            assertThat("concerto play: " + normalise(gui.getMessage())).isEqualTo(message);
        }
    }

    @Test
    void theTableCoversTheIssuesKinds() {
        assertThat(SCORES.keySet().stream().filter(k -> !k.startsWith("ok-"))).hasSizeGreaterThanOrEqualTo(41);
        assertThat(ROSTERS).hasSizeGreaterThanOrEqualTo(18);
    }

    @AfterAll
    static void writeUpdates() throws IOException {
        if (!updating()) {
            return;
        }
        for (String table : List.of("scores.tsv", "rosters.tsv")) {
            StringBuilder b = new StringBuilder();
            UPDATES.forEach((k, v) -> {
                if (k.startsWith(table + "/")) {
                    b.append(v).append('\n');
                }
            });
            if (b.length() > 0) {
                Path out = Path.of("src", "test", "resources", "malformed", table);
                Files.createDirectories(out.getParent());
                Files.writeString(out, b.toString());
            }
        }
    }
}
