package dev.concerto.bench.suites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One audio-line correction a player logged ({@code "line-correction"} in its events file): the
 * audio it skipped (positive) or the silence it inserted (negative) to be back in time.
 *
 * @param tMicros when, epoch µs
 * @param shiftMs how much, ms
 */
record LineCorrection(long tMicros, double shiftMs) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The corrections in a player's events file, in the file's order. */
    static List<LineCorrection> read(Path events) throws IOException {
        List<LineCorrection> out = new ArrayList<>();
        for (String line : Files.readAllLines(events)) {
            if (!line.contains("line-correction")) {
                continue; // most lines are tones and packets: no need to parse them
            }
            JsonNode n = JSON.readTree(line);
            if ("line-correction".equals(n.path("event").asText())) {
                out.add(new LineCorrection(n.path("t_us").asLong(), n.path("shift_ms").asDouble()));
            }
        }
        return out;
    }
}
