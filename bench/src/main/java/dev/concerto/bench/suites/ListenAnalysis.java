package dev.concerto.bench.suites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.bench.audio.WavFile;
import dev.concerto.bench.report.LineFit;
import dev.concerto.bench.report.Stats;
import dev.concerto.protocol.signal.BandEnvelope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code listen} suite's figures from one recording: each player's onsets in its own band
 * ({@link BandEnvelope}), matched to the director's deadlines; the spread between the players of each
 * chord; each onset against its deadline; notes never heard; and the rate each player's line
 * consumed frames at (from the players' events).
 *
 * <p>The recording's clock: sample 0 is taken as the instant the bench started {@code parecord}; the
 * constant that this misses (parecord's start-up, the monitor's capture latency and half the
 * players' 2 ms fade-in, where the 50 % crossing lies) is found as the shift that lines up the most
 * deadlines with an onset ({@link #recordingOffset}), stated as "recording offset", and errors are
 * given against it. Spreads need no such mapping. Pure
 * functions of files; thread-safe.
 */
public final class ListenAnalysis {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A deadline and an onset further apart than this (after the recording offset) do not match. */
    private static final long MATCH_WINDOW_MICROS = 100_000;

    private ListenAnalysis() {
    }

    /**
     * One run's figures.
     *
     * @param expected    notes each player was sent (the most of any player)
     * @param sent        per player, notes it was sent (note starts after silence)
     * @param heard       per player, deadlines with an onset within ±100 ms (after the recording offset)
     * @param spread      per chord (deadline with two or more players heard), latest minus earliest onset, µs
     * @param error       per note heard, |onset − deadline − recording offset|, µs
     * @param offsetMs    the recording offset, ms
     * @param onsetsFound per player, onsets found in its band anywhere in the recording
     * @param chordOnsets per chord (the order of {@code chordTimes}), each player's onset minus the
     *                    chord's deadline, ms (NaN: not heard)
     * @param recordingPpm the recording's clock against the director's, ppm: the slope of onset minus
     *                     deadline over the run (the sink renders its frames by its own timer)
     * @param errorRateFitted per note heard, |onset − deadline − (offset + slope · time)|, µs: the error
     *                     with the recording's rate taken out as well as its offset
     */
    public record Run(String label, String protocol, int expected, int[] sent, int[] heard, Stats spread, Stats error, double offsetMs,
               double[] framesPerSecond, List<Double> chordTimes, List<Double> chordSpreads, long firstDeadlineMicros,
               int[] onsetsFound, List<double[]> chordOnsets, double recordingPpm, Stats errorRateFitted) {

        /** Notes heard of notes sent, over all players. */
        public int heardTotal() {
            return Arrays.stream(heard).sum();
        }

        public int sentTotal() {
            return Arrays.stream(sent).sum();
        }

        /** The player that missed the most notes, as "p500 18/20" (by index into its voices). */
        public String worst(List<String> voices) {
            int w = 0;
            for (int p = 1; p < heard.length; p++) {
                if (sent[p] - heard[p] > sent[w] - heard[w]) {
                    w = p;
                }
            }
            return voices.get(w) + " " + heard[w] + "/" + sent[w];
        }
    }

    /** Note starts per player (deadline µs, epoch), from the director's events: a non-zero tone after silence. */
    static Map<String, long[]> noteStarts(Path directorEvents) throws IOException {
        Map<String, TreeMap<Long, Long>> byPlayer = new LinkedHashMap<>();
        for (DirectorEvents.Send s : DirectorEvents.read(directorEvents).sends()) {
            byPlayer.computeIfAbsent(s.player(), k -> new TreeMap<>()).put(s.deadlineMicros(), Math.round(s.hz()));
        }
        Map<String, long[]> starts = new LinkedHashMap<>();
        byPlayer.forEach((player, changes) -> {
            List<Long> s = new ArrayList<>();
            long previous = 0;
            for (Map.Entry<Long, Long> c : changes.entrySet()) {
                if (c.getValue() > 0 && previous == 0) {
                    s.add(c.getKey());
                }
                previous = c.getValue();
            }
            starts.put(player, s.stream().mapToLong(Long::longValue).toArray());
        });
        return starts;
    }

    /**
     * Analyses a recording of the players named {@code voices} (player i sounding in band
     * {@link ListenScores#BANDS}[i]); {@code dir} holds each player's events file.
     */
    static Run analyse(String label, String protocol, WavFile wav, long recordingStartMicros, Path directorEvents,
                       Path dir, List<String> voices) throws IOException {
        Map<String, long[]> starts = noteStarts(directorEvents);
        double[][] onsetMicros = new double[voices.size()][];
        for (int p = 0; p < voices.size(); p++) {
            double[] seconds = BandEnvelope.onsets(
                    BandEnvelope.of(wav.samples(), wav.sampleRate(), ListenScores.BANDS[p], 0.008),
                    wav.sampleRate(), 0.5, 0.1, 0.002);
            onsetMicros[p] = Arrays.stream(seconds).map(s -> recordingStartMicros + s * 1e6).toArray();
        }
        double offset = recordingOffset(voices, starts, onsetMicros);
        int expected = 0;
        int[] heard = new int[voices.size()];
        int[] sent = new int[voices.size()];
        Stats error = new Stats();
        Map<Long, List<Double>> chordOnsets = new TreeMap<>();
        Map<Long, double[]> byPlayer = new TreeMap<>();
        List<double[]> pairs = new ArrayList<>(); // (deadline µs, onset − deadline µs) of every note heard
        for (int p = 0; p < voices.size(); p++) {
            long[] d = starts.getOrDefault(voices.get(p), new long[0]);
            expected = Math.max(expected, d.length);
            sent[p] = d.length;
            for (long deadline : d) {
                double want = deadline + offset;
                double best = Double.NaN;
                for (double o : onsetMicros[p]) {
                    if (Math.abs(o - want) <= MATCH_WINDOW_MICROS && (Double.isNaN(best) || Math.abs(o - want) < Math.abs(best - want))) {
                        best = o;
                    }
                }
                if (!Double.isNaN(best)) {
                    heard[p]++;
                    error.record(Math.abs(best - want));
                    chordOnsets.computeIfAbsent(deadline, k -> new ArrayList<>()).add(best);
                    byPlayer.computeIfAbsent(deadline, k -> nans(voices.size()))[p] = (best - deadline) / 1000;
                    pairs.add(new double[] {deadline, best - deadline});
                }
            }
        }
        Stats spread = new Stats();
        List<Double> times = new ArrayList<>();
        List<Double> spreads = new ArrayList<>();
        List<double[]> perPlayer = new ArrayList<>();
        long first = chordOnsets.isEmpty() ? 0 : chordOnsets.keySet().iterator().next();
        chordOnsets.forEach((deadline, os) -> {
            if (os.size() >= 2) {
                double s = os.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
                        - os.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                spread.record(s);
                times.add((deadline - first) / 1e6);
                spreads.add(s / 1000);
                perPlayer.add(byPlayer.get(deadline));
            }
        });
        double[] rateFit = rateFit(pairs, offset, first);
        Stats errorRateFitted = new Stats();
        for (double[] q : pairs) {
            errorRateFitted.record(Math.abs(q[1] - rateFit[1] - rateFit[0] * (q[0] - first)));
        }
        double[] fps = new double[voices.size()];
        for (int p = 0; p < voices.size(); p++) {
            fps[p] = framesPerSecond(dir.resolve(voices.get(p) + ".events.jsonl"));
        }
        int[] found = Arrays.stream(onsetMicros).mapToInt(o -> o.length).toArray();
        return new Run(label, protocol, expected, sent, heard, spread, error, offset / 1000, fps, times, spreads, first, found,
                perPlayer, rateFit[0] * 1e6, errorRateFitted);
    }

    /** Notes further than this from the first fit are left out of the second, µs (a chord all lines stalled on). */
    private static final double RATE_FIT_KEEP_MICROS = 2_000;

    /**
     * The recording's rate and offset: least squares of (onset − deadline) against the deadline over
     * the notes within {@link #OFFSET_VOTE_MICROS} of the recording offset, then again over those within
     * {@value #RATE_FIT_KEEP_MICROS} µs of that first line (a chord that every line stalled on together,
     * 10-20 ms late, would bend it). Returns {slope, intercept at {@code first}}.
     */
    static double[] rateFit(List<double[]> pairs, double offset, long first) {
        double[] fit = line(pairs, first, q -> Math.abs(q[1] - offset) <= OFFSET_VOTE_MICROS, new double[] {0, offset});
        double[] coarse = fit;
        return line(pairs, first,
                q -> Math.abs(q[1] - coarse[1] - coarse[0] * (q[0] - first)) <= RATE_FIT_KEEP_MICROS, coarse);
    }

    private static double[] line(List<double[]> pairs, long first, java.util.function.Predicate<double[]> use,
                                 double[] otherwise) {
        LineFit fit = new LineFit();
        for (double[] q : pairs) {
            if (use.test(q)) {
                fit.add(q[0] - first, q[1]);
            }
        }
        if (fit.count() < 3 || Double.isNaN(fit.slope())) {
            return otherwise;
        }
        return new double[] {fit.slope(), fit.intercept()};
    }

    private static double[] nans(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    /** Onsets within this of a deadline (after a candidate offset) count for that candidate, µs. */
    private static final double OFFSET_VOTE_MICROS = 20_000;
    /**
     * Candidate offsets come from onsets and deadlines at most this far apart, µs. parecord on a loaded
     * machine began recording more than 1 s after it was started (a 1 s search then picked the shift
     * by one 0.5 s period of the sync test: every chord matched to its neighbour's deadline, one "not heard").
     */
    private static final double OFFSET_SEARCH_MICROS = 3_000_000;

    /**
     * The recording offset, µs: the shift of the recording's clock that lines up the most deadlines
     * with an onset of their player (within ±20 ms), refined to the median of those pairs. Not the
     * median of each onset's nearest deadline: with notes closer together than the offset (BWV 846's
     * sixteenths are 227 ms apart, and parecord's start on a busy machine can be later than that) the
     * nearest deadline is a neighbour's.
     */
    static double recordingOffset(List<String> voices, Map<String, long[]> starts, double[][] onsetMicros) {
        double best = 0;
        int bestVotes = -1;
        for (int p = 0; p < voices.size(); p++) {
            long[] d = starts.getOrDefault(voices.get(p), new long[0]);
            for (double o : onsetMicros[p]) {
                for (long x : d) {
                    double c = o - x;
                    if (Math.abs(c) > OFFSET_SEARCH_MICROS) {
                        continue;
                    }
                    int votes = matched(voices, starts, onsetMicros, c, null);
                    if (votes > bestVotes || (votes == bestVotes && Math.abs(c) < Math.abs(best))) {
                        bestVotes = votes;
                        best = c;
                    }
                }
            }
        }
        if (bestVotes <= 0) {
            return 0;
        }
        List<Double> pairs = new ArrayList<>();
        matched(voices, starts, onsetMicros, best, pairs);
        pairs.sort(null);
        return pairs.get(pairs.size() / 2);
    }

    /** Deadlines with an onset of their player within ±{@link #OFFSET_VOTE_MICROS} of deadline + c; their errors into {@code errors}. */
    private static int matched(List<String> voices, Map<String, long[]> starts, double[][] onsetMicros, double c,
                               List<Double> errors) {
        int n = 0;
        for (int p = 0; p < voices.size(); p++) {
            double[] os = onsetMicros[p];
            for (long x : starts.getOrDefault(voices.get(p), new long[0])) {
                double want = x + c;
                int i = Arrays.binarySearch(os, want);
                i = i < 0 ? -i - 1 : i;
                for (int j = Math.max(0, i - 1); j <= Math.min(os.length - 1, i); j++) {
                    if (Math.abs(os[j] - want) <= OFFSET_VOTE_MICROS) {
                        n++;
                        if (errors != null) {
                            errors.add(os[j] - x);
                        }
                        break;
                    }
                }
            }
        }
        return n;
    }

    /** Least-squares slope of the applied frame against the player's clock (t_us), frames per second. */
    static double framesPerSecond(Path events) throws IOException {
        if (!Files.exists(events)) {
            return Double.NaN;
        }
        LineFit fit = new LineFit();
        long x0 = Long.MIN_VALUE;
        for (String line : Files.readAllLines(events)) {
            JsonNode e = JSON.readTree(line);
            if (!"tone".equals(e.path("event").asText())) {
                continue;
            }
            long t = e.path("t_us").asLong();
            if (x0 == Long.MIN_VALUE) {
                x0 = t;
            }
            fit.add((t - x0) / 1e6, e.path("frame").asDouble());
        }
        return fit.slope();
    }
}
