package dev.concerto.bench.suites;

import dev.concerto.bench.BenchContext;
import dev.concerto.bench.Suite;
import dev.concerto.bench.report.Charts;
import dev.concerto.bench.report.Stats;
import dev.concerto.bench.report.Table;
import dev.concerto.bench.run.CpuKeeper;
import dev.concerto.bench.run.CpuSteal;
import dev.concerto.bench.run.HostStalls;
import dev.concerto.bench.run.PulseAudioSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a listener hears: player processes on real javax.sound lines ({@code --synth javasound
 * --waveform sine}, each in its own band) mixed by one private PulseAudio null sink, the mix recorded
 * from the sink's monitor with {@code parecord}, and every figure taken from that one recording
 * ({@link ListenRecording}, {@link ListenAnalysis}): each player's onsets in its own band, the spread
 * between the players of each chord, each onset against the director's deadline, notes never heard.
 *
 * <p>Scores ({@link ListenScores}): a sync test (four voices together from silence, 0.25 s on and
 * 0.25 s off) on timed and on plain-integer players, and BWV 846's rhythm and voicing on three timed
 * players; then one run with every process of the run stopped together now and then ({@link #HOST_STALLS},
 * as a busy host stops a VM), one with a forced 200 ms stall of one player's audio thread, and
 * calibration of eight players by microphone with a 7 ms delay injected into one
 * ({@link ListenCalibration}).
 */
public final class ListenSuite implements Suite {

    @Override
    public String name() {
        return "listen";
    }

    @Override
    public String description() {
        return "players on real javax.sound lines mixed in one PulseAudio sink: onsets, spread and notes heard, from one recording";
    }

    @Override
    public List<Table> run(BenchContext ctx) throws Exception {
        int chords = ctx.quick() ? 20 : 40;
        int timedRuns = ctx.quick() ? 3 : 5;
        int plainRuns = ctx.quick() ? 3 : 5;
        int bwvRuns = ctx.quick() ? 3 : 3;
        int bwvMeasures = ctx.quick() ? 4 : 8;
        PulseAudioSink.ensureInstalled(ctx.log(), ctx.file("listen/apt-get.log"));
        Path sync = ListenScores.syncTest(ctx.file("listen/sync-test.json"), chords, ListenScores.VOICES.size());
        Path bwv = ListenScores.bwv846Rhythm(ctx.file("listen/bwv846-rhythm.json"), bwvMeasures);
        List<ListenAnalysis.Run> runs = new ArrayList<>();
        Map<String, Double> steal = new HashMap<>(); // by run label: this thread's only
        ListenAnalysis.Run stalled = null;
        Table calibration = null;
        String cpus;
        try (PulseAudioSink pulse = PulseAudioSink.start(ListenRecording.RATE, ctx.file("listen/pulseaudio.log"));
             CpuKeeper keeper = ctx.keepCpusBusy() ? CpuKeeper.start(ctx.file("listen/cpu-keeper.log"))
                     : CpuKeeper.none()) {
            cpus = keeper.description();
            ctx.log().printf("   private PulseAudio daemon pid %d, null sink 'vsink' at %d Hz; %s%n", pulse.pid(),
                    ListenRecording.RATE, cpus);
            for (int i = 1; i <= timedRuns && ctx.runs("timed"); i++) {
                runs.add(measure(ctx, pulse, sync, "timed", "timed " + i, ListenScores.VOICES.size(), steal));
            }
            for (int i = 1; i <= plainRuns && ctx.runs("plain"); i++) {
                runs.add(measure(ctx, pulse, sync, "legacy", "plain " + i, ListenScores.VOICES.size(), steal));
            }
            for (int i = 1; i <= bwvRuns && ctx.runs("bwv846"); i++) {
                runs.add(measure(ctx, pulse, bwv, "timed", "bwv846 " + i, 3, steal));
            }
            if (ctx.runs("hoststalls")) {
                ctx.log().printf("   timed, every process stopped %s ...%n", HOST_STALLS.describe());
                runs.add(recorded(ctx, pulse, sync, "timed", HOST_STALLED, ListenScores.VOICES.size(), List.of(),
                        HOST_STALLS, steal));
            }
            if (ctx.runs("stall")) {
                ctx.log().printf("   timed, %s stalled 200 ms ...%n", ListenScores.VOICES.get(0));
                stalled = recorded(ctx, pulse, sync, "timed", STALLED, ListenScores.VOICES.size(),
                        List.of("--test-stall-ms", "200", "--test-stall-after", Double.toString(STALL_AFTER_SECONDS)),
                        null, steal);
            }
            if (ctx.runs("calibration")) {
                calibration = ListenCalibration.run(ctx, pulse, ListenCalibration.runs(ctx));
            }
        }
        Table table = new Table("What a listener hears: javax.sound players mixed in one PulseAudio null sink (sync test: "
                + chords + " chords of four players from silence, 0.25 s on / 0.25 s off; BWV 846: mm. 1-" + bwvMeasures
                + " on three players; ms)",
                "run", "score", "protocol", "notes heard (worst player)", "spread between players p50 / p99 / max",
                "error vs deadline (absolute) p50 / p99 / max", "recording offset",
                "recording's clock vs the director's (ppm)", "error with the recording's rate fitted p50 / p99 / max",
                "line frames/s (min…max)", "host's steal during the run");
        for (ListenAnalysis.Run r : runs) {
            double lo = Arrays.stream(r.framesPerSecond()).filter(d -> !Double.isNaN(d)).min().orElse(Double.NaN);
            double hi = Arrays.stream(r.framesPerSecond()).filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN);
            table.row(r.label(), r.label().startsWith("bwv846") ? "BWV 846" : "sync test",
                    "legacy".equals(r.protocol()) ? "plain integer" : "timed",
                    r.heardTotal() + " of " + r.sentTotal() + " (" + r.worst(ListenScores.VOICES) + ")",
                    ms2(r.spread()), ms2(r.error()),
                    String.format(Locale.ROOT, "%.1f", r.offsetMs()),
                    String.format(Locale.ROOT, "%+.0f", r.recordingPpm()), ms2(r.errorRateFitted()),
                    String.format(Locale.ROOT, "%.0f…%.0f", lo, hi),
                    CpuSteal.format(steal.getOrDefault(r.label(), Double.NaN)));
        }
        table.note("Measured from one recording of the sink's monitor: each player sounds a sine in its own band ("
                + "500, 900, 1300, 1700 Hz); an onset is the 50 % crossing of the band's envelope (analytic-signal"
                + " demodulation, 8 ms Hann low-pass; instrument error about ±0.15 ms, see BandEnvelopeTest).");
        table.note("Spread = latest minus earliest player of a chord (BWV 846 has no chord whose voices start together:"
                + " '–'). Error = onset minus the director's deadline minus the recording offset (the median error of the"
                + " run: parecord's start, the monitor's capture latency and the half of the 2 ms fade-in before the 50 %"
                + " point). The recording is the sink's frames, rendered by its own timer, which runs +125…+270 ppm"
                + " fast against the machine's clock on this VM (reproduced without Concerto: bench/docs/listen.md):"
                + " 'recording's clock' = the slope of onset minus deadline over the run, 'error with the recording's"
                + " rate fitted' = the error with that slope taken out as well as the offset (a drift of the players"
                + " themselves would be taken out too: their own line rates are in their stop lines)."
                + " Heard = deadlines with an onset within ±100 ms. Line frames/s: the slope of each player's"
                + " applied frames against its clock (" + ListenRecording.RATE + " = real time). Host's steal = the"
                + " share of the machine's CPU time its hypervisor gave to others during the run (/proc/stat: 0 on a"
                + " machine of its own, '–' where it cannot be read): a host that takes a CPU away for tens of ms stops"
                + " the sound server and every player at once, their lines run dry, and each player corrects its own"
                + " (bench/docs/listen.md). In these runs: " + cpus + ".");
        if (runs.stream().anyMatch(r -> r.label().equals(HOST_STALLED))) {
            table.note("'" + HOST_STALLED + "': the sync test with every process of the run (the sound server, the"
                    + " players, the recorder, the director) stopped together with SIGSTOP and continued with SIGCONT, "
                    + HOST_STALLS.describe() + " from the recorder's start to the director's end (HostStalls), as a host"
                    + " that takes the VM's CPUs away stops them, but at known instants and far more often: each line"
                    + " runs dry and each player must get back in time on its own. Not a goal of #13: a chord that"
                    + " falls in a stall, or in the few tens of ms after it before the players have corrected, is"
                    + " wide; every note must still be heard. The stalls as they happened: "
                    + ListenRecording.directory(HOST_STALLED) + "/host-stalls.txt.");
        }
        List<Charts.Series> series = new ArrayList<>();
        for (ListenAnalysis.Run r : runs) {
            if (!r.chordTimes().isEmpty()) {
                series.add(new Charts.Series(r.label(), r.chordTimes(), r.chordSpreads()));
            }
        }
        if (stalled != null) {
            series.add(new Charts.Series(stalled.label(), stalled.chordTimes(), stalled.chordSpreads()));
        }
        if (!series.isEmpty()) {
            table.note(Charts.scatter(ctx.file("listen.png"), "Spread between players per chord, as heard",
                    "time in piece (s)", "spread (ms)", series));
        }
        List<Table> tables = new ArrayList<>();
        if (!runs.isEmpty()) {
            tables.add(table);
        }
        if (stalled != null) {
            tables.add(stallTable(ctx, stalled, steal.getOrDefault(stalled.label(), Double.NaN)));
        }
        if (calibration != null) {
            tables.add(calibration);
        }
        return tables;
    }

    /** "p50 / p99 / max" in ms with two decimals (the goals are 1 and 2 ms). */
    static String ms2(Stats s) {
        if (s.count() == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", s.percentile(50) / 1000, s.percentile(99) / 1000,
                s.max() / 1000);
    }

    private static ListenAnalysis.Run measure(BenchContext ctx, PulseAudioSink pulse, Path score, String protocol,
                                              String label, int players, Map<String, Double> steal) throws Exception {
        ctx.log().printf("   %s ...%n", label);
        return recorded(ctx, pulse, score, protocol, label, players, List.of(), null, steal);
    }

    /**
     * One recorded run (stopped by {@code hostStalls} unless null), and the host's steal during it (into
     * {@code steal}, by the run's label).
     */
    private static ListenAnalysis.Run recorded(BenchContext ctx, PulseAudioSink pulse, Path score, String protocol,
                                               String label, int players, List<String> playerArgs,
                                               HostStalls.Plan hostStalls, Map<String, Double> steal) throws Exception {
        CpuSteal before = CpuSteal.now();
        ListenAnalysis.Run run = ListenRecording.record(ctx, pulse, score, protocol, label, players, playerArgs,
                hostStalls);
        steal.put(run.label(), CpuSteal.percentSinceNow(before));
        return run;
    }

    /** The run with one player's audio thread blocked ({@link #STALL_AFTER_SECONDS}). */
    static final String STALLED = "timed stalled";
    /** The run under {@link #HOST_STALLS}. */
    static final String HOST_STALLED = "timed host-stalled";
    /**
     * What the host-stalled run suffers: every process of the run stopped together, 60 ms each 1.3 s
     * (not a multiple of the chords' 0.5 s, so the stalls fall at every point between them). Longer
     * than a line holds (20 ms), as the host's stalls on the development VM often were; and far more
     * often than they were, so that one run shows what many hours of them would.
     */
    static final HostStalls.Plan HOST_STALLS = new HostStalls.Plan(Duration.ofMillis(1300), Duration.ofMillis(60));

    /**
     * When the first player's audio thread blocks, s after it is ready: a few seconds into the piece.
     * The piece began 5.6-6.8 s after the players were ready until play waited for settled clocks
     * (main 780a1d7); then 11.6 s (the stall at 9 s fell 2.6 s before the first chord).
     */
    static final double STALL_AFTER_SECONDS = 14;

    /** The stalled run: how far the chords after the stall were smeared, and when they were together again. */
    private static Table stallTable(BenchContext ctx, ListenAnalysis.Run r, double stealPercent) throws IOException {
        Path dir = ctx.file(ListenRecording.directory(STALLED) + "/x").getParent();
        String player = ListenScores.VOICES.get(0);
        long stallMicros = stallInstant(dir.resolve(player + ".log"), r.firstDeadlineMicros());
        List<Double> corrections = new ArrayList<>();
        long correctedMicros = Long.MAX_VALUE;
        for (LineCorrection c : LineCorrection.read(dir.resolve(player + ".events.jsonl"))) {
            if (c.tMicros() >= stallMicros) {
                corrections.add(c.shiftMs());
                correctedMicros = Math.min(correctedMicros, c.tMicros());
            }
        }
        // Back in step: the first chord after which every chord's spread is within 2 ms.
        double stallAt = stallMicros == Long.MAX_VALUE ? Double.NaN : (stallMicros - r.firstDeadlineMicros()) / 1e6;
        double correctedAt = correctedMicros == Long.MAX_VALUE ? Double.NaN : (correctedMicros - r.firstDeadlineMicros()) / 1e6;
        double backAt = Double.NaN;
        for (int i = r.chordTimes().size() - 1; i >= 0; i--) {
            if (r.chordSpreads().get(i) > 2) {
                break;
            }
            backAt = r.chordTimes().get(i);
        }
        // The stalled player back in step: the first chord after the stall at which it is heard within the
        // spread goal (1 ms) of the other players' median (later events of any player do not move it).
        double playerBackAt = Double.NaN;
        for (int i = 0; i < r.chordTimes().size() && !Double.isNaN(stallAt); i++) {
            if (r.chordTimes().get(i) >= stallAt && Math.abs(offFromOthers(r.chordOnsets().get(i))) <= IN_STEP_MS) {
                playerBackAt = r.chordTimes().get(i);
                break;
            }
        }
        double firstAfter = Double.NaN;
        for (int i = 0; i < r.chordTimes().size() && !Double.isNaN(stallAt); i++) {
            if (r.chordTimes().get(i) >= stallAt) {
                firstAfter = r.chordSpreads().get(i);
                break;
            }
        }
        Table t = new Table("A stalled line: the " + ListenScores.VOICES.get(0) + " player's audio thread blocked 200 ms about "
                + STALL_AFTER_SECONDS + " s after it was ready (--test-stall-ms; ms)",
                "notes heard (worst player)", "spread p50 / p99 / max", "stall at (s into the piece)",
                "corrections from then on (ms shifted)", "first correction at (s)", "spread of the next chord",
                "stalled player within 1 ms of the others again from (s)", "stalled player back in step within (s)",
                "every chord ≤ 2 ms from (s)", "every chord ≤ 2 ms within (s)", "host's steal during the run");
        t.row(r.heardTotal() + " of " + r.sentTotal() + " (" + r.worst(ListenScores.VOICES) + ")", ms2(r.spread()),
                Double.isNaN(stallAt) ? "–" : String.format(Locale.ROOT, "%.2f", stallAt),
                corrections.isEmpty() ? "none" : corrections.size() + " ("
                        + corrections.stream().map(c -> String.format(Locale.ROOT, "%+.1f", c)).reduce((a, b) -> a + ", " + b).orElse("") + ")",
                Double.isNaN(correctedAt) ? "–" : String.format(Locale.ROOT, "%.2f", correctedAt),
                Double.isNaN(firstAfter) ? "–" : String.format(Locale.ROOT, "%.2f", firstAfter),
                Double.isNaN(playerBackAt) ? "never" : String.format(Locale.ROOT, "%.2f", playerBackAt),
                Double.isNaN(playerBackAt) || Double.isNaN(stallAt) ? "–"
                        : String.format(Locale.ROOT, "%.2f", playerBackAt - stallAt),
                Double.isNaN(backAt) ? "never" : String.format(Locale.ROOT, "%.2f", backAt),
                Double.isNaN(backAt) || Double.isNaN(stallAt) ? "–"
                        : String.format(Locale.ROOT, "%.2f", Math.max(0, backAt - stallAt)),
                CpuSteal.format(stealPercent));
        t.note("The player watches the frames its line consumed against its clock; when the line is more than"
                + " 3 ms behind (or ahead) for 8 blocks in a row it skips (or inserts) that much audio and logs a"
                + " warning with the size ('line-correction' event). 'Stalled player within 1 ms of the others again' ="
                + " the first chord after the stall at which the stalled player is heard within 1 ms of the median of"
                + " the others; 'back in step within' = that minus the stall. 'Every chord ≤ 2 ms from' = from this"
                + " chord on, every chord's spread as heard is ≤ 2 ms, whatever smeared it (a later stall of all"
                + " lines at once, another player's clock estimate); 'within' = that minus the stall. The stall's"
                + " instant is the player's 'TEST: blocking' log line.");
        return t;
    }

    /** The spread goal a stalled player must be back within, ms. */
    static final double IN_STEP_MS = 1.0;

    /** The first player's onset minus the median of the others' (ms; NaN when it or all of them were not heard). */
    static double offFromOthers(double[] onsetsMs) {
        double[] others = Arrays.stream(onsetsMs, 1, onsetsMs.length).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (Double.isNaN(onsetsMs[0]) || others.length == 0) {
            return Double.NaN;
        }
        int n = others.length;
        double median = n % 2 == 1 ? others[n / 2] : (others[n / 2 - 1] + others[n / 2]) / 2;
        return onsetsMs[0] - median;
    }

    /**
     * When the player's audio thread was blocked: its "TEST: blocking" log line (local time of day,
     * on the day of {@code nearMicros}), epoch µs; Long.MAX_VALUE when it did not stall.
     */
    static long stallInstant(Path playerLog, long nearMicros) throws IOException {
        java.time.ZoneId zone = java.time.ZoneId.systemDefault();
        java.time.LocalDate day = java.time.Instant.ofEpochSecond(nearMicros / 1_000_000).atZone(zone).toLocalDate();
        for (String line : Files.readAllLines(playerLog)) {
            if (line.contains("TEST: blocking the audio thread") && line.length() > 12) {
                java.time.LocalTime time = java.time.LocalTime.parse(line.substring(0, 12));
                java.time.Instant at = time.atDate(day).atZone(zone).toInstant();
                return at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
            }
        }
        return Long.MAX_VALUE;
    }

}
