package dev.concerto.bench.suites;

import dev.concerto.bench.BenchContext;
import dev.concerto.bench.Suite;
import dev.concerto.bench.report.Stats;
import dev.concerto.bench.report.Table;
import dev.concerto.bench.run.ManagedProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The director's send time against its deadlines for BWV 846 at several tempi, on local players. */
public final class ScheduleSuite implements Suite {

    /** The director's lead for timed players, ms (its default). */
    private static final long LEAD_MS = 100;
    /** A roster line the director prints: {@code   bass (voice bass) -> 127.0.0.1:4000 [timed]}. */
    private static final java.util.regex.Pattern ROSTER_LINE = java.util.regex.Pattern.compile(
            "(?m)^\\s+(\\S+) \\(voice [^)]*\\) -> \\S+ \\[(?:\\S+ -> )?(\\w+)\\]");

    @Override
    public String name() {
        return "schedule";
    }

    @Override
    public String description() {
        return "director send time minus deadline (µs) for BWV 846 at 60, 120 and 240 BPM (--quick: its second half)";
    }

    /** Player name to protocol in use, from the roster lines the director prints. */
    static java.util.Map<String, String> protocols(String directorLog) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        java.util.regex.Matcher m = ROSTER_LINE.matcher(directorLog);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }

    @Override
    public List<Table> run(BenchContext ctx) throws Exception {
        Path score = ctx.repoRoot().resolve("scores/bwv846.json");
        List<Integer> tempi = List.of(60, 120, 240);
        // --quick plays the second half (from measure 19, 17 of 35 measures) at every tempo.
        int from = ctx.quick() ? 19 : 1;
        Table table = new Table("Schedule accuracy: send time minus deadline (µs), BWV 846"
                + (from > 1 ? " from measure " + from : "") + " on local players",
                "tempo (BPM)", "datagrams", "p50", "p99", "max", "last send (drift)");
        java.util.Map<String, List<Double>> hist = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> protocols = java.util.Map.of();
        for (int bpm : tempi) {
            Path events = ctx.file("schedule/" + bpm + ".events.jsonl");
            ctx.log().printf("   %d BPM ...%n", bpm);
            try (ManagedProcess director = ManagedProcess.startJava("director", ctx.jar("director-app"), null, List.of(),
                    List.of("play", score.toString(), "--local", "--tempo", Integer.toString(bpm), "--from", Integer.toString(from),
                            "--lead-ms", Long.toString(LEAD_MS), "--events", events.toString()),
                    ctx.file("schedule/" + bpm + ".log"))) {
                int rc = director.awaitExit(Duration.ofMinutes(6));
                if (rc != 0) {
                    throw new IOException("director exited with " + rc + "; see " + director.log());
                }
                protocols = protocols(director.logText());
            }
            Stats stats = new Stats();
            List<Double> values = new java.util.ArrayList<>();
            hist.put(bpm + " BPM", values);
            double last = Double.NaN;
            // Not the unscheduled sends (the silences at the end): the engine logs deadline = sent.
            for (DirectorEvents.Send s : DirectorEvents.read(events).scheduledSends()) {
                // A timed player's deadline_us is when the note sounds; the datagram is due a lead earlier.
                long late = s.sentMicros() - s.deadlineMicros()
                        + ("timed".equals(protocols.get(s.player())) ? LEAD_MS * 1000 : 0);
                last = late;
                stats.record(late);
                values.add(late / 1000.0);
            }
            table.row(bpm, stats.count(), String.format("%.0f", stats.percentile(50)),
                    String.format("%.0f", stats.percentile(99)), String.format("%.0f", stats.max()), String.format("%.0f", last));
        }
        table.note("Lateness = when the send call returned minus when the datagram was due (the director's --events);"
                + " protocols of the local players here: " + String.join(", ", protocols.values().stream().distinct().sorted().toList())
                + ". Timed players get each note"
                + " --lead-ms " + LEAD_MS + " ahead of its sound time, so a datagram is due then. The final silences,"
                + " sent unscheduled on stop, are left out. Last send = the drift at the end of the piece.");
        table.note(dev.concerto.bench.report.Charts.histogram(ctx.file("schedule-lateness.png"),
                "Director send - deadline, BWV 846", "send - deadline (ms)", hist, 30));
        return List.of(table);
    }
}
