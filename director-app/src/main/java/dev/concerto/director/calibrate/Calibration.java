package dev.concerto.director.calibrate;

import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.protocol.signal.BandEnvelope;
import dev.concerto.protocol.signal.ChipSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Finds, in one microphone recording of a {@link ProbePlan}, when each of each player's probes
 * arrived, and turns the arrivals into latency offsets: the earliest player keeps 0, each later one
 * gets a negative offset of its lateness (so it is sent its notes that much earlier, as the roster's
 * {@code latencyOffsetMs} means). Each probe is compared with the other players' probes of its round
 * (what all players share at a moment is the recording's drift, not a latency). A player's arrival
 * is the mean of its probes that agree with their median (within {@link #AGREEMENT_MS}): a probe
 * spoiled by a stalled line, a click or a cough is left out, and the result says how many of the
 * probes agreed. Pure: samples, a capture clock and
 * deadlines in; results out. Stateless; thread-safe.
 */
public final class Calibration {

    /** A match whose correlation peak is less than this times the strongest side lobe is not believed. */
    static final double MIN_CLARITY = 2.0;
    /** A probe quieter than this (sample units; full scale 1) was not heard. */
    static final double MIN_LEVEL = 0.002;
    /**
     * Where a probe is searched for, from its deadline, s: the capture path's latency is unknown but
     * not negative; a timed player is not early by more than its clock error.
     */
    static final double SEARCH_BEFORE_SECONDS = 0.03;
    /** ... to this long after the deadline, s: the largest output plus microphone latency it can measure. */
    public static final double SEARCH_AFTER_SECONDS = 0.20;
    /** A round's median stands for what all players shared when at least this many of its probes are clear. */
    static final int MIN_ROUND_PROBES = 5;
    /** Probes of one player whose arrivals differ from their median by more than this, ms, are left out. */
    static final double AGREEMENT_MS = 1.0;

    private Calibration() {
    }

    /** Why a player got no offset. */
    public enum Outcome {
        /** Found clearly, and its probes agreed. */
        HEARD,
        /** Nothing at the probe's frequency where it should be: the microphone does not hear this player. */
        SILENT,
        /** Something, but no single clear arrival: another sound, an echo, or two players at once. */
        UNCLEAR,
        /** Heard clearly, but its probes arrived at different times: the output does not keep time. */
        UNSTEADY
    }

    /**
     * One player's result.
     *
     * @param entry       the roster entry (with its offset before calibration)
     * @param outcome     whether it was heard clearly
     * @param arrivalMs   the probes' arrival after their deadlines, on the recording's clock (includes
     *                    the microphone's own latency, the same for every player), ms; NaN unless heard
     * @param level       the probes' amplitude in the recording (full scale 1), the loudest one's
     * @param clarity     the correlation peak over the strongest side lobe, the clearest probe's
     * @param newOffsetMs the suggested latencyOffsetMs (the old one when not heard)
     * @param probeArrivalsMs each probe's arrival after its deadline, ms, in the order played; NaN
     *                    for a probe not heard clearly
     * @param agreeing    probes heard clearly and within {@link #AGREEMENT_MS} of their median (the
     *                    arrival is their mean)
     * @param spreadMs    latest minus earliest arrival of the agreeing probes, ms (0 for one probe);
     *                    for UNSTEADY, of every clear probe
     * @param note        for SILENT and UNCLEAR, what was wrong (null otherwise)
     */
    public record PlayerResult(RosterEntry entry, Outcome outcome, double arrivalMs, double level, double clarity,
                               double newOffsetMs, List<Double> probeArrivalsMs, int agreeing, double spreadMs,
                               String note) {

        public PlayerResult {
            probeArrivalsMs = List.copyOf(probeArrivalsMs);
        }

        /** A result from one probe (as before rounds existed; for tests and fakes). */
        public PlayerResult(RosterEntry entry, Outcome outcome, double arrivalMs, double level, double clarity,
                            double newOffsetMs) {
            this(entry, outcome, arrivalMs, level, clarity, newOffsetMs, List.of(arrivalMs),
                    outcome == Outcome.HEARD ? 1 : 0, 0, null);
        }

        /** How many probes were played to this player. */
        public int probes() {
            return probeArrivalsMs.size();
        }

        /** Each probe's arrival, e.g. "+3.10 +3.12 -" (ms; "-" for a probe not heard clearly). */
        public String probeList() {
            StringBuilder b = new StringBuilder();
            for (double a : probeArrivalsMs) {
                b.append(b.length() == 0 ? "" : " ").append(Double.isNaN(a) ? "-" : String.format(Locale.ROOT, "%+.2f", a));
            }
            return b.toString();
        }

        /** A line for the CLI and the GUI: name, outcome, before → after. */
        public String describe() {
            return switch (outcome) {
                case HEARD -> String.format(Locale.ROOT, "%-16s heard %+7.2f ms (%d of %d probes agree within %.2f ms: %s;"
                                + " level %.3f, clarity %.1f)   offset %+.1f -> %+.1f ms", entry.name(), arrivalMs,
                        agreeing, probes(), spreadMs, probeList(), level, clarity, entry.latencyOffsetMs(), newOffsetMs);
                case SILENT -> String.format(Locale.ROOT, "%-16s NOT HEARD: %s   offset stays %+.1f ms",
                        entry.name(), note, entry.latencyOffsetMs());
                case UNCLEAR -> String.format(Locale.ROOT, "%-16s UNCLEAR: %s   offset stays %+.1f ms",
                        entry.name(), note, entry.latencyOffsetMs());
                case UNSTEADY -> String.format(Locale.ROOT, "%-16s UNSTEADY: its %d clear probes arrived up to %.1f ms"
                                + " apart (%s ms: a line that stalls, or a busy machine); run calibration again"
                                + "   offset stays %+.1f ms", entry.name(), agreeing, spreadMs, probeList(),
                        entry.latencyOffsetMs());
            };
        }
    }

    /** One probe's match in the recording. */
    private record Probe(double arrivalMs, double level, double clarity, Problem problem) {
    }

    /** Why one probe was not believed. */
    private enum Problem { NONE, NOT_SENT, NOT_RECORDED, QUIET, NOT_CLEAR, AT_EDGE }

    /**
     * Analyses a recording.
     *
     * @param plan          what was played
     * @param samples       the microphone's samples, mono, full scale ±1
     * @param sampleRate    their rate
     * @param clock         when each sample was captured
     * @param deadlineNanos per player of the plan and per round, when that probe's first chip was due
     *                      (the director's monotonic clock, the same as the capture clock's);
     *                      {@link Long#MIN_VALUE} for a probe never sent
     */
    public static List<PlayerResult> analyse(ProbePlan plan, float[] samples, int sampleRate, CaptureClock clock,
                                             long[][] deadlineNanos) {
        ChipSequence chips = plan.chips();
        Stretch stretch = Stretch.of(chips, samples.length, sampleRate, clock, deadlineNanos);
        float[] envelope = BandEnvelope.of(Arrays.copyOfRange(samples, stretch.from(), stretch.to()), sampleRate,
                plan.hz(), 0.004);
        int players = plan.players().size();
        Probe[][] probes = new Probe[players][];
        for (int i = 0; i < players; i++) {
            probes[i] = new Probe[deadlineNanos[i].length];
            for (int r = 0; r < probes[i].length; r++) {
                probes[i][r] = locate(chips, envelope, stretch.from(), sampleRate, clock, deadlineNanos[i][r]);
            }
        }
        removeCommonDrift(probes, deadlineNanos);
        List<PlayerResult> results = new ArrayList<>();
        double earliest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < players; i++) {
            PlayerResult r = combine(plan.players().get(i), probes[i]);
            results.add(r);
            if (r.outcome() == Outcome.HEARD) {
                earliest = Math.min(earliest, r.arrivalMs());
            }
        }
        for (int i = 0; i < players; i++) {
            PlayerResult r = results.get(i);
            if (r.outcome() == Outcome.HEARD) {
                double offset = Math.round(-(r.arrivalMs() - earliest) * 10) / 10.0; // 0.1 ms: finer than the method's error
                results.set(i, new PlayerResult(r.entry(), r.outcome(), r.arrivalMs(), r.level(), r.clarity(),
                        offset == 0 ? 0 : offset, r.probeArrivalsMs(), r.agreeing(), r.spreadMs(), null));
            }
        }
        return results;
    }

    /**
     * Removes from every clear probe's arrival what all players shared at that moment: a line through
     * each round's median arrival (at the round's median deadline), followed between rounds and held
     * beyond them, then adds back the median of those medians. What all players share is not a player's
     * latency but the recording's: a microphone whose sample clock runs a little fast or slow
     * against the computer's, samples lost by an overloaded capture, a sound server that stalled every
     * stream at once. Calibration compares players, so it compares each probe with its round.
     * Rounds with fewer than {@link #MIN_ROUND_PROBES} clear probes are not used (their median could
     * be a player's own); with none (fewer players than that), nothing changes.
     */
    private static void removeCommonDrift(Probe[][] probes, long[][] deadlineNanos) {
        int rounds = probes.length == 0 ? 0 : probes[0].length;
        List<double[]> anchors = new ArrayList<>(); // {deadline ns, median arrival ms}
        for (int r = 0; r < rounds; r++) {
            List<Double> arrivals = new ArrayList<>();
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < probes.length; i++) {
                if (probes[i][r].problem() == Problem.NONE) {
                    arrivals.add(probes[i][r].arrivalMs());
                    times.add(deadlineNanos[i][r]);
                }
            }
            if (arrivals.size() >= MIN_ROUND_PROBES) {
                arrivals.sort(null);
                times.sort(null);
                anchors.add(new double[] {times.get(times.size() / 2), median(arrivals)});
            }
        }
        if (anchors.isEmpty()) {
            return;
        }
        anchors.sort((a, b) -> Double.compare(a[0], b[0]));
        double typical = median(anchors.stream().map(a -> a[1]).sorted().toList());
        for (int i = 0; i < probes.length; i++) {
            for (int r = 0; r < probes[i].length; r++) {
                Probe p = probes[i][r];
                if (p.problem() == Problem.NONE) {
                    double common = commonAt(anchors, deadlineNanos[i][r]);
                    probes[i][r] = new Probe(p.arrivalMs() - common + typical, p.level(), p.clarity(), p.problem());
                }
            }
        }
    }

    /**
     * The line through the anchors at {@code t}; before the first and after the last, the first and
     * last segment's line (half a round at most); with one anchor, its value.
     */
    private static double commonAt(List<double[]> anchors, double t) {
        if (anchors.size() == 1) {
            return anchors.get(0)[1];
        }
        int k = 1;
        while (k < anchors.size() - 1 && t > anchors.get(k)[0]) {
            k++;
        }
        double[] a = anchors.get(k - 1);
        double[] b = anchors.get(k);
        return b[0] == a[0] ? (a[1] + b[1]) / 2 : a[1] + (b[1] - a[1]) * (t - a[0]) / (b[0] - a[0]);
    }

    /** The median of sorted values. */
    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * The part of a recording the probes' search windows cover, with a margin for the envelope's
     * filters (so that within the windows the envelope is what the whole recording's would be): the
     * seconds before the first probe and after the last are not filtered, which on a busy machine
     * saves a good part of a second.
     *
     * @param from first frame of the recording in the stretch
     * @param to   frame after the last
     */
    private record Stretch(int from, int to) {

        /** The filters' reach (the Hilbert FIR's half-length and the low-pass's) with room to spare, s. */
        static final double MARGIN_SECONDS = 0.05;

        static Stretch of(ChipSequence chips, int frames, int sampleRate, CaptureClock clock, long[][] deadlineNanos) {
            double first = Double.POSITIVE_INFINITY;
            double last = Double.NEGATIVE_INFINITY;
            for (long[] player : deadlineNanos) {
                for (long deadline : player) {
                    if (deadline != Long.MIN_VALUE) {
                        double frame = clock.frameAt(deadline);
                        first = Math.min(first, frame);
                        last = Math.max(last, frame);
                    }
                }
            }
            if (first > last) {
                return new Stretch(0, frames);
            }
            double from = first - (SEARCH_BEFORE_SECONDS + MARGIN_SECONDS) * sampleRate;
            double to = last + (SEARCH_AFTER_SECONDS + chips.seconds() + MARGIN_SECONDS) * sampleRate;
            int a = (int) Math.max(0, Math.min(frames, Math.floor(from)));
            int b = (int) Math.max(a, Math.min(frames, Math.ceil(to)));
            return new Stretch(a, b);
        }
    }

    /**
     * One probe: the best match of the pattern in its search window, and whether to believe it.
     *
     * @param envelope the envelope of the recording from frame {@code offset} on
     */
    private static Probe locate(ChipSequence chips, float[] envelope, int offset, int sampleRate, CaptureClock clock,
                                long deadline) {
        if (deadline == Long.MIN_VALUE) {
            return new Probe(Double.NaN, 0, 0, Problem.NOT_SENT);
        }
        double frame = clock.frameAt(deadline);
        double expected = (frame - offset) / sampleRate;
        double from = expected - SEARCH_BEFORE_SECONDS;
        double to = expected + SEARCH_AFTER_SECONDS;
        if (frame / sampleRate - SEARCH_BEFORE_SECONDS < 0 || (to + chips.seconds()) * sampleRate > envelope.length) {
            return new Probe(Double.NaN, 0, 0, Problem.NOT_RECORDED);
        }
        ChipSequence.Match m = chips.find(envelope, sampleRate, from, to);
        double arrival = (clock.nanosOf(m.startSeconds() * sampleRate + offset) - deadline) / 1e6;
        Problem problem = Problem.NONE;
        if (m.level() < MIN_LEVEL) {
            problem = Problem.QUIET;
        } else if (m.peakToSideLobe() < MIN_CLARITY) {
            problem = Problem.NOT_CLEAR;
        } else if (m.startSeconds() - from < chips.chipSeconds() / 2 || to - m.startSeconds() < chips.chipSeconds() / 2) {
            // The best match at the window's edge: the real arrival is likely outside it.
            problem = Problem.AT_EDGE;
        }
        return new Probe(arrival, m.level(), m.peakToSideLobe(), problem);
    }

    /** One player's result from its probes. */
    private static PlayerResult combine(RosterEntry entry, Probe[] probes) {
        double level = 0;
        double clarity = 0;
        List<Double> clear = new ArrayList<>();
        List<Double> each = new ArrayList<>();
        int[] problems = new int[Problem.values().length];
        for (Probe p : probes) {
            each.add(p.problem() == Problem.NONE ? p.arrivalMs() : Double.NaN);
            level = Math.max(level, p.level());
            if (!Double.isInfinite(p.clarity())) {
                clarity = Math.max(clarity, p.clarity());
            } else {
                clarity = Math.max(clarity, 99);
            }
            problems[p.problem().ordinal()]++;
            if (p.problem() == Problem.NONE) {
                clear.add(p.arrivalMs());
            }
        }
        double old = entry.latencyOffsetMs();
        if (clear.isEmpty()) {
            Outcome outcome = level < MIN_LEVEL ? Outcome.SILENT : Outcome.UNCLEAR;
            return new PlayerResult(entry, outcome, Double.NaN, level, clarity, old, each, 0, 0,
                    why(problems, probes.length));
        }
        List<Double> sortedClear = clear.stream().sorted().toList();
        double median = median(sortedClear);
        double[] sorted = sortedClear.stream().mapToDouble(Double::doubleValue).toArray();
        double[] agreeing = Arrays.stream(sorted).filter(a -> Math.abs(a - median) <= AGREEMENT_MS).toArray();
        // Believed when most probes agree (three of five; two of three; the only one of one).
        if (agreeing.length * 2 <= probes.length) {
            if (sorted.length >= 2 && agreeing.length < sorted.length) {
                return new PlayerResult(entry, Outcome.UNSTEADY, Double.NaN, level, clarity, old, each,
                        sorted.length, sorted[sorted.length - 1] - sorted[0], null);
            }
            return new PlayerResult(entry, Outcome.UNCLEAR, Double.NaN, level, clarity, old, each, 0, 0,
                    "only " + clear.size() + " of " + probes.length + " probes were clear; " + why(problems, probes.length));
        }
        double mean = Arrays.stream(agreeing).average().orElseThrow();
        return new PlayerResult(entry, Outcome.HEARD, mean, level, clarity, old, each, agreeing.length,
                agreeing[agreeing.length - 1] - agreeing[0], null);
    }

    /** What went wrong with a player's probes, most telling first. */
    private static String why(int[] problems, int probes) {
        if (problems[Problem.NOT_SENT.ordinal()] == probes) {
            return "no probe was sent to it (is it reachable?)";
        }
        if (problems[Problem.NOT_RECORDED.ordinal()] > 0) {
            return "the recording does not cover its probes (the microphone started late or stopped early)";
        }
        if (problems[Problem.AT_EDGE.ordinal()] > 0) {
            return String.format(Locale.ROOT, "its probe came later than %.0f ms after its time, or earlier than %.0f ms"
                    + " before (a very slow output, or the wrong player)", SEARCH_AFTER_SECONDS * 1000, SEARCH_BEFORE_SECONDS * 1000);
        }
        if (problems[Problem.NOT_CLEAR.ordinal()] > 0) {
            return "no single clear arrival: the pattern was heard twice or smeared (two players sounding at once,"
                    + " an echo, another sound, or a line that stalled mid-probe)";
        }
        return "the microphone picked up nothing at the probe tone (is the player's speaker on and near the microphone?)";
    }

    /** A recording whose loudest sample is below this (full scale 1) is silence: a muted or wrong device. */
    static final double SILENT_RECORDING_PEAK = 1e-4;

    /**
     * What to tell the user about the run as a whole, or null when nothing needs saying: when no
     * player was heard, whether the microphone heard nothing at all or only not the probes.
     *
     * @param recordingPeak the largest absolute sample of the recording (full scale 1)
     */
    public static String advice(List<PlayerResult> results, double recordingPeak, double hz) {
        boolean anyHeard = results.stream().anyMatch(r -> r.outcome() == Outcome.HEARD);
        boolean allSilent = results.stream().allMatch(r -> r.outcome() == Outcome.SILENT);
        if (anyHeard) {
            return null;
        }
        if (recordingPeak < SILENT_RECORDING_PEAK) {
            return String.format(Locale.ROOT, "the microphone recorded silence (loudest sample %.5f of full scale):"
                    + " it is muted, or not the device near the speakers; choose one with --mic (see --list-mics)",
                    recordingPeak);
        }
        if (allSilent) {
            return String.format(Locale.ROOT, "the microphone recorded sound (loudest sample %.3f of full scale) but"
                    + " no player's %.0f Hz probe: are the players' speakers on and turned up, and near the microphone?",
                    recordingPeak, hz);
        }
        return "no player was heard clearly: keep the room quiet, move the microphone nearer, and run calibration again";
    }

    /** {@code roster} with each heard player's offset replaced by the calibrated one. */
    public static Roster apply(Roster roster, List<PlayerResult> results) {
        List<RosterEntry> entries = new ArrayList<>();
        for (RosterEntry e : roster.entries()) {
            RosterEntry updated = e;
            for (PlayerResult r : results) {
                if (r.outcome() == Outcome.HEARD && r.entry().equals(e)) {
                    updated = new RosterEntry(e.name(), e.host(), e.port(), e.protocol(), e.voice(), r.newOffsetMs());
                }
            }
            entries.add(updated);
        }
        return new Roster(roster.source(), entries);
    }
}
