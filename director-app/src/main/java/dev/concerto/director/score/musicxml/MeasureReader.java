package dev.concerto.director.score.musicxml;

import dev.concerto.director.score.MeterMap;
import dev.concerto.director.score.ScoreException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads one part's measures of a MusicXML document into {@link MeasureContent}: notes (pitch,
 * duration on the document's tick grid, chords, voices through backup/forward, ties, transposition)
 * and the time signature in force; directions, sounds and barlines go to {@link DirectionReader}.
 * What it skips is counted in {@link SkippedElements}. One per document; not thread-safe.
 */
final class MeasureReader {

    /** Finest tick grid: the least common multiple of the file's divisions must stay below this. */
    private static final long MAX_PPQ = 1L << 30;
    private static final int[] STEP_SEMITONES = {9, 11, 0, 2, 4, 5, 7}; // A B C D E F G

    private final XmlValues values;
    private final SkippedElements skipped = new SkippedElements();
    private final DirectionReader directions;
    private long ppq = 1;

    /** @param where the document's name in messages */
    MeasureReader(String where) {
        this.values = new XmlValues(where);
        this.directions = new DirectionReader(values, skipped);
    }

    /** Ticks per quarter note, once {@link #ticksPerQuarter} has run. */
    long ppq() {
        return ppq;
    }

    /** What was skipped or approximated, one line per kind, for the score's warnings. */
    List<String> warnings() {
        return skipped.warnings();
    }

    /** The tick grid for the whole document: the least common multiple of every {@code <divisions>}. */
    long ticksPerQuarter(XmlElement e) throws ScoreException {
        long l = 1;
        for (XmlElement d : descendants(e, "divisions")) {
            long v = values.positiveLong(d, "divisions");
            l = l / gcd(l, v) * v;
            if (l > MAX_PPQ) {
                throw values.err(d, "the <divisions> values need a grid finer than " + MAX_PPQ + " ticks per quarter note");
            }
        }
        ppq = l;
        return l;
    }

    private static List<XmlElement> descendants(XmlElement e, String name) {
        List<XmlElement> out = new ArrayList<>();
        ArrayDeque<XmlElement> todo = new ArrayDeque<>();
        todo.push(e);
        while (!todo.isEmpty()) {
            XmlElement x = todo.pop();
            if (x.name().equals(name)) {
                out.add(x);
            } else if (!x.name().equals("note")) { // notes are most of a score, and hold no attributes
                for (XmlElement c : x.children()) {
                    todo.push(c);
                }
            }
        }
        return out;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** The state carried from one measure of a part to the next. */
    private static final class PartState {
        long factor; // ticks per division, 0 before the first <divisions>
        int chromatic; // <transpose>: written to sounding pitch, semitones
        String meter;
        long meterTicks;
    }

    /**
     * Reads one part; {@code flags} receives each measure's repeat and jump marks by measure index.
     */
    List<MeasureContent> readPart(List<XmlElement> measures, Map<Integer, RepeatUnroller.Flags> flags)
            throws ScoreException {
        List<MeasureContent> out = new ArrayList<>();
        PartState state = new PartState();
        state.meterTicks = 4 * ppq;
        for (int mi = 0; mi < measures.size(); mi++) {
            XmlElement measure = measures.get(mi);
            MeasureContent mc = new MeasureContent();
            mc.number = measure.attr("number") == null ? Integer.toString(mi + 1) : measure.attr("number");
            RepeatUnroller.FlagsBuilder fb = new RepeatUnroller.FlagsBuilder();
            readMeasure(measure, state, mc, fb);
            mc.meter = state.meter;
            mc.meterTicks = state.meterTicks;
            out.add(mc);
            flags.put(mi, fb.build());
        }
        return out;
    }

    private void readMeasure(XmlElement measure, PartState state, MeasureContent mc, RepeatUnroller.FlagsBuilder fb)
            throws ScoreException {
        long cursor = 0;
        long max = 0;
        long lastStart = 0;
        for (XmlElement e : measure.children()) {
            switch (e.name()) {
                case "attributes" -> attributes(e, state, mc.number);
                case "note" -> {
                    if (e.has("grace")) {
                        skipped.graceNote();
                        continue;
                    }
                    boolean chord = e.has("chord");
                    XmlElement durEl = e.child("duration");
                    if (durEl == null) {
                        throw values.err(e, "a note needs a <duration> (measure " + mc.number + ")");
                    }
                    long dur = need(state.factor, e) * values.nonNegativeLong(durEl, "duration");
                    long start = chord ? lastStart : cursor;
                    if (!chord) {
                        lastStart = cursor;
                        cursor += dur;
                    }
                    max = Math.max(max, cursor);
                    note(e, start, dur, state, mc);
                }
                case "backup" -> cursor = Math.max(0, cursor
                        - need(state.factor, e) * values.nonNegativeLong(e.child("duration"), "duration"));
                case "forward" -> {
                    cursor += need(state.factor, e) * values.nonNegativeLong(e.child("duration"), "duration");
                    max = Math.max(max, cursor);
                }
                case "direction" -> {
                    long at = cursor + (e.has("offset") ? state.factor * values.longText(e.child("offset")) : 0);
                    directions.direction(e, Math.max(0, at), mc, fb);
                }
                case "sound" -> directions.sound(e, cursor, mc, fb);
                case "barline" -> directions.barline(e, fb);
                case "print", "bookmark", "link", "grouping" -> {
                    // layout and cross-references
                }
                default -> skipped.unsupported(e); // harmony, figured-bass, ...
            }
        }
        mc.length = max;
    }

    private void attributes(XmlElement e, PartState state, String measure) throws ScoreException {
        for (XmlElement a : e.children()) {
            switch (a.name()) {
                case "divisions" -> state.factor = ppq / values.positiveLong(a, "divisions");
                case "transpose" -> state.chromatic = values.intText(a, "chromatic", 0)
                        + 12 * values.intText(a, "octave-change", 0);
                case "time" -> time(a, state, measure);
                case "key", "staves", "part-symbol", "instruments", "clef", "staff-details",
                     "directive", "measure-style", "footnote", "level" -> {
                    // notation only
                }
                default -> skipped.unsupported(a);
            }
        }
    }

    /** A sounding note (rests, cue notes and zero durations take their time in silence). */
    private void note(XmlElement e, long start, long dur, PartState state, MeasureContent mc) throws ScoreException {
        checkNoteChildren(e);
        if (e.has("rest") || e.has("cue") || dur == 0) {
            return;
        }
        boolean tieStart = false;
        boolean tieStop = false;
        for (XmlElement tie : e.all("tie")) {
            tieStart |= "start".equals(tie.attr("type"));
            tieStop |= "stop".equals(tie.attr("type"));
        }
        String voice = e.childText("voice") == null ? "1" : e.childText("voice");
        if (e.has("unpitched")) {
            int midi = pitch(e.child("unpitched"), "display-step", "display-octave", null, 0);
            mc.notes.add(new MeasureContent.LocalNote(start, dur, midi, false, false, voice, true));
        } else if (e.has("pitch")) {
            int midi = pitch(e.child("pitch"), "step", "octave", "alter", state.chromatic);
            mc.notes.add(new MeasureContent.LocalNote(start, dur, midi, tieStart, tieStop, voice, false));
        } else {
            throw values.err(e, "a note needs <pitch>, <unpitched> or <rest> (measure " + mc.number + ")");
        }
    }

    private long need(long factor, XmlElement at) throws ScoreException {
        if (factor == 0) {
            throw values.err(at, "a duration before any <divisions> (put <attributes><divisions> in the first measure)");
        }
        return factor;
    }

    private void checkNoteChildren(XmlElement note) {
        for (XmlElement c : note.children()) {
            switch (c.name()) {
                case "pitch", "unpitched", "rest", "chord", "duration", "tie", "voice", "staff", "cue", "type",
                     "dot", "accidental", "time-modification", "stem", "notehead", "notehead-text", "beam",
                     "notations", "lyric", "instrument", "footnote", "level", "grace", "listen" -> {
                    // read above, or notation only
                }
                default -> skipped.unsupported(c);
            }
        }
    }

    private int pitch(XmlElement p, String stepName, String octaveName, String alterName, int transpose)
            throws ScoreException {
        String step = p.childText(stepName);
        String oct = p.childText(octaveName);
        if (step == null || step.length() != 1 || "ABCDEFG".indexOf(step.charAt(0)) < 0) {
            throw values.err(p, "<" + stepName + "> must be one of A..G, not '" + step + "'");
        }
        int octave;
        try {
            octave = Integer.parseInt(oct == null ? "" : oct.trim());
        } catch (NumberFormatException e) {
            throw values.err(p, "<" + octaveName + "> must be a whole number, not '" + oct + "'");
        }
        double alter = 0;
        if (alterName != null && p.childText(alterName) != null) {
            try {
                alter = Double.parseDouble(p.childText(alterName));
            } catch (NumberFormatException e) {
                throw values.err(p.child(alterName), "<alter> must be a number of semitones, not '"
                        + p.childText(alterName) + "'");
            }
            if (alter != Math.rint(alter)) {
                skipped.microtone();
            }
        }
        if (octave < -10 || octave > 20 || Math.abs(alter) > 24) {
            throw values.err(p, "a pitch in octave " + octave + " with alter " + alter + " is not music");
        }
        return (octave + 1) * 12 + STEP_SEMITONES[step.charAt(0) - 'A'] + (int) Math.round(alter) + transpose;
    }

    /** A {@code <time>}: the signature in force from this measure on, when a score can have it. */
    private void time(XmlElement time, PartState state, String measure) {
        String beats = time.childText("beats");
        String type = time.childText("beat-type");
        if (beats == null || type == null) {
            return; // senza-misura or an interchangeable display
        }
        try {
            int b = 0;
            for (String part : beats.split("\\+")) { // 3+2/8 is five eighths
                b += Integer.parseInt(part.trim());
            }
            int t = Integer.parseInt(type.trim());
            if (!MeterMap.supported(b, t)) {
                skipped.unsupportedMeter(beats.trim() + "/" + type.trim(), measure);
                return;
            }
            state.meter = b + "/" + t;
            state.meterTicks = b * 4L * ppq / t;
        } catch (NumberFormatException e) {
            skipped.unsupported(time);
        }
    }
}
