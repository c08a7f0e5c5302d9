package dev.concerto.bench.suites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.bench.BenchContext;
import dev.concerto.bench.Suite;
import dev.concerto.bench.report.Stats;
import dev.concerto.bench.report.Table;
import dev.concerto.bench.run.ManagedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The director's send time against its deadlines for BWV 846 at several tempi, on local players. */
public final class ScheduleSuite implements Suite {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "schedule";
    }

    @Override
    public String description() {
        return "director send time minus deadline (µs) for BWV 846 at 60, 120 and 240 BPM";
    }

    @Override
    public List<Table> run(BenchContext ctx) throws Exception {
        Path score = ctx.repoRoot().resolve("scores/bwv846.json");
        List<Integer> tempi = ctx.quick() ? List.of(120, 240) : List.of(60, 120, 240);
        Table table = new Table("Schedule accuracy: send time minus deadline (µs), BWV 846 on local players",
                "tempo (BPM)", "datagrams", "p50", "p99", "max", "last send (drift)");
        java.util.Map<String, List<Double>> hist = new java.util.LinkedHashMap<>();
        for (int bpm : tempi) {
            Path events = ctx.file("schedule/" + bpm + ".events.jsonl");
            ctx.log().printf("   %d BPM ...%n", bpm);
            try (ManagedProcess director = ManagedProcess.startJava("director", ctx.jar("director-app"), null, List.of(),
                    List.of("play", score.toString(), "--local", "--tempo", Integer.toString(bpm), "--events", events.toString()),
                    ctx.file("schedule/" + bpm + ".log"))) {
                int rc = director.awaitExit(Duration.ofMinutes(6));
                if (rc != 0) {
                    throw new IOException("director exited with " + rc + "; see " + director.log());
                }
            }
            Stats stats = new Stats();
            List<Double> values = new java.util.ArrayList<>();
            hist.put(bpm + " BPM", values);
            double last = Double.NaN;
            for (String line : Files.readAllLines(events)) {
                JsonNode n = JSON.readTree(line);
                long late = n.get("t_us").asLong() - n.get("deadline_us").asLong();
                if (late == 0) {
                    continue; // an unscheduled send (the silences at the end): the engine logs deadline = sent
                }
                last = late;
                stats.record(late);
                values.add(late / 1000.0);
            }
            table.row(bpm, stats.count(), String.format("%.0f", stats.percentile(50)),
                    String.format("%.0f", stats.percentile(99)), String.format("%.0f", stats.max()), String.format("%.0f", last));
        }
        table.note("Lateness = when the send call returned minus the deadline (the director's --events); the final"
                + " silences, sent unscheduled on stop, are left out. Last send = the drift at the end of the piece.");
        table.note(dev.concerto.bench.report.Charts.histogram(ctx.file("schedule-lateness.png"),
                "Director send - deadline, BWV 846", "send - deadline (ms)", hist, 30));
        return List.of(table);
    }
}
