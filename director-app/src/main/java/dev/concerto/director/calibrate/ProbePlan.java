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
 * chip pattern ({@link ChipSequence}), far enough apart that no two overlap. As a {@link Timeline}
 * (one voice per player, named {@code probe-1}, {@code probe-2}, ...) and a roster that maps each
 * player to its probe voice with no latency offset, so the director plays it like any score and
 * the recording shows each player's raw arrival.
 *
 * <p>Only timed players can be calibrated: a plain-integer player sounds when the datagram arrives,
 * so its arrival says more about the network than about the player.
 *
 * @param chips         the pattern
 * @param hz            the probe tone, Hz
 * @param leadInSeconds score time before the first player's probe
 * @param spacingSeconds from one player's probe start to the next, more than the pattern's length
 * @param roster        the roster to play it on (timed players only, latency offsets 0)
 * @param timeline      the probes
 * @param players       the original entries, in probe order
 */
public record ProbePlan(ChipSequence chips, double hz, double leadInSeconds, double spacingSeconds, Roster roster,
                        Timeline timeline, List<RosterEntry> players) {

    /** 31 chips of 8 ms (248 ms) at 1 kHz, half a second apart: 8 players take under 5 s. */
    public static final ChipSequence DEFAULT_CHIPS = ChipSequence.maximumLength(5, 0.008);
    public static final double DEFAULT_HZ = 1000;

    /**
     * The plan for the timed players of {@code roster} (others are left out: see {@link #skipped}).
     *
     * @throws IllegalArgumentException when the roster has no timed player
     */
    public static ProbePlan of(Roster roster, ChipSequence chips, double hz) {
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
        double leadIn = 0.5;
        double spacing = chips.seconds() + 0.5; // no neighbour inside another's search window
        List<RosterEntry> probeRoster = new ArrayList<>();
        List<VoiceTimeline> voices = new ArrayList<>();
        for (int i = 0; i < timed.size(); i++) {
            RosterEntry e = timed.get(i);
            String voice = "probe-" + (i + 1);
            probeRoster.add(new RosterEntry(e.name(), e.host(), e.port(), e.protocol(), voice, 0));
            voices.add(new VoiceTimeline(voice, notes(chips, hz, leadIn + i * spacing)));
        }
        double total = leadIn + timed.size() * spacing;
        Timeline timeline = new Timeline("Calibration probes", "", 60, voices, total, total, List.of(0.0), List.of(0.0));
        return new ProbePlan(chips, hz, leadIn, spacing, new Roster(roster.source(), probeRoster), timeline,
                List.copyOf(timed));
    }

    /** The roster's players that cannot be calibrated (plain integer). */
    public static List<RosterEntry> skipped(Roster roster) {
        return roster.entries().stream().filter(e -> e.protocol() == Protocol.LEGACY).toList();
    }

    /** Score time at which player {@code i}'s pattern starts, s. */
    public double startSeconds(int i) {
        return leadInSeconds + i * spacingSeconds;
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
