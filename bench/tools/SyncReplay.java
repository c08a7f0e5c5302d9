import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.protocol.ClockEstimator;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a run's clock-sync exchanges (a director's {@code --events-sync} file) through the
 * {@link ClockEstimator} on the class path, and prints per player the |offset| notes would have been
 * stamped with after each exchange from the first note on: p50 / p99 / max, µs, next to what the run's
 * own director recorded. Only meaningful where every process read one clock (the true offset is zero):
 * the bench's network suite on this machine.
 *
 * <p>Usage: {@code java [-DafterMs=N] -cp bench/target/bench-0.1.0-SNAPSHOT-all.jar bench/tools/SyncReplay.java
 * EVENTS.jsonl...}; put a changed estimator's classes before the jar to try it on recorded paths.
 * {@code -DafterMs=N}: count only the exchanges from N ms after the first note (the piece's first
 * seconds left out).
 */
public class SyncReplay {
    record Sync(long tUs, long t1, long t2, long t3, long t4, double recorded) {
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String file : args) {
            Map<String, List<Sync>> byPlayer = new LinkedHashMap<>();
            long musicFrom = Long.MAX_VALUE;
            try (BufferedReader in = Files.newBufferedReader(Path.of(file))) {
                for (String line; (line = in.readLine()) != null; ) {
                    JsonNode n = json.readTree(line);
                    String event = n.path("event").asText("");
                    if (event.equals("sync")) {
                        byPlayer.computeIfAbsent(n.path("player").asText(), k -> new ArrayList<>()).add(new Sync(
                                n.path("t_us").asLong(), n.path("t1").asLong(), n.path("t2").asLong(),
                                n.path("t3").asLong(), n.path("t4").asLong(), n.path("stamped_offset_us").asDouble()));
                    } else if (event.isEmpty() && n.has("t_us")) {
                        musicFrom = Math.min(musicFrom, n.path("t_us").asLong());
                    }
                }
            }
            System.out.println(file);
            for (var e : byPlayer.entrySet()) {
                ClockEstimator est = new ClockEstimator();
                List<Double> replayed = new ArrayList<>();
                List<Double> recorded = new ArrayList<>();
                for (Sync s : e.getValue()) {
                    est.requestSent(s.t1());
                    est.add(s.t1(), s.t2(), s.t3(), s.t4());
                    if (s.tUs() >= musicFrom + Long.getLong("afterMs", 0) * 1000) {
                        ClockEstimator.Estimate x = est.estimate(s.t4());
                        replayed.add(Math.abs(x.toPlayerMicros(s.t4()) - (double) s.t4()));
                        recorded.add(Math.abs(s.recorded()));
                    }
                }
                System.out.printf("  %-8s %4d exchanges (%d in the music): replayed %s | recorded %s%n", e.getKey(),
                        e.getValue().size(), replayed.size(), stats(replayed), stats(recorded));
            }
        }
    }

    static String stats(List<Double> v) {
        if (v.isEmpty()) {
            return "-";
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format("p50 %.0f / p99 %.0f / max %.0f", p(a, 50), p(a, 99), a[a.length - 1]);
    }

    static double p(double[] sorted, double q) {
        int i = (int) Math.ceil(q / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
