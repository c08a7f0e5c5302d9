package dev.concerto.director.score.musicxml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order in which measures are played: repeats (with {@code times}), first and second endings
 * (voltas), and the jumps MusicXML gives in {@code <sound>}: da capo, dal segno, to coda, fine.
 * Rules, as players read them: a backward repeat goes back to the last forward repeat (or the
 * start, or the measure after the previous repeat); an ending is played on the passes its numbers
 * name; after a D.C. or D.S. repeats are not taken again and only the last ending of each group is
 * played, a To Coda jumps to the coda and Fine ends the piece. Pure; stateless; thread-safe.
 */
final class RepeatUnroller {

    private RepeatUnroller() {
    }

    /**
     * What one measure says about the playing order.
     *
     * @param forwardRepeat  a forward repeat sign at its start
     * @param backwardTimes  the times the section is played when the measure ends with a backward
     *                       repeat (2 by default), 0 without one
     * @param endingStart    the pass numbers of an ending that starts here, or {@code null}
     * @param endingStop     true when an ending stops (or is discontinued) here
     * @param segno          the name of a segno here, or {@code null}
     * @param coda           the name of a coda here, or {@code null}
     * @param toCoda         a To Coda mark here (its target name), or {@code null}
     * @param daCapo         D.C. at the end of this measure
     * @param dalSegno       D.S. to this segno name at the end of this measure, or {@code null}
     * @param fine           Fine at the end of this measure
     */
    record Flags(boolean forwardRepeat, int backwardTimes, Set<Integer> endingStart, boolean endingStop,
                 String segno, String coda, String toCoda, boolean daCapo, String dalSegno, boolean fine) {
    }

    /** Collects one measure's repeat and jump marks as they are read. Not thread-safe. */
    static final class FlagsBuilder {
        boolean forward;
        int backward;
        Set<Integer> endingStart;
        boolean endingStop;
        String segno;
        String coda;
        String toCoda;
        boolean daCapo;
        String dalSegno;
        boolean fine;

        Flags build() {
            return new Flags(forward, backward, endingStart, endingStop, segno, coda, toCoda, daCapo, dalSegno, fine);
        }
    }

    /** A playing order that would not end. */
    static final class EndlessException extends Exception {
        private static final long serialVersionUID = 1L;

        EndlessException(String message) {
            super(message);
        }
    }

    /** The measure indices in playing order; {@code limit} bounds the result's length. */
    static List<Integer> order(List<Flags> m, int limit) throws EndlessException {
        List<Integer> out = new ArrayList<>();
        int n = m.size();
        int i = 0;
        int repeatStart = 0;
        int pass = 1;
        boolean jumped = false;
        Map<Integer, Integer> taken = new HashMap<>(); // backward-repeat measure -> times gone back
        while (i < n) {
            if (out.size() >= limit) {
                throw new EndlessException("the repeats and jumps play more than " + limit
                        + " measures; check the <repeat>, <ending> and <sound> jump marks");
            }
            Flags f = m.get(i);
            if (f.forwardRepeat() && repeatStart != i) {
                repeatStart = i;
                pass = 1;
            }
            if (f.endingStart() != null) {
                int stop = endingStop(m, i);
                boolean skip = jumped ? stop + 1 < n && m.get(stop + 1).endingStart() != null
                        : !f.endingStart().contains(pass);
                if (skip) {
                    i = stop + 1;
                    continue;
                }
            }
            out.add(i);
            if (jumped && f.fine()) {
                break;
            }
            if (jumped && f.toCoda() != null) {
                int c = find(m, i + 1, f.toCoda(), true);
                if (c >= 0) {
                    i = c;
                    continue;
                }
            }
            if (f.backwardTimes() > 0 && !jumped) {
                int t = taken.getOrDefault(i, 0);
                if (t < f.backwardTimes() - 1) {
                    taken.put(i, t + 1);
                    pass = t + 2;
                    i = repeatStart;
                    continue;
                }
                taken.remove(i);
                pass = 1;
                repeatStart = i + 1;
            }
            if (!jumped && f.daCapo()) {
                jumped = true;
                i = 0;
                continue;
            }
            if (!jumped && f.dalSegno() != null) {
                int s = find(m, 0, f.dalSegno(), false);
                jumped = true;
                i = Math.max(s, 0);
                continue;
            }
            i++;
        }
        return out;
    }

    private static int endingStop(List<Flags> m, int from) {
        for (int k = from; k < m.size(); k++) {
            if (m.get(k).endingStop()) {
                return k;
            }
        }
        return from;
    }

    /** The measure with that coda (or segno) name, else the first one of any name; -1 if none. */
    private static int find(List<Flags> m, int from, String name, boolean coda) {
        int any = -1;
        for (int k = 0; k < m.size(); k++) {
            String here = coda ? m.get(k).coda() : m.get(k).segno();
            if (here != null && (!coda || k >= from || any < 0)) {
                if (here.equals(name)) {
                    return k;
                }
                if (any < 0) {
                    any = k;
                }
            }
        }
        return any;
    }
}
