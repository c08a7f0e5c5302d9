package dev.concerto.bench.suites;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The scores the {@code listen} suite plays. Every voice sounds one fixed frequency, its band
 * ({@link #BANDS}), so each player is found in its own band of one recording; every note starts
 * from silence, so each note has an onset to find.
 */
final class ListenScores {

    /** One band per player, far enough apart for the 8 ms envelope filter (±125 Hz). */
    static final double[] BANDS = {500, 900, 1300, 1700};
    /** The voice (and player) names, one per band. */
    static final List<String> VOICES = List.of("p500", "p900", "p1300", "p1700");

    private ListenScores() {
    }

    /**
     * Sync test: the first {@code players} voices together from silence, 0.25 s on, 0.25 s off,
     * {@code chords} times (240 BPM, 2 per measure).
     */
    static Path syncTest(Path file, int chords, int players) throws IOException {
        List<String> voiceNames = VOICES.subList(0, players);
        StringBuilder measures = new StringBuilder();
        for (int m = 0; m < chords / 2; m++) {
            measures.append(m == 0 ? "" : ",\n").append("        {");
            for (int v = 0; v < voiceNames.size(); v++) {
                measures.append(v == 0 ? "" : ", ").append('"').append(voiceNames.get(v)).append("\": \"")
                        .append(v).append(":1 r:1 ").append(v).append(":1 r:1\"");
            }
            measures.append('}');
        }
        return write(file, "Sync test: four voices together from silence", voiceNames, 240, measures);
    }

    /**
     * BWV 846's rhythm and voicing, heard one band per voice: the prelude's half-measure figure of mm.
     * 1-{@code measures} (bass on the 1st sixteenth, tenor on the 2nd, the arpeggio on the 3rd to
     * 8th) at its tempo (quarter = 66), each note a 1/64-note beep (57 ms) in its voice's band then
     * silence, so that every note of the piece has an onset. Three players: bass 500 Hz, tenor
     * 900 Hz, arpeggio 1300 Hz. No two voices start together: this score measures each note against
     * its deadline, not the spread of a chord.
     */
    static Path bwv846Rhythm(Path file, int measures) throws IOException {
        List<String> voiceNames = VOICES.subList(0, 3);
        String half = "\"" + voiceNames.get(0) + "\": \"%s\", \"" + voiceNames.get(1) + "\": \"%s\", \""
                + voiceNames.get(2) + "\": \"%s\"";
        String bass = "0:1/16 r:31/16";
        String tenor = "r:1/4 1:1/16 r:27/16";
        String arpeggio = "r:1/2" + " 2:1/16 r:3/16".repeat(6);
        StringBuilder body = new StringBuilder();
        for (int m = 0; m < measures; m++) {
            body.append(m == 0 ? "" : ",\n").append("        {")
                    .append(String.format(half, bass + " " + bass, tenor + " " + tenor, arpeggio + " " + arpeggio))
                    .append('}');
        }
        return write(file, "BWV 846, mm. 1-" + measures + ": rhythm and voicing, one band per voice", voiceNames, 66, body);
    }

    private static Path write(Path file, String title, List<String> voiceNames, int bpm, CharSequence measures)
            throws IOException {
        StringBuilder voices = new StringBuilder();
        for (String v : voiceNames) {
            voices.append(voices.length() == 0 ? "" : ", ").append("{\"name\": \"").append(v).append("\"}");
        }
        StringBuilder hz = new StringBuilder();
        for (int i = 0; i < voiceNames.size(); i++) {
            hz.append(i == 0 ? "" : ", ").append((int) BANDS[i]);
        }
        String json = "{\n  \"title\": \"" + title + "\",\n"
                + "  \"tuning\": {\"type\": \"list\", \"hz\": [" + hz + "]},\n"
                + "  \"tempo\": {\"bpm\": " + bpm + ", \"beatUnit\": 4},\n  \"meter\": \"4/4\",\n"
                + "  \"voices\": [" + voices + "],\n"
                + "  \"parts\": [{\"name\": \"listen\", \"measures\": [\n" + measures + "\n  ]}]\n}\n";
        Files.writeString(file, json);
        return file;
    }
}
