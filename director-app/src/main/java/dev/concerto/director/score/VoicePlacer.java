package dev.concerto.director.score;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Spreads the pitched notes of an imported file over monophonic voices by a {@link Placement}
 * and reports every note that finds no voice. Shared by the MIDI and the MusicXML importers so
 * that both follow the same rules. Pure and deterministic; stateless; thread-safe.
 *
 * <p>Rules. Notes are taken in onset order; notes starting together high to low.
 * <ul>
 *   <li>{@link Placement.Split#HIGH_TO_LOW}/{@link Placement.Split#ROUND_ROBIN}: a pool of
 *       {@code players} voices ({@code voice1..}); with {@code auto} the pool is the piece's
 *       largest number of notes sounding at once, so nothing is dropped. When an onset has more
 *       notes than free voices, {@link Placement.Keep} chooses which ones play (by default the top
 *       and the bottom note, so the melody and the bass survive and inner voices are dropped).</li>
 *   <li>{@link Placement.Split#PART}/{@link Placement.Split#CHANNEL}: each group (part, track or
 *       channel) gets its own voices, named after it; a group with chords or overlapping notes gets
 *       more ({@code name-2}, ...). With a player limit, voices are given out first come, first
 *       served, and a note for which no voice is left is reported.</li>
 * </ul>
 */
public final class VoicePlacer {

    private VoicePlacer() {
    }

    /**
     * A pitched note to place.
     *
     * @param group     the group for grouped splits (part, track or channel), 0-based
     * @param groupName the voice name for the group's first voice
     * @param origin    where it is in the file, for reports
     * @param midi      MIDI note number 0..127
     * @param start     onset tick
     * @param end       release tick
     */
    public record Note(int group, String groupName, String origin, int midi, long start, long end) {
    }

    /** A note on its voice. */
    public record Placed(int midi, long start, long end) {
    }

    /** Voices in order (name to notes in time order) and the notes left out. */
    public record Result(Map<String, List<Placed>> voices, List<Unplaced> unplaced) {
    }

    /** Onset, then high to low, then group; written out rather than chained: it sorts every note of a file. */
    private static final Comparator<Note> ORDER = (a, b) -> {
        int c = Long.compare(a.start(), b.start());
        if (c == 0) {
            c = Integer.compare(b.midi(), a.midi());
        }
        return c != 0 ? c : Integer.compare(a.group(), b.group());
    };

    /** Places {@code notes}; onsets in reports are converted through {@code tempo}. */
    public static Result place(List<Note> notes, Placement placement, TickTempoMap tempo) {
        List<Note> sorted = new ArrayList<>(notes.size());
        List<Unplaced> unplaced = new ArrayList<>();
        for (Note n : notes) {
            if (n.end() <= n.start()) {
                unplaced.add(unplaced(n, tempo, Unplaced.Cause.ZERO_LENGTH, "zero length (released at its onset)"));
            } else {
                sorted.add(n);
            }
        }
        sorted.sort(ORDER);
        Map<String, List<Placed>> voices = placement.split().grouped()
                ? grouped(sorted, placement, tempo, unplaced)
                : pooled(sorted, placement, tempo, unplaced);
        unplaced.sort(Comparator.comparingDouble(Unplaced::startBeats));
        return new Result(voices, unplaced);
    }

    /** The largest number of notes sounding at once (a note ending at a tick frees it for one starting there). */
    public static int polyphony(List<Note> notes) {
        TreeMap<Long, Integer> delta = new TreeMap<>();
        for (Note n : notes) {
            if (n.end() > n.start()) {
                delta.merge(n.start(), 1, Integer::sum);
                delta.merge(n.end(), -1, Integer::sum);
            }
        }
        int now = 0;
        int max = 0;
        for (int d : delta.values()) {
            now += d;
            max = Math.max(max, now);
        }
        return max;
    }

    private static Map<String, List<Placed>> pooled(List<Note> notes, Placement placement, TickTempoMap tempo,
                                                    List<Unplaced> unplaced) {
        int players = placement.auto() ? Math.max(1, polyphony(notes)) : placement.players();
        long[] busyUntil = new long[players];
        java.util.Arrays.fill(busyUntil, Long.MIN_VALUE);
        List<List<Placed>> byVoice = new ArrayList<>();
        for (int v = 0; v < players; v++) {
            byVoice.add(new ArrayList<>());
        }
        String busy = "all " + players + " players are busy";
        int next = 0; // round robin: the voice after the last one used
        int i = 0;
        while (i < notes.size()) {
            long at = notes.get(i).start();
            int j = i;
            while (j < notes.size() && notes.get(j).start() == at) {
                j++;
            }
            List<Note> onset = notes.subList(i, j); // high to low
            List<Integer> free = new ArrayList<>();
            int first = placement.split() == Placement.Split.ROUND_ROBIN ? next : 0;
            for (int k = 0; k < players; k++) {
                int v = (first + k) % players;
                if (busyUntil[v] <= at) {
                    free.add(v);
                }
            }
            java.util.Set<Note> kept = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            kept.addAll(choose(onset, free.size(), placement.keep()));
            int f = 0;
            for (Note n : onset) {
                if (kept.contains(n)) {
                    int v = free.get(f++);
                    busyUntil[v] = n.end();
                    byVoice.get(v).add(new Placed(n.midi(), n.start(), n.end()));
                    next = (v + 1) % players;
                } else {
                    unplaced.add(unplaced(n, tempo, Unplaced.Cause.NO_FREE_PLAYER, busy));
                }
            }
            i = j;
        }
        Map<String, List<Placed>> out = new LinkedHashMap<>();
        for (int v = 0; v < players; v++) {
            if (!byVoice.get(v).isEmpty()) {
                out.put("voice" + (v + 1), byVoice.get(v));
            }
        }
        return out;
    }

    /** The notes of one onset (high to low) that get the {@code free} players, by the keep rule. */
    static List<Note> choose(List<Note> onset, int free, Placement.Keep keep) {
        int n = onset.size();
        if (n <= free) {
            return onset;
        }
        List<Note> kept = new ArrayList<>(free);
        switch (keep) {
            case TOP -> kept.addAll(onset.subList(0, free));
            case BOTTOM -> kept.addAll(onset.subList(n - free, n));
            case OUTER -> {
                if (free >= 1) {
                    kept.add(onset.get(0));
                }
                if (free >= 2) {
                    kept.add(onset.get(n - 1));
                }
                for (int k = 1; kept.size() < free; k++) {
                    kept.add(onset.get(k));
                }
            }
            default -> throw new IllegalStateException();
        }
        return kept;
    }

    private static Map<String, List<Placed>> grouped(List<Note> notes, Placement placement, TickTempoMap tempo,
                                                     List<Unplaced> unplaced) {
        // group -> its voices' release ticks and notes, voices created on demand
        Map<Integer, List<long[]>> ends = new TreeMap<>();
        Map<Integer, List<List<Placed>>> placed = new TreeMap<>();
        Map<Integer, String> names = new TreeMap<>();
        int used = 0;
        for (Note n : notes) {
            names.putIfAbsent(n.group(), n.groupName());
            List<long[]> groupEnds = ends.computeIfAbsent(n.group(), g -> new ArrayList<>());
            List<List<Placed>> groupNotes = placed.computeIfAbsent(n.group(), g -> new ArrayList<>());
            int voice = -1;
            for (int v = 0; v < groupEnds.size(); v++) {
                if (groupEnds.get(v)[0] <= n.start()) {
                    voice = v;
                    break;
                }
            }
            if (voice < 0) {
                if (!placement.auto() && used >= placement.players()) {
                    unplaced.add(unplaced(n, tempo, Unplaced.Cause.NO_FREE_PLAYER, groupEnds.isEmpty()
                            ? "no player left for " + n.groupName() + " (" + placement.players() + " players)"
                            : "overlaps the notes of " + n.groupName() + " and all " + placement.players()
                            + " players are used"));
                    continue;
                }
                used++;
                groupEnds.add(new long[] {Long.MIN_VALUE});
                groupNotes.add(new ArrayList<>());
                voice = groupEnds.size() - 1;
            }
            groupEnds.get(voice)[0] = n.end();
            groupNotes.get(voice).add(new Placed(n.midi(), n.start(), n.end()));
        }
        Map<String, List<Placed>> out = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<List<Placed>>> e : placed.entrySet()) {
            List<List<Placed>> vs = e.getValue();
            for (int v = 0; v < vs.size(); v++) {
                out.put(v == 0 ? names.get(e.getKey()) : names.get(e.getKey()) + "-" + (v + 1), vs.get(v));
            }
        }
        return out;
    }

    private static Unplaced unplaced(Note n, TickTempoMap tempo, Unplaced.Cause cause, String detail) {
        return new Unplaced(n.origin(), n.midi(), tempo.beats(n.start()), tempo.seconds(n.start()), cause, detail);
    }
}
