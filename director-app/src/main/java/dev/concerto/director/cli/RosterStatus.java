package dev.concerto.director.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.concerto.director.engine.DiscoveredPlayer;
import dev.concerto.director.engine.PlayerProbe;
import dev.concerto.director.engine.PlayerProbes;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.engine.TimedOptions;
import dev.concerto.director.engine.VersionAdvice;
import dev.concerto.director.net.RosterProber;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.SoftwareVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The status before Play of a roster's players, the one way {@code players --roster} and
 * {@code play --dry-run} probe and print it: every timed and auto player asked with the engine's
 * clock-sync exchange ({@link RosterProber}, signed with the engine's key) and shown reachable
 * (RTT, offset, the protocols its reply lists, its software version when it announced itself) or
 * silent; a plain-integer player "cannot be known". Exit code 3 when a timed or auto player is
 * silent.
 */
final class RosterStatus {

    /** At most this long past the probing time for every timed player to be decided, ms. */
    private static final long DECIDE_MARGIN_MILLIS = 5_000;

    /**
     * One roster player's status.
     *
     * @param entry     the roster entry
     * @param probe     what the probe knows
     * @param announced the same player found by discovery (for its software version), or null
     */
    record Row(RosterEntry entry, PlayerProbe probe, DiscoveredPlayer announced) {

        boolean missing() {
            return probe.state() == PlayerProbe.State.SILENT || probe.state() == PlayerProbe.State.CHECKING;
        }

        /** {@link PlayerProbe#versions}, or "-" when nothing is known. */
        String versionText() {
            String v = probe.versions(announced == null ? null : announced.version());
            return v.isEmpty() ? "-" : v;
        }
    }

    private RosterStatus() {
    }

    /**
     * Probes {@code entries} for {@code millis}, then as long as a timed player is still being
     * decided (at most {@value #DECIDE_MARGIN_MILLIS} ms more, for a machine too busy to keep time).
     *
     * @param options    what the engine would play with (its key signs the requests)
     * @param discovered the players discovery found meanwhile (asked at the end), or null
     */
    static List<Row> probe(List<RosterEntry> entries, TimedOptions options,
                           java.util.function.Supplier<List<DiscoveredPlayer>> discovered, long millis)
            throws IOException, InterruptedException {
        AtomicReference<List<PlayerProbe>> last = new AtomicReference<>(List.of());
        try (RosterProber prober = RosterProber.start(entries, options, Clock.SYSTEM, last::set)) {
            Thread.sleep(millis);
            long end = System.nanoTime() + DECIDE_MARGIN_MILLIS * 1_000_000;
            while (System.nanoTime() - end < 0 && !decided(last.get(), entries.size())) {
                Thread.sleep(20);
            }
        }
        List<PlayerProbe> status = last.get();
        List<DiscoveredPlayer> found = discovered == null ? List.of() : discovered.get();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            RosterEntry e = entries.get(i);
            PlayerProbe s = i < status.size() ? status.get(i)
                    : new PlayerProbe(e.name(), PlayerProbe.State.CHECKING, -1, 0, List.of(), "");
            DiscoveredPlayer announced = found.stream()
                    .filter(p -> p.port() == e.port() && p.host().equals(e.host())).findFirst().orElse(null);
            rows.add(new Row(e, s, announced));
        }
        return rows;
    }

    /** Whether every player's state is known: none still "checking" ({@link PlayerProbes#DECIDE_AFTER_NANOS}). */
    static boolean decided(List<PlayerProbe> status, int players) {
        return status.size() == players && status.stream().noneMatch(p -> p.state() == PlayerProbe.State.CHECKING);
    }

    /** Whether a timed or auto player is silent (exit code 3). */
    static boolean missing(List<Row> rows) {
        return rows.stream().anyMatch(Row::missing);
    }

    /** Prints the rows as a table (or JSON) on {@code out}, version warnings on {@code err}. */
    static void print(List<Row> rows, boolean json, PrintWriter out, PrintWriter err, String prog) throws IOException {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Row r : rows) {
            RosterEntry e = r.entry();
            PlayerProbe s = r.probe();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", e.name());
            row.put("address", e.host() + ":" + e.port());
            row.put("protocol", e.protocol().key());
            row.put("voice", e.voice());
            row.put("state", s.state().name().toLowerCase(Locale.ROOT));
            row.put("status", s.describe());
            row.put("rtt_ms", s.rttMicros() < 0 ? null : s.rttMicros() / 1000.0);
            row.put("offset_ms", s.rttMicros() < 0 ? null : s.offsetMicros() / 1000.0);
            row.put("protocols", s.protocols());
            row.put("output_latency_ms", Double.isNaN(s.outputLatencyMs()) ? null : s.outputLatencyMs());
            row.put("version", r.announced() == null || r.announced().version().isEmpty() ? null : r.announced().version());
            objects.add(row);
            if (r.announced() != null) {
                for (String w : VersionAdvice.warnings(r.announced(), SoftwareVersion.current(), e.protocol())) {
                    err.println(prog + ": warning: " + w);
                }
            }
        }
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(objects));
        } else {
            String format = "%-16s %-24s %-7s %-10s %-60s %s%n";
            out.printf(Locale.ROOT, format, "PLAYER", "ADDRESS", "PROTO", "VOICE", "STATUS", "VERSION");
            for (Row r : rows) {
                out.printf(Locale.ROOT, format, r.entry().name(), r.entry().host() + ":" + r.entry().port(),
                        r.entry().protocol().key(), r.entry().voice(), r.probe().describe(), r.versionText());
            }
        }
        out.flush();
        err.flush();
    }
}
