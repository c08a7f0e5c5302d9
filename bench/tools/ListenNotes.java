import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Note by note, one {@code listen} run's notes heard off their deadline: each note's onset in the
 * recording minus its deadline, less a line fitted through them all (the recording's offset and
 * rate), beside what the player logged for it (its scheduled instant minus the deadline; the instant
 * it says the tone sounded minus the scheduled one; "LATE": applied after its frame was due). For
 * BWV 846, whose voices never start together ({@code ListenChords} shows chords).
 *
 * <p>Run with the bench jar on the class path: {@code java -cp bench/target/bench-0.1.0-SNAPSHOT-all.jar
 * bench/tools/ListenNotes.java RESULTS/listen/bwv846-1 [min-ms]} (notes at least that far off; default 0.5).
 */
public final class ListenNotes {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        double min = a.length > 1 ? Double.parseDouble(a[1]) : 0.5;
        Class<?> wf = Class.forName("dev.concerto.bench.audio.WavFile");
        Path wavPath = dir.resolve("recording.wav");
        Object wav = wf.getMethod("read", Path.class).invoke(null, wavPath);
        float[] samples = (float[]) wf.getMethod("samples").invoke(wav);
        int rate = ((Number) wf.getMethod("sampleRate").invoke(wav)).intValue();
        long start = Files.getLastModifiedTime(wavPath).toMillis() * 1000 - (long) (samples.length * 1e6 / rate);
        Class<?> la = Class.forName("dev.concerto.bench.suites.ListenAnalysis");
        Method ns = la.getDeclaredMethod("noteStarts", Path.class); ns.setAccessible(true);
        @SuppressWarnings("unchecked") Map<String, long[]> starts = (Map<String, long[]>) ns.invoke(null, dir.resolve("director.events.jsonl"));
        Class<?> be = Class.forName("dev.concerto.protocol.signal.BandEnvelope");
        Class<?> ls = Class.forName("dev.concerto.bench.suites.ListenScores");
        java.lang.reflect.Field bf = ls.getDeclaredField("BANDS"); bf.setAccessible(true); Object bands = bf.get(null);
        String[] voices = {"p500", "p900", "p1300", "p1700"};
        ObjectMapper json = new ObjectMapper();
        List<double[]> rows = new ArrayList<>(); // deadline, err, player
        Map<Long, String> info = new HashMap<>();
        for (int p = 0; p < voices.length; p++) {
            if (!Files.exists(dir.resolve(voices[p] + ".events.jsonl"))) continue;
            Object band = java.lang.reflect.Array.get(bands, p);
            Method of = null, onsets = null;
            for (Method m : be.getMethods()) { if (m.getName().equals("of")) of = m; if (m.getName().equals("onsets")) onsets = m; }
            Object env = of.invoke(null, samples, rate, band, 0.008);
            double[] sec = (double[]) onsets.invoke(null, env, rate, 0.5, 0.1, 0.002);
            long[] d = starts.getOrDefault(voices[p], new long[0]);
            List<JsonNode> tones = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve(voices[p] + ".events.jsonl"))) {
                JsonNode n = json.readTree(line);
                if (n.path("event").asText().equals("tone") && n.path("hz").asDouble() > 0 && n.has("scheduled_t_us")) tones.add(n);
            }
            for (long dl : d) {
                double best = Double.NaN;
                for (double s : sec) { double o = start + s * 1e6; if (Math.abs(o - dl) <= 100_000 && (Double.isNaN(best) || Math.abs(o - dl) < Math.abs(best - dl))) best = o; }
                if (Double.isNaN(best)) continue;
                rows.add(new double[] {dl, best - dl, p});
                JsonNode t = null;
                for (JsonNode n : tones) { long s = n.path("scheduled_t_us").asLong(); if (Math.abs(s - dl) < 50_000 && (t == null || Math.abs(s - dl) < Math.abs(t.path("scheduled_t_us").asLong() - dl))) t = n; }
                info.put(dl * 10 + p, t == null ? "-" : String.format("sched-dl %+.3f sound-sched %+.3f %s", (t.path("scheduled_t_us").asLong() - dl) / 1000.0,
                        (t.path("sound_t_us").asLong() - t.path("scheduled_t_us").asLong()) / 1000.0, t.path("late").asBoolean() ? "LATE" : ""));
            }
        }
        // fit err = a + b (dl - first)
        double first = rows.stream().mapToDouble(r -> r[0]).min().orElse(0);
        double[] e = rows.stream().mapToDouble(r -> r[1]).sorted().toArray();
        double med = e[e.length / 2];
        double sx = 0, sy = 0, sxx = 0, sxy = 0; int n = 0;
        for (double[] r : rows) if (Math.abs(r[1] - med) < 5000) { double x = r[0] - first; sx += x; sy += r[1]; sxx += x * x; sxy += x * r[1]; n++; }
        double b = (n * sxy - sx * sy) / (n * sxx - sx * sx), a0 = (sy - b * sx) / n;
        rows.sort(Comparator.comparingDouble(r -> r[0]));
        System.out.printf("%s: %d notes, fit %+.0f ppm%n", dir, rows.size(), b * 1e6);
        for (double[] r : rows) {
            double res = (r[1] - a0 - b * (r[0] - first)) / 1000;
            if (Math.abs(res) >= min) System.out.printf("  %7.3f s %-5s %+6.2f ms  %s%n", (r[0] - first) / 1e6, voices[(int) r[2]], res, info.get((long) r[0] * 10 + (long) r[2]));
        }
    }
}
