package dev.concerto.bench.suites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.bench.report.Stats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the emulated path's outages ({@code wifi-bursts}: 300 ms every 20 s) did to the music, for the
 * goal of #12: no tone sounding more than one lease after an outage began, and playing back in step
 * after it.
 *
 * <ul>
 *   <li><b>Wrong tones</b>: from each player's events (every {@code tone} event: the frequency it sounds
 *       from {@code sound_t_us} on) against the director's (the frequency each player should sound
 *       from each deadline on), the stretches where a player sounds a tone the director did not mean
 *       at that time. One that overlaps an outage is the outage's doing (a lost change or silence);
 *       it must end within that tone's lease (its {@code lease_ms}, from the packet that started it)
 *       after the outage began, or after the tone's own start for a tone that began sounding inside
 *       the outage (sent before it: its lease runs from its start, and nothing can end it sooner).</li>
 *   <li><b>Back in step</b>: the changes the director first sent after an outage ended (within
 *       {@value #RESUME_WINDOW_MICROS} µs of its end): how many the player sounded as meant just after
 *       their deadlines (its events), and their onset error in the WAVs.</li>
 * </ul>
 */
final class OutageAnalysis {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Changes first sent within this after an outage ended count as "after it", µs. */
    static final long RESUME_WINDOW_MICROS = 2_000_000;
    /** A wrong stretch shorter than this is a late or early onset, not a lost message, µs. */
    static final long ONSET_TOLERANCE_MICROS = 20_000;

    private OutageAnalysis() {
    }

    /** An outage on one player's path, wall-clock µs. */
    record Outage(String voice, long startMicros, long endMicros) {
    }

    /**
     * @param outages          outages during the piece (all players' paths)
     * @param wrongInOutage    stretches of a wrong tone that overlap an outage
     * @param longestAfterStart of those, the longest time from the outage's start to the stretch's end, µs
     * @param leaseOfLongest   the lease of that tone, µs (0 when there is none)
     * @param pastLease        wrong stretches that ended more than their tone's lease after the outage began (or
     *                         after the tone's own start, for a tone that began sounding inside the outage)
     * @param resumedExpected  changes first sent in the window after an outage
     * @param resumedInStep    of those, the ones the player sounded as meant {@link #ONSET_TOLERANCE_MICROS} after
     *                         their deadline (its events)
     * @param resumedError     |onset error| of those found in the WAVs (a change to what already sounds has no onset), µs
     * @param details          one line per outage, wrong tone and change after an outage not heard (for a file)
     */
    record Result(int outages, int wrongInOutage, long longestAfterStart, long leaseOfLongest, int pastLease,
                  int resumedExpected, int resumedInStep, Stats resumedError, List<String> details) {

        /** The goal: no tone past its lease, and every change sent after an outage sounding as meant. */
        boolean met() {
            return pastLease == 0 && resumedInStep == resumedExpected;
        }
    }

    private record Change(long atMicros, double hz, long firstSentMicros) {
    }

    private record Sounding(long fromMicros, double hz) {
    }

    private record Lease(long receivedMicros, double hz, long leaseMicros) {
    }

    /**
     * @param eventsOf each player's events file, by voice
     * @param run      the run's analysis (the onsets found in the WAVs)
     */
    static Result analyse(List<String> voices, Function<String, Path> eventsOf, Path directorEvents, List<Outage> outages,
                          NetworkAnalysis.Result run) throws IOException {
        Map<String, List<Change>> meant = meant(directorEvents);
        long pieceStart = meant.values().stream().flatMap(List::stream).mapToLong(Change::atMicros).min().orElse(0);
        long pieceEnd = meant.values().stream().flatMap(List::stream).mapToLong(Change::atMicros).max().orElse(0);
        List<Outage> during = outages.stream()
                .filter(o -> o.endMicros() > pieceStart && o.startMicros() < pieceEnd).toList();
        int wrongInOutage = 0;
        long longest = 0;
        long leaseOfLongest = 0;
        int pastLease = 0;
        int resumedExpected = 0;
        int resumedInStep = 0;
        List<Double> resumedErrors = new ArrayList<>();
        List<String> details = new ArrayList<>();
        for (String voice : voices) {
            List<Change> mine = meant.getOrDefault(voice, List.of());
            List<Sounding> sounded = new ArrayList<>();
            List<Lease> leases = new ArrayList<>();
            read(eventsOf.apply(voice), sounded, leases);
            List<long[]> wrong = wrongStretches(mine, sounded);
            for (Outage o : during) {
                if (!o.voice().equals(voice)) {
                    continue;
                }
                details.add(String.format("%s: outage %d..%d µs", voice, o.startMicros(), o.endMicros()));
                for (long[] w : wrong) {
                    if (w[1] < o.startMicros() || w[0] > o.endMicros()) {
                        continue;
                    }
                    wrongInOutage++;
                    long after = w[1] - o.startMicros();
                    long lease = leaseOf(leases, Double.longBitsToDouble(w[2]), w[0]);
                    // A tone that began sounding inside the outage (sent before it) is protected by its lease from
                    // its own start: nothing the director sends can end it sooner.
                    long toneStart = toneStart(sounded, w[0]);
                    boolean past = w[1] - Math.max(o.startMicros(), toneStart) > lease;
                    if (past) {
                        pastLease++;
                    }
                    details.add(String.format("  wrong %.3f Hz %d..%d µs, the tone from %d µs (outage start + %d ms; its"
                                    + " lease %d ms)%s", Double.longBitsToDouble(w[2]), w[0], w[1], toneStart, after / 1000,
                            lease / 1000, past ? " PAST" : ""));
                    if (after > longest) {
                        longest = after;
                        leaseOfLongest = lease;
                    }
                }
                for (Change c : mine) {
                    if (c.firstSentMicros() >= o.endMicros() && c.firstSentMicros() < o.endMicros() + RESUME_WINDOW_MICROS) {
                        resumedExpected++;
                        double sounding = valueAt(sounded, c.atMicros() + ONSET_TOLERANCE_MICROS);
                        if (Math.abs(sounding - c.hz()) < 0.01) {
                            resumedInStep++;
                        } else {
                            details.add(String.format("  not in step: %.3f Hz due %d µs, first sent %d µs; sounding %.3f Hz",
                                    c.hz(), c.atMicros(), c.firstSentMicros(), sounding));
                        }
                        for (NetworkAnalysis.Onset on : run.onsets()) {
                            if (on.voice().equals(voice) && on.deadlineMicros() == c.atMicros()) {
                                resumedErrors.add(on.errorMicros());
                                break;
                            }
                        }
                    }
                }
            }
        }
        return new Result(during.size(), wrongInOutage, longest, leaseOfLongest, pastLease, resumedExpected,
                resumedInStep, Stats.absoluteOf(resumedErrors), List.copyOf(details));
    }

    /**
     * Per player, each change of frequency the director scheduled (as {@link NetworkAnalysis} counts them:
     * scheduled sends only, repeats of one frequency not a change), with the time it first sent it.
     */
    private static Map<String, List<Change>> meant(Path directorEvents) throws IOException {
        Map<String, List<Change>> out = new LinkedHashMap<>();
        Map<String, Double> last = new LinkedHashMap<>();
        for (String line : Files.readAllLines(directorEvents)) {
            JsonNode n = JSON.readTree(line);
            if (!n.has("deadline_us") || n.path("deadline_us").asLong() == n.path("t_us").asLong()) {
                continue; // an unscheduled send (the silences on stop)
            }
            String player = n.path("player").asText();
            double hz = n.path("hz").asDouble();
            Double from = last.put(player, hz);
            if (from == null ? hz != 0 : Math.abs(from - hz) > 0.001) {
                out.computeIfAbsent(player, k -> new ArrayList<>())
                        .add(new Change(n.get("deadline_us").asLong(), hz, n.get("t_us").asLong()));
            }
        }
        return out;
    }

    /** A player's tone changes (from {@code sound_t_us}) and the leases of the tone packets it accepted. */
    private static void read(Path events, List<Sounding> sounded, List<Lease> leases) throws IOException {
        for (String line : Files.readAllLines(events)) {
            JsonNode n = JSON.readTree(line);
            String event = n.path("event").asText();
            if ("tone".equals(event) && n.has("sound_t_us")) {
                sounded.add(new Sounding(n.get("sound_t_us").asLong(), n.path("hz").asDouble()));
            } else if ("packet".equals(event) && "tone".equals(n.path("kind").asText()) && n.path("accepted").asBoolean()
                    && n.has("lease_ms")) {
                leases.add(new Lease(n.get("t_us").asLong(), n.path("hz").asDouble(), n.get("lease_ms").asLong() * 1000));
            }
        }
        sounded.sort(java.util.Comparator.comparingLong(Sounding::fromMicros));
    }

    /**
     * The stretches (from, to, hz as raw long bits) where the player sounded a tone other than the one
     * meant at that time, longer than {@link #ONSET_TOLERANCE_MICROS}.
     */
    private static List<long[]> wrongStretches(List<Change> meant, List<Sounding> sounded) {
        List<Long> times = new ArrayList<>();
        meant.forEach(c -> times.add(c.atMicros()));
        sounded.forEach(s -> times.add(s.fromMicros()));
        times.sort(Long::compare);
        List<Sounding> wanted = meant.stream().map(c -> new Sounding(c.atMicros(), c.hz())).toList();
        List<long[]> out = new ArrayList<>();
        long[] open = null;
        for (int i = 0; i + 1 < times.size(); i++) {
            long t = times.get(i);
            double want = valueAt(wanted, t);
            double is = valueAt(sounded, t);
            boolean wrong = is != 0 && Math.abs(is - want) > 0.01;
            if (wrong && open != null && Double.longBitsToDouble(open[2]) == is) {
                open[1] = times.get(i + 1);
            } else {
                if (open != null && open[1] - open[0] > ONSET_TOLERANCE_MICROS) {
                    out.add(open);
                }
                open = wrong ? new long[] {t, times.get(i + 1), Double.doubleToLongBits(is)} : null;
            }
        }
        if (open != null && open[1] - open[0] > ONSET_TOLERANCE_MICROS) {
            out.add(open);
        }
        return out;
    }

    /** When the tone sounding at {@code t} began: the last change of the player's output at or before it. */
    private static long toneStart(List<Sounding> sounded, long t) {
        long start = Long.MIN_VALUE;
        for (Sounding s : sounded) {
            if (s.fromMicros() > t) {
                break;
            }
            start = s.fromMicros();
        }
        return start;
    }

    private static double valueAt(List<Sounding> changes, long t) {
        double v = 0;
        for (Sounding s : changes) {
            if (s.fromMicros() > t) {
                break;
            }
            v = s.hz();
        }
        return v;
    }

    /** The lease of the last accepted packet of this frequency received before {@code t}, µs (the longest lease when none is found). */
    private static long leaseOf(List<Lease> leases, double hz, long t) {
        long lease = -1;
        for (Lease l : leases) {
            if (l.receivedMicros() <= t && Math.abs(l.hz() - hz) < 0.01) {
                lease = l.leaseMicros();
            }
        }
        return lease < 0 ? 2_000_000 : lease;
    }
}
