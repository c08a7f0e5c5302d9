import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chord by chord, what one {@code listen} run's recording heard and why: for each chord, each
 * player's onset against the deadline (after the run's recording offset and the recording's rate,
 * ms), beside what that player itself logged for the tone (its scheduled instant minus the
 * director's deadline: the director's estimate of its clock; the instant it says the tone sounded
 * minus the scheduled one: the line's map; "L": applied after its frame was due) and every
 * {@code line-correction} of any player from 600 ms before to 300 ms after the chord. A chord heard
 * wide with every player correcting at the same instant is a stall of every line at once; one
 * player off with its scheduled instant off by as much is its clock estimate; one player off with a
 * correction of its own is its line.
 *
 * <p>Uses the suite's own analysis ({@code ListenAnalysis.analyse}, reached by reflection: it is
 * package-private). The recording's start is taken as the WAV file's time minus its length (the
 * suite keeps it in memory only); the offset search absorbs the difference.
 *
 * <p>Run with the bench jar on the class path and a run directory of {@code --out}:
 * {@code java -cp bench/target/bench-0.1.0-SNAPSHOT-all.jar bench/tools/ListenChords.java
 * RESULTS/listen/timed-1 [min-spread-ms]} (chords at least that wide; default 0: all).
 */
public final class ListenChords {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] VOICES = {"p500", "p900", "p1300", "p1700"};

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        double minSpread = args.length > 1 ? Double.parseDouble(args[1]) : 0;
        Path wavPath = dir.resolve("recording.wav");
        Class<?> wavFile = Class.forName("dev.concerto.bench.audio.WavFile");
        Object wav = wavFile.getMethod("read", Path.class).invoke(null, wavPath);
        float[] samples = (float[]) wavFile.getMethod("samples").invoke(wav);
        int rate = ((Number) wavFile.getMethod("sampleRate").invoke(wav)).intValue();
        long start = Files.getLastModifiedTime(wavPath).toMillis() * 1000 - (long) (samples.length * 1e6 / rate);
        List<String> voices = new ArrayList<>();
        for (String v : VOICES) {
            if (Files.exists(dir.resolve(v + ".events.jsonl"))) {
                voices.add(v);
            }
        }
        Method analyse = null;
        for (Method m : Class.forName("dev.concerto.bench.suites.ListenAnalysis").getDeclaredMethods()) {
            if (m.getName().equals("analyse")) {
                analyse = m;
            }
        }
        analyse.setAccessible(true);
        Object run = analyse.invoke(null, dir.getFileName().toString(), "timed", wav, start,
                dir.resolve("director.events.jsonl"), dir, voices);
        double offsetMs = (double) get(run, "offsetMs");
        double ppm = (double) get(run, "recordingPpm");
        long first = (long) get(run, "firstDeadlineMicros");
        @SuppressWarnings("unchecked") List<Double> times = (List<Double>) get(run, "chordTimes");
        @SuppressWarnings("unchecked") List<Double> spreads = (List<Double>) get(run, "chordSpreads");
        @SuppressWarnings("unchecked") List<double[]> onsets = (List<double[]>) get(run, "chordOnsets");
        Map<String, List<JsonNode>> tones = new HashMap<>();
        Map<String, List<JsonNode>> corrections = new HashMap<>();
        for (String v : voices) {
            List<JsonNode> t = new ArrayList<>();
            List<JsonNode> c = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve(v + ".events.jsonl"))) {
                JsonNode n = JSON.readTree(line);
                switch (n.path("event").asText()) {
                    case "tone" -> t.add(n);
                    case "line-correction" -> c.add(n);
                    default -> { }
                }
            }
            tones.put(v, t);
            corrections.put(v, c);
        }
        System.out.printf("%s: recording offset %.1f ms, recording's clock %+.0f ppm%n", dir, offsetMs, ppm);
        StringBuilder head = new StringBuilder("  t (s)  spread |");
        for (String v : voices) {
            head.append(String.format(" %-6s heard sched-dl sound-sched |", v));
        }
        System.out.println(head + " corrections (player@ms from the chord: ms skipped)");
        for (int i = 0; i < times.size(); i++) {
            if (spreads.get(i) < minSpread) {
                continue;
            }
            long deadline = first + Math.round(times.get(i) * 1e6);
            StringBuilder row = new StringBuilder(String.format("%7.2f %7.2f |", times.get(i), spreads.get(i)));
            for (int p = 0; p < voices.size(); p++) {
                JsonNode tone = nearestStart(tones.get(voices.get(p)), deadline);
                double heard = onsets.get(i)[p] - offsetMs - ppm * 1e-6 * times.get(i) * 1000;
                row.append(tone == null ? String.format(" %+12.2f %-19s|", heard, "-")
                        : String.format(" %+12.2f %+8.2f %+8.2f %s |", heard,
                                (tone.path("scheduled_t_us").asLong() - deadline) / 1000.0,
                                (tone.path("sound_t_us").asLong() - tone.path("scheduled_t_us").asLong()) / 1000.0,
                                tone.path("late").asBoolean() ? "L" : " "));
            }
            for (String v : voices) {
                for (JsonNode c : corrections.get(v)) {
                    long d = c.path("t_us").asLong() - deadline;
                    if (d > -600_000 && d < 300_000) {
                        row.append(String.format(" %s@%+.0f:%+.1f", v, d / 1000.0, c.path("shift_ms").asDouble()));
                    }
                }
            }
            System.out.println(row);
        }
    }

    /** The player's tone start whose scheduled instant is nearest the deadline (within 50 ms), or null. */
    private static JsonNode nearestStart(List<JsonNode> tones, long deadline) {
        JsonNode best = null;
        for (JsonNode t : tones) {
            if (t.path("hz").asDouble() <= 0 || !t.has("scheduled_t_us")) {
                continue;
            }
            long s = t.path("scheduled_t_us").asLong();
            if (Math.abs(s - deadline) < 50_000
                    && (best == null || Math.abs(s - deadline) < Math.abs(best.path("scheduled_t_us").asLong() - deadline))) {
                best = t;
            }
        }
        return best;
    }

    private static Object get(Object record, String accessor) throws Exception {
        Method m = record.getClass().getMethod(accessor);
        m.setAccessible(true);
        return m.invoke(record);
    }
}
