package dev.concerto.director.calibrate;

import dev.concerto.director.engine.Protocol;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.score.TimedNote;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.VoiceTimeline;
import dev.concerto.protocol.signal.ChipSequence;
import java.util.ArrayList;
import java.util.List;

/**
 * What microphone calibration plays: each player in turn keys a tone with the same pseudo-random
 * chip pattern ({@link ChipSequence}), far enough apart that no two overlap, in several rounds (all
 * players once, then all again), so that one probe spoiled by a stalled line or a noise in the room
 * is outvoted by the others. As a {@link Timeline} (one voice per player, named {@code probe-1},
 * {@code probe-2}, ...) and a roster that maps each player to its probe voice with no latency
 * offset, so the director plays it like any score and the recording shows each player's raw arrival.
 *
 * <p>Only timed players can be calibrated: a plain-integer player sounds when the datagram arrives,
 * so its arrival says more about the network than about the player.
 *
 * @param chips          the pattern
 * @param hz             the probe tone, Hz
 * @param leadInSeconds  score time before the first probe
 * @param spacingSeconds from one probe's start to the next (the next player's, or the first
 *                       player's of the next round), longer than the pattern plus the search window
 *                       ({@link Calibration#SEARCH_BEFORE_SECONDS}, {@link Calibration#SEARCH_AFTER_SECONDS})
 * @param rounds         how many times each player is probed
 * @param roster         the roster to play it on (timed players only, latency offsets 0)
 * @param timeline       the probes
 * @param players        the original entries, in probe order
 */
public record ProbePlan(ChipSequence chips, double hz, double leadInSeconds, double spacingSeconds, int rounds,
                        Roster roster, Timeline timeline, List<RosterEntry> players) {

    /**
     * 31 chips of 6 ms (186 ms) at 1 kHz: short, so that a line correction (a stalled output skipping
     * audio) spoils few probes, and long enough to be found in a noisy room.
     */
    public static final ChipSequence DEFAULT_CHIPS = ChipSequence.maximumLength(5, 0.006);
    public static final double DEFAULT_HZ = 1000;
    /**
     * Five probes per player: their median survives two spoiled ones, and the mean of those that agree
     * averages an output's wander; 8 players take about 19 s.
     */
    public static final int DEFAULT_ROUNDS = 5;
    /** Silence after each probe's pattern, s: the search window beyond the pattern, and a margin. */
    static final double GAP_SECONDS = Calibration.SEARCH_BEFORE_SECONDS + Calibration.SEARCH_AFTER_SECONDS + 0.05;
    /** Score time before the first probe, s. */
    static final double LEAD_IN_SECONDS = 0.5;

    /**
     * The plan for the timed players of {@code roster} (others are left out: see {@link #skipped}).
     *
     * @throws IllegalArgumentException when the roster has no timed player
     */
    public static ProbePlan of(Roster roster, ChipSequence chips, double hz) {
        return of(roster, chips, hz, DEFAULT_ROUNDS);
    }

    /**
     * The plan for the timed players of {@code roster}, each probed {@code rounds} times (1..9).
     *
     * @throws IllegalArgumentException when the roster has no timed player
     */
    public static ProbePlan of(Roster roster, ChipSequence chips, double hz, int rounds) {
        if (rounds < 1 || rounds > 9) {
            throw new IllegalArgumentException("rounds must be within 1..9, got " + rounds);
        }
        List<RosterEntry> timed = new ArrayList<>();
        for (RosterEntry e : roster.entries()) {
            if (e.protocol() != Protocol.LEGACY) {
                timed.add(e);
            }
        }
        if (timed.isEmpty()) {
            throw new IllegalArgumentException("the roster has no timed player: only players on the timed protocol"
                    + " (\"protocol\": \"timed\" or \"auto\") can be calibrated");
        }
        double spacing = chips.seconds() + GAP_SECONDS; // no neighbour inside another's search window
        int n = timed.size();
        List<RosterEntry> probeRoster = new ArrayList<>();
        List<VoiceTimeline> voices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RosterEntry e = timed.get(i);
            String voice = "probe-" + (i + 1);
            probeRoster.add(new RosterEntry(e.name(), e.host(), e.port(), e.protocol(), voice, 0));
            List<TimedNote> notes = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                notes.addAll(notes(chips, hz, start(LEAD_IN_SECONDS, spacing, n, r, i)));
            }
            voices.add(new VoiceTimeline(voice, notes));
        }
        double total = LEAD_IN_SECONDS + rounds * n * spacing;
        Timeline timeline = new Timeline("Calibration probes", "", 60, voices, total, total, List.of(0.0), List.of(0.0));
        return new ProbePlan(chips, hz, LEAD_IN_SECONDS, spacing, rounds, new Roster(roster.source(), probeRoster),
                timeline, List.copyOf(timed));
    }

    /** The roster's players that cannot be calibrated (plain integer). */
    public static List<RosterEntry> skipped(Roster roster) {
        return roster.entries().stream().filter(e -> e.protocol() == Protocol.LEGACY).toList();
    }

    /** Score time at which player {@code i}'s pattern starts in round {@code round} (0-based), s. */
    public double startSeconds(int round, int i) {
        return start(leadInSeconds, spacingSeconds, players.size(), round, i);
    }

    private static double start(double leadIn, double spacing, int players, int round, int i) {
        return leadIn + (round * players + i) * spacing;
    }

    /** The "on" chips as notes (consecutive "on" chips merged into one note), silence between. */
    private static List<TimedNote> notes(ChipSequence chips, double hz, double start) {
        List<TimedNote> notes = new ArrayList<>();
        int i = 0;
        while (i < chips.length()) {
            int j = i;
            while (j < chips.length() && chips.on(j) == chips.on(i)) {
                j++;
            }
            if (chips.on(i)) {
                double at = start + i * chips.chipSeconds();
                double length = (j - i) * chips.chipSeconds();
                notes.add(new TimedNote(at, length, at, length, hz, "probe"));
            }
            i = j;
        }
        return notes;
    }
}
