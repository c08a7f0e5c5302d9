package dev.concerto.bench.suites;

import dev.concerto.bench.BenchContext;
import dev.concerto.bench.run.ManagedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A score's compiled timeline as {@code concerto score dump} prints it, and the tone changes it implies. */
record ScoreDump(Path csv, Map<String, List<double[]>> voices) {

    /** One audible change of one voice: at score time {@code seconds}, from one frequency to another (0 = silence). */
    record Change(String voice, double seconds, double fromHz, double toHz) {
    }

    static ScoreDump of(BenchContext ctx, Path score) throws IOException, InterruptedException {
        Path csv = ctx.file("timeline.csv");
        try (ManagedProcess dump = ManagedProcess.startJava("score dump", ctx.jar("director-app"), null, List.of(),
                List.of("score", "dump", score.toString()), csv)) {
            int rc = dump.awaitExit(Duration.ofSeconds(60));
            if (rc != 0) {
                throw new IOException("score dump " + score + " failed (" + rc + "): " + Files.readString(csv));
            }
        }
        Map<String, List<double[]>> voices = new LinkedHashMap<>();
        for (String line : Files.readAllLines(csv)) {
            String[] f = line.split(",");
            if (f.length == 4 && !f[1].equals("start_s")) {
                voices.computeIfAbsent(f[0], k -> new ArrayList<>())
                        .add(new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3])});
            }
        }
        return new ScoreDump(csv, voices);
    }

    /**
     * The audible changes of a voice under the engine's send rule (hz at a note's start; 0 at its
     * end unless the voice's next event starts by then), skipping sends that change nothing.
     */
    List<Change> changes(String voice) {
        List<double[]> notes = voices.getOrDefault(voice, List.of());
        List<Change> out = new ArrayList<>();
        double current = 0;
        for (int i = 0; i < notes.size(); i++) {
            double[] n = notes.get(i);
            double hz = Math.round(n[2]);
            if (hz != current) {
                out.add(new Change(voice, n[0], current, hz));
                current = hz;
            }
            double end = n[0] + n[1];
            boolean followed = i + 1 < notes.size() && notes.get(i + 1)[0] <= end + 1e-9;
            if (!followed && current != 0) {
                out.add(new Change(voice, end, current, 0));
                current = 0;
            }
        }
        return out;
    }
}
