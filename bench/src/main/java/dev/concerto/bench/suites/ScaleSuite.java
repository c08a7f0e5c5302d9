package dev.concerto.bench.suites;

import dev.concerto.bench.BenchContext;
import dev.concerto.bench.Suite;
import dev.concerto.bench.report.Charts;
import dev.concerto.bench.report.Stats;
import dev.concerto.bench.report.Table;
import dev.concerto.bench.run.LoopbackPorts;
import dev.concerto.bench.run.LauncherJvmOptions;
import dev.concerto.bench.run.ManagedProcess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * One director driving many players: 16, 64, 256 and 1,000 players in {@code ensemble} processes
 * (up to 250 players each, {@code --synth null}) on consecutive loopback ports, every player at 16
 * notes per second (a generated score of four voices of quarter-beat notes at 240 BPM, the roster
 * doubling the voices), once with the plain integer and once with the timed protocol (default
 * lead). Schedule error from the director's events (for timed players against the send time, one
 * lead before the note is due, the lead in force then), datagrams lost, the timed messages the
 * players counted expired from the counters they print at exit, the timed notes their generators
 * started and how late from the onset histogram each ensemble prints ({@code OnsetMeter}), the
 * director's CPU and the datagrams it sent per second of its CPU time.
 */
public final class ScaleSuite implements Suite {

    private static final int PER_ENSEMBLE = 250;
    private static final int VOICES = 4;
    private static final Pattern STOPPED = Pattern.compile("player '[^']*' stopped: datagrams=(\\d+) tone-changes=(\\d+)"
            + " watchdog-silences=\\d+ dropped=(\\d+)");
    private static final Pattern SENT = Pattern.compile("(\\d+) datagrams sent");
    private static final Pattern TIMED = Pattern.compile("timed: tones=(\\d+) late=(\\d+) [^\\n]*?expired=(\\d+)");
    /** What an ensemble prints at exit about its players' timed note starts (OnsetMeter). */
    private static final Pattern ONSETS = Pattern.compile("onsets: notes=(\\d+) late-notes=(\\d+) .*?histogram=(\\S+)");
    /** The director's default lead for timed players, ms (what {@code play} uses without --lead-ms). */
    private static final long LEAD_MS = 100;
    private static final Pattern TOTAL = Pattern.compile("total: (\\d+) datagrams sent");
    /** What the director prints about its send loop: the scheduler thread's CPU per datagram written. */
    private static final Pattern SEND_LOOP = Pattern.compile("send loop: \\d+ datagrams in \\d+ ms of the scheduler thread's CPU time \\(([0-9.]+) us each");
    private static final List<String> PROTOCOLS = List.of("legacy", "timed");
    /**
     * The ensembles stand in for a thousand small devices, so they are kept light on the director's
     * 2 cores: the client compiler only (C2 compiling four JVMs' receive paths took ~7 CPU-s of a 6 s
     * run, more than the players' work) and the serial collector (no GC threads).
     */
    static final List<String> ENSEMBLE_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    /**
     * The director as {@code ./concerto play} runs it (the launcher's {@code jvm_opts}): the client
     * compiler only, whose code costs the same per datagram (the kernel's send call dominates) and
     * whose compilations do not hold the first second's sends behind.
     */
    static final List<String> DIRECTOR_JVM = LauncherJvmOptions.PLAY;

    @Override
    public String name() {
        return "scale";
    }

    @Override
    public String description() {
        return "one director driving 16, 64, 256 and 1000 players (ensembles on loopback) at 16 notes/s each";
    }

    /** One size's figures. */
    record Result(String protocol, int players, long scheduled, Stats late, long sent, long received, long dropped,
                  long timedTones, long timedLate, long timedExpired, long notes, long lateNotes, Histogram onsetMicros,
                  Stats leadMicros, double cpuPercent, double cpuSeconds, double seconds, List<Double> latenessMs,
                  double sendLoopMicros) {
    }

    @Override
    public List<Table> run(BenchContext ctx) throws Exception {
        int measures = ctx.quick() ? 6 : 30; // 1 s each
        Path score = writeScore(ctx.file("scale/sixteenths.json"), measures);
        List<Result> results = new ArrayList<>();
        for (String protocol : PROTOCOLS) {
            for (int n : List.of(16, 64, 256, 1000)) {
                if (ctx.runs(protocol + "-" + n)) { // --only timed-1000,legacy-1000 ...
                    results.add(measure(ctx, score, n, protocol));
                }
            }
        }
        Table table = new Table("Scale: one director, N players at 16 notes/s each (" + measures
                + " s of music, ensembles with --synth null, timed: default automatic lead from " + LEAD_MS + " ms)", "protocol",
                "players", "datagrams/s", "send - send time p50 / p99 / max (ms)", "lead min / max (ms)", "sent", "received", "lost",
                "rejected", "timed notes started / late / messages expired",
                "onset error from the players' frames p50 / p99 / max (ms)", "director CPU (%)",
                "datagrams per CPU-second", "send loop: µs of CPU per datagram (datagrams/s of one core)");
        for (Result r : results) {
            table.row(r.protocol(), r.players(), String.format("%.0f", r.scheduled() / r.seconds()), r.late().summaryMs(),
                    r.leadMicros().count() == 0 ? "-"
                            : String.format("%.0f / %.0f", r.leadMicros().min() / 1000, r.leadMicros().max() / 1000),
                    r.sent(), r.received(), r.sent() - r.received(), r.dropped(),
                    r.protocol().equals("timed") ? r.notes() + " / " + r.lateNotes() + " / " + r.timedExpired() : "-",
                    r.protocol().equals("timed") ? onsetSummaryMs(r.onsetMicros()) : "-",
                    String.format("%.0f", r.cpuPercent()), String.format("%.0f", r.sent() / Math.max(1e-3, r.cpuSeconds())),
                    r.sendLoopMicros() > 0 ? String.format("%.1f (%.0f)", r.sendLoopMicros(), 1e6 / r.sendLoopMicros()) : "-");
        }
        table.note("All players of a voice share its deadlines: at each note the director sends N datagrams due"
                + " at the same instant, one after another, so the last of a burst is late by N sends' time."
                + " Sent = the datagrams the director's sockets took, final silences (3 per player) included; received = the sum"
                + " of the players' datagram counters printed at exit. Director CPU = user+system time over the"
                + " director process's wall time, start-up included, 100 % = one core. Timed: the send time is one"
                + " lead before the note is due, with the lead in force then (the director's events file says it:"
                + " the lead is chosen per player from its path and the roster's is the longest, so it can exceed"
                + " the default " + LEAD_MS + " ms); sent and received include the clock-sync requests."
                + " Notes started = timed note starts (hz > 0) the players' generators applied; late = of those,"
                + " notes that arrived after their time (played at once); expired = timed messages that arrived after"
                + " their lease ran out (dropped) — all counted by the players. The director's \"silence now\""
                + " messages at the end are stamped \"now\" and so arrive late by design (PROTOCOL.md): they are"
                + " silences, not notes, and not counted as late notes. Onset error = the frame each note start was"
                + " applied at minus the frame of its time, from the players' own frame clocks (null generators: 48 kHz"
                + " frames on the monotonic clock, one timer thread per ensemble; one receive thread per ensemble; the"
                + " ensembles run with " + String.join(" ", ENSEMBLE_JVM) + " so that the 4 of them, standing in for 1000"
                + " devices, leave the director its share of the 2 cores; the director runs as ./concerto play runs it, "
                + String.join(" ", DIRECTOR_JVM) + "). Datagrams per CPU-second = datagrams"
                + " sent over the director's user+system CPU time, start-up, JIT compilers, clock sync and event log"
                + " included: a lower bound. Send loop = the scheduler thread's CPU time inside its rounds of"
                + " writing datagrams (notes, silences, sync requests, lease renewals: encoding, bookkeeping and the"
                + " kernel's send call, which on loopback also delivers the datagram into the player's socket) per"
                + " datagram, as the director prints it: what one core sustains writing datagrams (waiting for"
                + " deadlines, handling replies and the events file not included). One datagram is one send call:"
                + " Java 17's DatagramChannel has no batched send (sendmmsg) and no segmentation offload, and each"
                + " player is its own destination.");
        Map<String, List<Double>> hist = new LinkedHashMap<>();
        for (Result r : results) {
            hist.put(r.protocol() + ", " + r.players() + " players", r.latenessMs());
        }
        table.note(Charts.histogram(ctx.file("scale-lateness.png"), "Director send - deadline by number of players",
                "send - deadline (ms)", hist, 30));
        return List.of(table);
    }

    private Result measure(BenchContext ctx, Path score, int n, String protocol) throws Exception {
        ctx.log().printf("   %d players, %s ...%n", n, protocol);
        Path dir = ctx.file("scale/" + protocol + "-" + n + "/x").getParent();
        int base = LoopbackPorts.freeRange(n);
        List<ManagedProcess> ensembles = new ArrayList<>();
        try {
            for (int first = 0; first < n; first += PER_ENSEMBLE) {
                int count = Math.min(PER_ENSEMBLE, n - first);
                ensembles.add(ManagedProcess.startJava("ensemble " + first, ctx.jar("player-node"),
                        "dev.concerto.player.cli.EnsembleMain", ENSEMBLE_JVM,
                        List.of("--count", Integer.toString(count), "--bind", "127.0.0.1:" + (base + first),
                                "--name", "p" + first + "-", "--synth", "null", "--watchdog", "0"),
                        dir.resolve("ensemble-" + first + ".log")));
            }
            for (int i = 0; i < ensembles.size(); i++) {
                int last = Math.min(n, (i + 1) * PER_ENSEMBLE) - 1;
                ensembles.get(i).awaitLine(Pattern.compile("listening on udp 127\\.0\\.0\\.1:" + (base + last) + "\\b"),
                        Duration.ofSeconds(60));
            }
            Path roster = dir.resolve("roster.json");
            StringBuilder sb = new StringBuilder("{ \"players\": [\n");
            for (int i = 0; i < n; i++) {
                sb.append(String.format("  {\"name\": \"p%d\", \"host\": \"127.0.0.1\", \"port\": %d, \"protocol\": \"%s\", "
                        + "\"voice\": \"v%d\"}%s%n", i, base + i, protocol, i % VOICES, i + 1 < n ? "," : ""));
            }
            Files.writeString(roster, sb.append("] }\n"));
            Path events = dir.resolve("director.events.jsonl");
            long sent;
            double cpu;
            double cpuSeconds;
            double seconds;
            double sendLoopMicros;
            try (ManagedProcess director = ManagedProcess.startJava("director", ctx.jar("director-app"), null, DIRECTOR_JVM,
                    List.of("play", score.toString(), "--roster", roster.toString(), "--events", events.toString(),
                            "--sync-timeout-ms", "10000"),
                    dir.resolve("director.log"))) {
                long t0 = System.nanoTime();
                long cpuMs = 0;
                long deadline = t0 + Duration.ofMinutes(2).toNanos();
                while (director.isAlive() && System.nanoTime() < deadline) {
                    long c = director.cpuMillis(); // the last reading before exit
                    cpuMs = c >= 0 ? c : cpuMs;
                    Thread.sleep(100);
                }
                seconds = (System.nanoTime() - t0) / 1e9;
                int rc = director.awaitExit(Duration.ofSeconds(30));
                if (rc != 0) {
                    throw new IOException("director exited with " + rc + "; see " + director.log());
                }
                cpu = 100.0 * cpuMs / 1000 / seconds;
                cpuSeconds = cpuMs / 1000.0;
                Matcher m = SENT.matcher(director.logText());
                long counted = 0;
                while (m.find()) {
                    counted = Long.parseLong(m.group(1)); // the last progress line is the total
                }
                Matcher loop = SEND_LOOP.matcher(director.logText());
                sendLoopMicros = loop.find() ? Double.parseDouble(loop.group(1)) : -1;
                Matcher total = TOTAL.matcher(director.logText());
                // Every datagram the director's sockets took (clock-sync requests and final silences
                // included); an older director printed only its notes: add the final silences, 3 per player.
                sent = total.find() ? Long.parseLong(total.group(1)) : counted + 3L * n;
            }
            Thread.sleep(300);
            long received = 0;
            long dropped = 0;
            long timedTones = 0;
            long timedLate = 0;
            long timedExpired = 0;
            long notes = 0;
            long lateNotes = 0;
            Histogram onsets = new Histogram(3);
            int stoppedLines = 0;
            for (ManagedProcess e : ensembles) {
                e.close(); // SIGTERM: each player prints its counters
                Matcher m = STOPPED.matcher(e.logText());
                while (m.find()) {
                    received += Long.parseLong(m.group(1));
                    dropped += Long.parseLong(m.group(3));
                    stoppedLines++;
                }
                Matcher o = ONSETS.matcher(e.logText());
                while (o.find()) {
                    notes += Long.parseLong(o.group(1));
                    lateNotes += Long.parseLong(o.group(2));
                    onsets.add(decode(o.group(3)));
                }
                Matcher t = TIMED.matcher(e.logText());
                while (t.find()) {
                    timedTones += Long.parseLong(t.group(1));
                    timedLate += Long.parseLong(t.group(2));
                    timedExpired += Long.parseLong(t.group(3));
                }
            }
            if (stoppedLines != n) {
                throw new IOException(stoppedLines + " of " + n + " players printed their counters; see " + dir);
            }
            Stats late = new Stats();
            Stats leadMicros = new Stats();
            List<Double> lateness = new ArrayList<>();
            long scheduled = 0;
            long first = Long.MAX_VALUE;
            long lastDeadline = 0;
            long lead = protocol.equals("timed") ? LEAD_MS * 1000 : 0;
            for (DirectorEvents.Send s : DirectorEvents.read(events).scheduledSends()) { // not the final silences
                long t = s.sentMicros();
                long d = s.deadlineMicros();
                // When it was to be sent: one lead before its deadline, the lead in force then (an
                // older director did not say: its fixed default).
                long sendAt = s.sendAtMicros().orElse(d - lead);
                late.record(t - sendAt);
                if (d != sendAt) {
                    leadMicros.record(d - sendAt);
                }
                lateness.add((t - sendAt) / 1000.0);
                scheduled++;
                first = Math.min(first, d);
                lastDeadline = Math.max(lastDeadline, d);
            }
            double musicSeconds = Math.max(1e-3, (lastDeadline - first) / 1e6);
            return new Result(protocol, n, scheduled, late, sent, received, dropped, timedTones, timedLate, timedExpired,
                    notes, lateNotes, onsets, leadMicros, cpu, cpuSeconds, musicSeconds, lateness, sendLoopMicros);
        } finally {
            ensembles.forEach(ManagedProcess::close);
        }
    }

    /** An ensemble's onset histogram (HdrHistogram's compressed encoding, base64). */
    static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new IllegalArgumentException("an ensemble printed an unreadable onset histogram: " + e.getMessage(), e);
        }
    }

    /** "p50 / p99 / max" of onset errors recorded in µs, in ms. */
    static String onsetSummaryMs(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "–";
        }
        return String.format("%.2f / %.2f / %.2f", h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }

    /** Four voices of quarter-beat notes at 240 BPM (16 notes/s; a 4/4 measure lasts 1 s), alternating pitches so each note is a change. */
    static Path writeScore(Path file, int measures) throws IOException {
        String[][] pitches = {{"C4", "E4"}, {"G4", "C5"}, {"E3", "G3"}, {"C3", "G2"}};
        StringBuilder sb = new StringBuilder("{\n  \"title\": \"Sixteenths for the scale benchmark\",\n")
                .append("  \"composer\": \"concerto bench\",\n")
                .append("  \"tuning\": {\"type\": \"equal\", \"referenceNote\": \"A4\", \"referenceHz\": 440},\n")
                .append("  \"tempo\": {\"bpm\": 240, \"beatUnit\": 4},\n  \"meter\": \"4/4\",\n  \"voices\": [");
        for (int v = 0; v < VOICES; v++) {
            sb.append(v == 0 ? "" : ", ").append("{\"name\": \"v").append(v).append("\"}");
        }
        sb.append("],\n  \"parts\": [{\"measures\": [\n");
        for (int m = 0; m < measures; m++) {
            sb.append("    {");
            for (int v = 0; v < VOICES; v++) {
                StringBuilder notes = new StringBuilder();
                for (int i = 0; i < 16; i++) {
                    notes.append(i == 0 ? "" : " ").append(pitches[v][i % 2]).append(":1/4");
                }
                sb.append(v == 0 ? "" : ", ").append("\"v").append(v).append("\": \"").append(notes).append('"');
            }
            sb.append(m + 1 < measures ? "},\n" : "}\n");
        }
        sb.append("  ]}]\n}\n");
        Files.writeString(file, sb);
        return file;
    }
}
