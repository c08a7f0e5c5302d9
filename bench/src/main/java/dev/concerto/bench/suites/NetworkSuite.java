package dev.concerto.bench.suites;

import dev.concerto.bench.BenchContext;
import dev.concerto.bench.Suite;
import dev.concerto.bench.report.Charts;
import dev.concerto.bench.report.Table;
import dev.concerto.bench.run.RealtimeThreads;
import dev.concerto.netem.PathProfile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * BWV 846 on four player processes, each behind its own {@link dev.concerto.netem.PathProxy} (the
 * network path emulator) with one of the named profiles, and once on plain loopback; for each
 * profile four directors: the plain integer, the timed protocol with the old fixed defaults
 * ({@code --lead-ms 100 --redundancy 1}, "before"), the timed protocol with its automatic lead and
 * redundancy ("after"), and fixed Wi-Fi settings ({@code --lead-ms 300 --redundancy 2}).
 * Everything is measured in the players' WAVs and their own scheduled frames ({@link NetworkAnalysis}).
 * The clock runs (skew, step) are the {@link NetworkClockSuite}.
 */
public final class NetworkSuite implements Suite {

    static final List<NetworkRun.Row> ROWS = List.of(
            new NetworkRun.Row("plain integer", "legacy", List.of()),
            new NetworkRun.Row("timed, before: --lead-ms 100 --redundancy 1", "timed",
                    List.of("--lead-ms", "100", "--redundancy", "1")),
            NetworkRun.TIMED_DEFAULTS,
            new NetworkRun.Row("timed, --lead-ms 300 --redundancy 2", "timed", List.of("--lead-ms", "300", "--redundancy", "2")));

    @Override
    public String name() {
        return "network";
    }

    @Override
    public String description() {
        return "BWV 846 on four players behind the network path emulator (lan, wifi, wifi-busy, wifi-bursts, asymmetric)"
                + " and on plain loopback: notes missing, onset error and spread in the WAVs, scheduled frames, stuck"
                + " notes, wrong tones (--quick: the timed rows only)";
    }

    @Override
    public List<Table> run(BenchContext ctx) throws Exception {
        Path score = ctx.repoRoot().resolve("scores/bwv846.json");
        ScoreDump dump = ScoreDump.of(ctx, score);
        List<String> voices = new ArrayList<>(dump.voices().keySet()).subList(0, Math.min(4, dump.voices().size()));
        ctx.log().printf("   %s at %.0f BPM, players: %s%n", score.getFileName(), NetworkRun.BPM, voices);

        Table table = new Table("BWV 846 at " + Math.round(NetworkRun.BPM) + " BPM, four players, each behind the path"
                + " emulator (onset error and spread in µs, from the players' WAVs)",
                "profile", "director", "notes missing", "|error| p50 / p99 / max", "spread p50 / p99 / max",
                "frames p99 per player", "stuck", "wrong tones", "datagrams / note",
                "sync request / reply p50 per player", "stamped |offset| p99 per player");
        Table outageTable = new Table("Outages (300 ms every 20 s on each player's path): tones held past their lease,"
                + " playing back in step after", "profile", "director", "outages", "wrong tones in an outage",
                "longest: outage start to its end", "their stamping error |told − deadline| max", "past their lease",
                "changes sent after an outage: in step",
                "their |error| p50 / p99 / max", "goal");
        List<Charts.Series> series = new ArrayList<>();
        List<PathProfile> profiles = new ArrayList<>();
        profiles.add(null); // plain loopback, no emulator
        for (PathProfile.Named n : PathProfile.Named.values()) {
            profiles.add(n.profile());
        }
        if (profiles.stream().anyMatch(p -> p != null && ctx.runs(p.name()))) {
            NetworkRun.warmUpEmulator(ctx); // before the first emulated path (loopback runs first, without one)
        }
        for (PathProfile profile : profiles) {
            String name = profile == null ? "loopback" : profile.name();
            if (!ctx.runs(name)) {
                continue;
            }
            List<NetworkRun.Row> rows = new ArrayList<>();
            for (int r = 0; r < ROWS.size(); r++) {
                boolean timedPair = ROWS.get(r).protocol().equals("timed") && r <= 2;
                if ((ctx.quick() && !timedPair) || (profile == null && r == 3)) {
                    continue; // --quick: before and after only; loopback needs no Wi-Fi settings
                }
                rows.add(ROWS.get(r));
            }
            long asymmetryMicros = profile == null ? 0 : profile.toPlayer().extraMicros() - profile.fromPlayer().extraMicros();
            if (asymmetryMicros != 0) {
                rows.add(remedy(asymmetryMicros));
            }
            for (int r = 0; r < rows.size(); r++) {
                NetworkRun.Row row = rows.get(r);
                NetworkAnalysis.Result res;
                try {
                    res = NetworkRun.measure(ctx, name + "/" + (r + 1), voices, score, profile, row, i -> List.of(), Duration.ZERO);
                } catch (IOException e) { // one run that could not start (a busy machine) is one failed row
                    ctx.log().printf("   FAILED: %s%n", e.getMessage());
                    table.row(name, row.label(), "failed: " + e.getMessage().lines().findFirst().orElse(""),
                            "", "", "", "", "", "", "", "");
                    continue;
                }
                table.row(name, row.label(), res.missingText(), res.absError().summary(), res.spread().summary(),
                        res.frameP99Text(), res.stuck(), res.wrongTones(), res.datagramsPerNoteText(),
                        res.sync().halvesText(), res.sync().stampedP99Text());
                if (row == NetworkRun.TIMED_DEFAULTS) {
                    series.add(new Charts.Series(name, res.onsets().stream().map(NetworkAnalysis.Onset::seconds).toList(),
                            res.onsets().stream().map(o -> o.errorMicros() / 1000).toList()));
                }
                if (res.outages() != null) {
                    OutageAnalysis.Result o = res.outages();
                    outageTable.row(name, row.label(), o.outages(), o.wrongInOutage(),
                            String.format("%.0f ms (lease %.0f ms)", o.longestAfterStart() / 1000.0, o.leaseOfLongest() / 1000.0),
                            o.stampingError().count() == 0 ? "—" : String.format("%.0f µs", o.stampingError().max()),
                            o.pastLease(), o.resumedInStep() + " of " + o.resumedExpected(), o.resumedError().summary(),
                            o.met() ? "met" : "NOT met");
                }
            }
        }
        table.note("Each player sits behind its own emulated path (a PathProxy; the four share one releasing thread, PathEmulator; profiles in netem's PathProfile.Named and"
                + " bench/README.md), seeded identically for every run; loopback is the same without the emulator."
                + " The emulator's threads run at SCHED_FIFO " + RealtimeThreads.PRIORITY
                + " where the bench may set it (root; each run's paths.txt says), so a busy CPU does not delay the emulated network."
                + " Missing = a change the director sent that is not found in the player's WAV within half the gap to its"
                + " neighbours (at most 200 ms) of its due time. Error = onset found in the WAV minus the director's"
                + " deadline for it. Spread = latest minus earliest of the onsets due at the same instant. Frames p99 ="
                + " per player, the 99th percentile of |time the player scheduled the change's audio frame for − deadline|,"
                + " from its own events (scheduled_t_us: the start in its clock, mapped to the wall clock per event):"
                + " the clock estimate and stamping alone, without the onset detector or the WAV's start stamp; goal on"
                + " a clean path: 45 µs, two frames at 44.1 kHz. Stuck = a player still sounding at the end of its WAV (after"
                + " the director stopped). Wrong tones = tone changes in a player's events at a frequency the director"
                + " never sent it. Datagrams / note = every datagram the director sent to the players (tones, copies,"
                + " lease extensions, clock sync) over the changes in the score, as the proxies counted them."
                + " Sync request / reply = each half of the clock-sync exchanges, t2 − t1 and t4 − t3 from the director's"
                + " --events-sync lines (exact here: every process reads the machine's one clock), µs; stamped |offset| ="
                + " the offset notes were stamped with after each exchange during the music (from its first datagram),"
                + " whose truth is zero: the stamping error.");
        table.note(Charts.scatter(ctx.file("network-error.png"), "Onset error per path, timed protocol with defaults",
                "time since the first note (s)", "onset - deadline (ms)", series));
        if (!outageTable.rows().isEmpty()) {
            outageTable.note("From the players' events (every tone change, at its sound time) against the director's (the"
                    + " frequency each player should sound from each deadline on): a wrong tone is a stretch longer than "
                    + OutageAnalysis.ONSET_TOLERANCE_MICROS / 1000 + " ms where a player sounds a frequency the director did"
                    + " not mean then (a missing note, silence, is not one); one overlapping an outage is the outage's doing"
                    + " and must end within its tone's lease (lease_ms of the packet that started it) after the outage"
                    + " began, or after its own start for a tone that began sounding inside the outage (sent before it)."
                    + " A stretch is one tone: it ends where the player starts another, also one of the same frequency"
                    + " (the next note of that pitch). The lease is judged as the player keeps it: on its clock, from the"
                    + " start it was told (the director's deadline mapped through its clock estimate then; scheduled_t_us,"
                    + " the player's mapping to the wall clock). Stamping error = that start minus the director's"
                    + " deadline for it (zero on a perfect estimate): how far the player's lease was from the"
                    + " wall-clock one, shown apart and not folded into the verdict."
                    + " In step: the changes the director first sent in the " + OutageAnalysis.RESUME_WINDOW_MICROS / 1000
                    + " ms after an outage ended that the player sounded as meant " + OutageAnalysis.ONSET_TOLERANCE_MICROS / 1000
                    + " ms after their deadline (its events), and the onset error of those found in the WAVs (a silence"
                    + " after a tone whose lease already ended has no onset). Goal (#12): none past its lease, every change"
                    + " sent after an outage in step.");
            return List.of(table, outageTable);
        }
        return List.of(table);
    }

    /**
     * The remedy for an asymmetric path: the timed defaults with the roster's latency offset set to minus half
     * the asymmetry, the part of it no two-way clock exchange can see.
     */
    static NetworkRun.Row remedy(long asymmetryMicros) {
        double offsetMs = -asymmetryMicros / 2000.0;
        return new NetworkRun.Row(String.format(java.util.Locale.ROOT, "timed, defaults, roster latencyOffsetMs %.1f"
                + " (minus half the asymmetry)", offsetMs), "timed", List.of(), offsetMs);
    }
}
