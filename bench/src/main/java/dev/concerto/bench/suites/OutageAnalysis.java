package dev.concerto.bench.suites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.bench.report.Stats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
 *       at that time. A stretch belongs to one tone: it ends where the player's output changes, also to a
 *       new tone of the same frequency (the next note of that pitch, sounding as meant, is not the held one).
 *       One that overlaps an outage is the outage's doing (a lost change or silence); it must end within
 *       that tone's lease (its {@code lease_ms}, from the packet that started it, found by sequence number)
 *       after the outage began, or after the tone's own start for a tone that began sounding inside
 *       the outage (sent before it: its lease runs from its start, and nothing can end it sooner).</li>
 *   <li><b>Whose clock</b>: the player keeps a lease on its own clock, from the start it was told
 *       ({@code at}, the director's deadline mapped through its clock estimate then); a tone's start is
 *       taken as the player mapped it to the wall clock ({@code scheduled_t_us}), so the lease is judged as
 *       the player was told it. How far that start was from the director's deadline (the stamping error:
 *       zero on a perfect estimate) is reported on its own, not folded into the verdict.</li>
 *   <li><b>Back in step</b>: the changes the director first sent after an outage ended (within
 *       {@value #RESUME_WINDOW_MICROS} µs of its end): how many the player sounded as meant just after
 *       their deadlines (its events), and their onset error in the WAVs.</li>
 * </ul>
 * Pure function of files; thread-safe.
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
     * @param outages           outages during the piece (all players' paths)
     * @param wrongInOutage     stretches of a wrong tone that overlap an outage
     * @param longestAfterStart of those, the longest time from the outage's start to the stretch's end, µs
     * @param leaseOfLongest    the lease of that tone, µs (0 when there is none)
     * @param stampingError     of the tones of those stretches, |start the player was told (mapped to the wall
     *                          clock) − the director's deadline for it|, µs: how far the player's lease was from
     *                          the wall-clock one (empty when none was matched)
     * @param pastLease         wrong stretches that ended more than their tone's lease after the outage began (or
     *                          after the tone's own start, for a tone that began sounding inside the outage)
     * @param resumedExpected   changes first sent in the window after an outage
     * @param resumedInStep     of those, the ones the player sounded as meant {@link #ONSET_TOLERANCE_MICROS} after
     *                          their deadline (its events)
     * @param resumedError      |onset error| of those found in the WAVs (a change to what already sounds has no onset), µs
     * @param details           one line per outage, wrong tone and change after an outage not heard (for a file)
     */
    record Result(int outages, int wrongInOutage, long longestAfterStart, long leaseOfLongest, Stats stampingError,
                  int pastLease, int resumedExpected, int resumedInStep, Stats resumedError, List<String> details) {

        /** The goal: no tone past its lease, and every change sent after an outage sounding as meant. */
        boolean met() {
            return pastLease == 0 && resumedInStep == resumedExpected;
        }
    }

    /**
     * A change of a player's output (a {@code tone} event).
     *
     * @param fromMicros when it sounds ({@code sound_t_us})
     * @param seq        the sequence number of the message it plays (-1 when the event has none: a plain player,
     *                   a lease end)
     * @param toldMicros when the player was told to start it, mapped to the wall clock by the player
     *                   ({@code scheduled_t_us}; its sound time when the event has none)
     * @param atMicros   the same in the player's clock ({@code at_us}: the clock it keeps leases on; its told time
     *                   when the event has none)
     */
    private record Sounding(long fromMicros, double hz, long seq, long toldMicros, long atMicros) {

        /** A wall-clock time in the player's clock, by this event's mapping, µs. */
        long onPlayerClock(long wallMicros) {
            return wallMicros + atMicros - toldMicros;
        }
    }

    private record Lease(long receivedMicros, double hz, long leaseMicros) {
    }

    /** A player's events: its output's changes, in time order, and the leases of the tone packets it accepted. */
    private record PlayerEvents(List<Sounding> sounded, List<Lease> leases, Map<Long, Long> leaseBySeq) {
    }

    /**
     * A stretch of a wrong tone: from, to (wall clock, µs), the tone sounding through it, and the player's change
     * that ended it (null when it ended because the director's meant frequency became the sounding one).
     */
    private record Wrong(long fromMicros, long toMicros, Sounding tone, Sounding endedBy) {

        /**
         * When the tone stopped sounding, in the player's clock: the time it was told for the change that ended it
         * (a lease end, the next tone), else the stretch's end mapped by the tone's own event, µs.
         */
        long endOnPlayerClock() {
            return endedBy != null ? endedBy.atMicros() : tone.onPlayerClock(toMicros);
        }
    }

    /**
     * @param eventsOf each player's events file, by voice
     * @param director the director's events (its scheduled sends: what each player should sound when)
     * @param run      the run's analysis (the onsets found in the WAVs)
     */
    static Result analyse(List<String> voices, Function<String, Path> eventsOf, DirectorEvents director,
                          List<Outage> outages, NetworkAnalysis.Result run) throws IOException {
        Map<String, List<DirectorEvents.Send>> meant = director.scheduledChanges();
        Map<String, List<DirectorEvents.Send>> sent = director.sendsByPlayer();
        long pieceStart = meant.values().stream().flatMap(List::stream).mapToLong(DirectorEvents.Send::deadlineMicros)
                .min().orElse(0);
        long pieceEnd = meant.values().stream().flatMap(List::stream).mapToLong(DirectorEvents.Send::deadlineMicros)
                .max().orElse(0);
        List<Outage> during = outages.stream()
                .filter(o -> o.endMicros() > pieceStart && o.startMicros() < pieceEnd).toList();
        int wrongInOutage = 0;
        long longest = 0;
        long leaseOfLongest = 0;
        List<Double> stampingErrors = new ArrayList<>();
        int pastLease = 0;
        int resumedExpected = 0;
        int resumedInStep = 0;
        List<Double> resumedErrors = new ArrayList<>();
        List<String> details = new ArrayList<>();
        for (String voice : voices) {
            List<DirectorEvents.Send> mine = meant.getOrDefault(voice, List.of());
            PlayerEvents player = read(eventsOf.apply(voice));
            List<Sounding> sounded = player.sounded();
            List<Wrong> wrong = wrongStretches(mine, sounded);
            for (Outage o : during) {
                if (!o.voice().equals(voice)) {
                    continue;
                }
                details.add(String.format("%s: outage %d..%d µs", voice, o.startMicros(), o.endMicros()));
                for (Wrong w : wrong) {
                    if (w.toMicros() < o.startMicros() || w.fromMicros() > o.endMicros()) {
                        continue;
                    }
                    wrongInOutage++;
                    long after = w.toMicros() - o.startMicros();
                    long lease = leaseOf(player, w.tone());
                    // A tone that began sounding inside the outage (sent before it) is protected by its lease from
                    // its own start: nothing the director sends can end it sooner. Judged on the player's clock, the
                    // one it keeps the lease on (its lease end is exactly the told start + lease there; on the wall
                    // clock, its frames and per-event mapping would move it by a few µs).
                    long toneStart = w.tone().toldMicros();
                    long leaseFrom = Math.max(w.tone().onPlayerClock(o.startMicros()), w.tone().atMicros());
                    boolean past = w.endOnPlayerClock() - leaseFrom > lease;
                    if (past) {
                        pastLease++;
                    }
                    double stamping = stampingError(sent.getOrDefault(voice, List.of()), w.tone());
                    if (!Double.isNaN(stamping)) {
                        stampingErrors.add(stamping);
                    }
                    details.add(String.format("  wrong %.3f Hz %d..%d µs, the tone (seq %d) told to start at %d µs,"
                                    + " stamping error %s µs (outage start + %d ms; its lease %d ms)%s",
                            w.tone().hz(), w.fromMicros(), w.toMicros(), w.tone().seq(), toneStart,
                            Double.isNaN(stamping) ? "?" : String.format("%+.0f", stamping), after / 1000,
                            lease / 1000, past ? " PAST" : ""));
                    if (after > longest) {
                        longest = after;
                        leaseOfLongest = lease;
                    }
                }
                for (DirectorEvents.Send c : mine) {
                    if (c.sentMicros() >= o.endMicros() && c.sentMicros() < o.endMicros() + RESUME_WINDOW_MICROS) {
                        resumedExpected++;
                        double sounding = valueAt(sounded, c.deadlineMicros() + ONSET_TOLERANCE_MICROS);
                        if (Math.abs(sounding - c.hz()) < 0.01) {
                            resumedInStep++;
                        } else {
                            details.add(String.format("  not in step: %.3f Hz due %d µs, first sent %d µs; sounding %.3f Hz",
                                    c.hz(), c.deadlineMicros(), c.sentMicros(), sounding));
                        }
                        for (NetworkAnalysis.Onset on : run.onsets()) {
                            if (on.voice().equals(voice) && on.deadlineMicros() == c.deadlineMicros()) {
                                resumedErrors.add(on.errorMicros());
                                break;
                            }
                        }
                    }
                }
            }
        }
        return new Result(during.size(), wrongInOutage, longest, leaseOfLongest, Stats.absoluteOf(stampingErrors),
                pastLease, resumedExpected, resumedInStep, Stats.absoluteOf(resumedErrors), List.copyOf(details));
    }

    /** A player's tone changes (from {@code sound_t_us}) and the leases of the tone packets it accepted. */
    private static PlayerEvents read(Path events) throws IOException {
        List<Sounding> sounded = new ArrayList<>();
        List<Lease> leases = new ArrayList<>();
        Map<Long, Long> bySeq = new HashMap<>();
        for (String line : Files.readAllLines(events)) {
            JsonNode n = JSON.readTree(line);
            String event = n.path("event").asText();
            if ("tone".equals(event) && n.has("sound_t_us")) {
                long sound = n.get("sound_t_us").asLong();
                long told = n.path("scheduled_t_us").asLong(sound);
                sounded.add(new Sounding(sound, n.path("hz").asDouble(), n.path("seq").asLong(-1), told,
                        n.path("at_us").asLong(told)));
            } else if ("packet".equals(event) && "tone".equals(n.path("kind").asText()) && n.path("accepted").asBoolean()
                    && n.has("lease_ms")) {
                long lease = n.get("lease_ms").asLong() * 1000;
                leases.add(new Lease(n.get("t_us").asLong(), n.path("hz").asDouble(), lease));
                if (n.has("seq")) {
                    bySeq.put(n.get("seq").asLong(), lease);
                }
            }
        }
        sounded.sort(Comparator.comparingLong(Sounding::fromMicros));
        return new PlayerEvents(List.copyOf(sounded), List.copyOf(leases), Map.copyOf(bySeq));
    }

    /**
     * The stretches where the player sounded a tone other than the one meant at that time, longer than
     * {@link #ONSET_TOLERANCE_MICROS}; each within one tone of the player's (a new tone of the same frequency
     * ends the stretch of the one before).
     */
    private static List<Wrong> wrongStretches(List<DirectorEvents.Send> meant, List<Sounding> sounded) {
        List<Long> times = new ArrayList<>();
        meant.forEach(c -> times.add(c.deadlineMicros()));
        sounded.forEach(s -> times.add(s.fromMicros()));
        times.sort(Long::compare);
        List<Sounding> wanted = meant.stream()
                .map(c -> new Sounding(c.deadlineMicros(), c.hz(), -1, c.deadlineMicros(), c.deadlineMicros())).toList();
        List<Wrong> out = new ArrayList<>();
        Wrong open = null;
        for (int i = 0; i + 1 < times.size(); i++) {
            long t = times.get(i);
            double want = valueAt(wanted, t);
            Sounding is = soundingAt(sounded, t);
            boolean wrong = is != null && is.hz() != 0 && Math.abs(is.hz() - want) > 0.01;
            if (wrong && open != null && open.tone() == is) {
                open = new Wrong(open.fromMicros(), times.get(i + 1), is, null);
            } else {
                close(open, sounded, out);
                open = wrong ? new Wrong(t, times.get(i + 1), is, null) : null;
            }
        }
        close(open, sounded, out);
        return out;
    }

    /** Keeps a stretch longer than {@link #ONSET_TOLERANCE_MICROS}, with the player's change that ended it. */
    private static void close(Wrong open, List<Sounding> sounded, List<Wrong> out) {
        if (open == null || open.toMicros() - open.fromMicros() <= ONSET_TOLERANCE_MICROS) {
            return;
        }
        Sounding next = soundingAt(sounded, open.toMicros());
        boolean endedByPlayer = next != null && next != open.tone() && next.fromMicros() == open.toMicros();
        out.add(new Wrong(open.fromMicros(), open.toMicros(), open.tone(), endedByPlayer ? next : null));
    }

    /** The change of the player's output in force at {@code t}: the last at or before it, or null. */
    private static Sounding soundingAt(List<Sounding> sounded, long t) {
        Sounding at = null;
        for (Sounding s : sounded) {
            if (s.fromMicros() > t) {
                break;
            }
            at = s;
        }
        return at;
    }

    private static double valueAt(List<Sounding> changes, long t) {
        Sounding s = soundingAt(changes, t);
        return s == null ? 0 : s.hz();
    }

    /**
     * The tone's start as the player was told it minus the deadline of the director's send it plays (the
     * scheduled send of its frequency with the nearest deadline, within {@link #ONSET_TOLERANCE_MICROS}), µs; NaN
     * when there is none.
     */
    private static double stampingError(List<DirectorEvents.Send> sends, Sounding tone) {
        double best = Double.NaN;
        for (DirectorEvents.Send c : sends) {
            if (!c.scheduled()) {
                continue;
            }
            long d = tone.toldMicros() - c.deadlineMicros();
            if (Math.abs(c.hz() - tone.hz()) < 0.01 && Math.abs(d) <= ONSET_TOLERANCE_MICROS
                    && (Double.isNaN(best) || Math.abs(d) < Math.abs(best))) {
                best = d;
            }
        }
        return best;
    }

    /**
     * The lease of the message the tone plays (the accepted packet of its sequence number); for an event without
     * one, the lease of the last accepted packet of its frequency received before the tone began; the longest
     * lease a director sends when none is found, µs.
     */
    private static long leaseOf(PlayerEvents player, Sounding tone) {
        Long bySeq = player.leaseBySeq().get(tone.seq());
        if (bySeq != null) {
            return bySeq;
        }
        long lease = -1;
        for (Lease l : player.leases()) {
            if (l.receivedMicros() <= tone.fromMicros() && Math.abs(l.hz() - tone.hz()) < 0.01) {
                lease = l.leaseMicros();
            }
        }
        return lease < 0 ? 2_000_000 : lease;
    }
}
