package dev.concerto.director.score.musicxml;

import dev.concerto.director.score.ScoreException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one part's measures of a MusicXML document into notes and tempo marks in ticks from each
 * measure's start, and the marks that decide the playing order (repeats, endings, jumps). Counts
 * what it skips (grace notes, microtones, unsupported elements) for {@link #warnings()}. One per
 * document; not thread-safe.
 */
final class MeasureReader {

    /** Finest tick grid: the least common multiple of the file's divisions must stay below this. */
    private static final long MAX_PPQ = 1L << 30;
    private static final int[] STEP_SEMITONES = {9, 11, 0, 2, 4, 5, 7}; // A B C D E F G

    private final String where;
    private final Map<String, Integer> unsupported = new LinkedHashMap<>();
    private final Map<String, Integer> firstLine = new HashMap<>();
    private int graceNotes;
    private int microtones;
    private String meter;
    private String meterChange;
    private long ppq = 1;

    MeasureReader(String where) {
        this.where = where;
    }

    /** A sounding note inside one measure, ticks from the measure's start. */
    record LocalNote(long start, long duration, int midi, boolean tieStart, boolean tieStop, String voice,
                             boolean unpitched) {
    }

    record LocalTempo(long at, double bpm) {
    }

    /** What a part has in one measure. */
    static final class MeasureContent {
        final List<LocalNote> notes = new ArrayList<>();
        final List<LocalTempo> tempos = new ArrayList<>();
        long length;
        String number = "";
    }


    /** The first time signature ({@code "6/8"}), or {@code null}. */
    String meter() {
        return meter;
    }

    /** Ticks per quarter note, once {@link #ticksPerQuarter} has run. */
    long ppq() {
        return ppq;
    }

    /** What was skipped or approximated, one line per kind, for the score's warnings. */
    List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        if (graceNotes > 0) {
            warnings.add(graceNotes + " grace note" + (graceNotes == 1 ? " is" : "s are")
                    + " not played (grace notes take no time in MusicXML; the main note keeps its full length)");
        }
        if (microtones > 0) {
            warnings.add(microtones + " microtonal <alter> value" + (microtones == 1 ? " was" : "s were")
                    + " rounded to the nearest semitone");
        }
        if (meterChange != null) {
            warnings.add("the time signature changes (" + meterChange + "); measures are counted in the first one, "
                    + meter + ", while the notes keep their exact times");
        }
        unsupported.forEach((name, count) -> warnings.add("<" + name + "> is not supported and was ignored ("
                + count + "×, first at line " + firstLine.get(name) + ")"));
        return warnings;
    }

    ScoreException err(XmlElement at, String detail) {
        return new ScoreException(where, at == null ? 0 : at.line(), at == null ? 0 : at.column(),
                at == null ? "" : "<" + at.name() + ">", detail);
    }

    long ticksPerQuarter(XmlElement e) throws ScoreException {
        long l = 1;
        for (XmlElement d : descendants(e, "divisions")) {
            long v = positiveLong(d, "divisions");
            l = l / gcd(l, v) * v;
            if (l > MAX_PPQ) {
                throw err(d, "the <divisions> values need a grid finer than " + MAX_PPQ + " ticks per quarter note");
            }
        }
        ppq = l;
        return l;
    }

    private static List<XmlElement> descendants(XmlElement e, String name) {
        List<XmlElement> out = new ArrayList<>();
        java.util.ArrayDeque<XmlElement> todo = new java.util.ArrayDeque<>();
        todo.push(e);
        while (!todo.isEmpty()) {
            XmlElement x = todo.pop();
            if (x.name().equals(name)) {
                out.add(x);
            }
            x.children().forEach(todo::push);
        }
        return out;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    // ---- one part --------------------------------------------------------------------------

    List<MeasureContent> readPart(List<XmlElement> measures, Map<Integer, RepeatUnroller.Flags> flags, List<Long> timeLength)
            throws ScoreException {
        List<MeasureContent> out = new ArrayList<>();
        long factor = 0; // ticks per division
        int chromatic = 0;
        long measureTicks = 4 * ppq;
        for (int mi = 0; mi < measures.size(); mi++) {
            XmlElement measure = measures.get(mi);
            MeasureContent mc = new MeasureContent();
            mc.number = measure.attr("number") == null ? Integer.toString(mi + 1) : measure.attr("number");
            long cursor = 0;
            long max = 0;
            long lastStart = 0;
            FlagsBuilder fb = new FlagsBuilder();
            for (XmlElement e : measure.children()) {
                switch (e.name()) {
                    case "attributes" -> {
                        for (XmlElement a : e.children()) {
                            switch (a.name()) {
                                case "divisions" -> factor = ppq / positiveLong(a, "divisions");
                                case "transpose" -> chromatic = intText(a, "chromatic", 0)
                                        + 12 * intText(a, "octave-change", 0);
                                case "time" -> measureTicks = time(a, measureTicks, mc.number);
                                case "key", "staves", "part-symbol", "instruments", "clef", "staff-details",
                                     "directive", "measure-style", "footnote", "level" -> {
                                    // notation only
                                }
                                default -> unsupported(a);
                            }
                        }
                    }
                    case "note" -> {
                        if (e.has("grace")) {
                            graceNotes++;
                            continue;
                        }
                        boolean chord = e.has("chord");
                        XmlElement durEl = e.child("duration");
                        if (durEl == null) {
                            throw err(e, "a note needs a <duration> (measure " + mc.number + ")");
                        }
                        long dur = need(factor, e) * nonNegativeLong(durEl, "duration");
                        long start = chord ? lastStart : cursor;
                        if (!chord) {
                            lastStart = cursor;
                            cursor += dur;
                        }
                        max = Math.max(max, cursor);
                        checkNoteChildren(e);
                        if (e.has("rest") || e.has("cue") || dur == 0) {
                            continue;
                        }
                        boolean tieStart = false;
                        boolean tieStop = false;
                        for (XmlElement tie : e.all("tie")) {
                            tieStart |= "start".equals(tie.attr("type"));
                            tieStop |= "stop".equals(tie.attr("type"));
                        }
                        String voice = e.childText("voice") == null ? "1" : e.childText("voice");
                        if (e.has("unpitched")) {
                            XmlElement u = e.child("unpitched");
                            int midi = pitch(u, "display-step", "display-octave", null, 0);
                            mc.notes.add(new LocalNote(start, dur, midi, false, false, voice, true));
                        } else if (e.has("pitch")) {
                            int midi = pitch(e.child("pitch"), "step", "octave", "alter", chromatic);
                            mc.notes.add(new LocalNote(start, dur, midi, tieStart, tieStop, voice, false));
                        } else {
                            throw err(e, "a note needs <pitch>, <unpitched> or <rest> (measure " + mc.number + ")");
                        }
                    }
                    case "backup" -> cursor = Math.max(0, cursor - need(factor, e) * nonNegativeLong(e.child("duration"), "duration"));
                    case "forward" -> {
                        cursor += need(factor, e) * nonNegativeLong(e.child("duration"), "duration");
                        max = Math.max(max, cursor);
                    }
                    case "direction" -> {
                        long at = cursor + (e.has("offset") ? factor * longText(e.child("offset")) : 0);
                        direction(e, Math.max(0, at), mc, fb);
                    }
                    case "sound" -> sound(e, cursor, mc, fb);
                    case "barline" -> barline(e, fb);
                    case "print", "bookmark", "link", "grouping", "harmony", "figured-bass" -> {
                        if (e.name().equals("harmony") || e.name().equals("figured-bass")) {
                            unsupported(e);
                        }
                    }
                    default -> unsupported(e);
                }
            }
            mc.length = max;
            out.add(mc);
            flags.put(mi, fb.build());
            if (timeLength != null) {
                timeLength.add(measureTicks);
            }
        }
        return out;
    }

    private long need(long factor, XmlElement at) throws ScoreException {
        if (factor == 0) {
            throw err(at, "a duration before any <divisions> (put <attributes><divisions> in the first measure)");
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
                default -> unsupported(c);
            }
        }
    }

    private int pitch(XmlElement p, String stepName, String octaveName, String alterName, int transpose)
            throws ScoreException {
        String step = p.childText(stepName);
        String oct = p.childText(octaveName);
        if (step == null || step.length() != 1 || "ABCDEFG".indexOf(step.charAt(0)) < 0) {
            throw err(p, "<" + stepName + "> must be one of A..G, not '" + step + "'");
        }
        int octave;
        try {
            octave = Integer.parseInt(oct == null ? "" : oct.trim());
        } catch (NumberFormatException e) {
            throw err(p, "<" + octaveName + "> must be a whole number, not '" + oct + "'");
        }
        double alter = 0;
        if (alterName != null && p.childText(alterName) != null) {
            try {
                alter = Double.parseDouble(p.childText(alterName));
            } catch (NumberFormatException e) {
                throw err(p.child(alterName), "<alter> must be a number of semitones, not '" + p.childText(alterName) + "'");
            }
            if (alter != Math.rint(alter)) {
                microtones++;
            }
        }
        if (octave < -10 || octave > 20 || Math.abs(alter) > 24) {
            throw err(p, "a pitch in octave " + octave + " with alter " + alter + " is not music");
        }
        return (octave + 1) * 12 + STEP_SEMITONES[step.charAt(0) - 'A'] + (int) Math.round(alter) + transpose;
    }

    private long time(XmlElement time, long previous, String measure) {
        String beats = time.childText("beats");
        String type = time.childText("beat-type");
        if (beats == null || type == null) {
            return previous; // senza-misura or an interchangeable display
        }
        try {
            int b = 0;
            for (String part : beats.split("\\+")) {
                b += Integer.parseInt(part.trim());
            }
            int t = Integer.parseInt(type.trim());
            if (b <= 0 || t <= 0) {
                return previous;
            }
            String m = b + "/" + t;
            if (meter == null) {
                meter = m;
            } else if (!meter.equals(m) && meterChange == null) {
                meterChange = "first to " + m + " at measure " + measure;
            }
            return b * 4L * ppq / t;
        } catch (NumberFormatException e) {
            unsupported(time);
            return previous;
        }
    }

    private void direction(XmlElement d, long at, MeasureContent mc, FlagsBuilder fb) throws ScoreException {
        boolean soundTempo = false;
        for (XmlElement c : d.children()) {
            if (c.name().equals("sound")) {
                soundTempo |= c.attr("tempo") != null;
                sound(c, at, mc, fb);
            }
        }
        for (XmlElement dt : d.all("direction-type")) {
            for (XmlElement c : dt.children()) {
                if (c.name().equals("metronome")) {
                    if (!soundTempo) {
                        metronome(c, at, mc);
                    }
                } else if (!VISUAL_DIRECTIONS.contains(c.name())) {
                    unsupported(c);
                }
            }
        }
    }

    private static final java.util.Set<String> VISUAL_DIRECTIONS = java.util.Set.of("words", "dynamics", "wedge",
            "dashes", "bracket", "pedal", "rehearsal", "segno", "coda", "octave-shift", "harp-pedals", "damp",
            "damp-all", "eyeglasses", "string-mute", "scordatura", "image", "principal-voice", "percussion",
            "accordion-registration", "staff-divide", "other-direction", "symbol");

    private void metronome(XmlElement m, long at, MeasureContent mc) {
        String unit = m.childText("beat-unit");
        String perMinute = m.childText("per-minute");
        Double quarters = unit == null ? null : UNIT_QUARTERS.get(unit);
        if (quarters == null || perMinute == null) {
            unsupported(m); // metric modulation (note = note) and the like
            return;
        }
        java.util.regex.Matcher num = java.util.regex.Pattern.compile("\\d+(\\.\\d+)?").matcher(perMinute);
        if (!num.find()) {
            return;
        }
        double q = quarters;
        double add = quarters / 2;
        for (int i = 0; i < m.all("beat-unit-dot").size(); i++) {
            q += add;
            add /= 2;
        }
        double bpm = Double.parseDouble(num.group()) * q;
        if (bpm > 0) {
            mc.tempos.add(new LocalTempo(at, bpm));
        }
    }

    private static final Map<String, Double> UNIT_QUARTERS = Map.of("whole", 4.0, "half", 2.0, "quarter", 1.0,
            "eighth", 0.5, "16th", 0.25, "32nd", 0.125, "breve", 8.0);

    private void sound(XmlElement s, long at, MeasureContent mc, FlagsBuilder fb) throws ScoreException {
        String tempo = s.attr("tempo");
        if (tempo != null) {
            try {
                double bpm = Double.parseDouble(tempo.trim());
                if (bpm > 0) {
                    mc.tempos.add(new LocalTempo(at, bpm));
                }
            } catch (NumberFormatException e) {
                throw err(s, "tempo=\"" + tempo + "\" is not a number of quarter notes per minute");
            }
        }
        if ("yes".equals(s.attr("dacapo"))) {
            fb.daCapo = true;
        }
        if (s.attr("dalsegno") != null) {
            fb.dalSegno = s.attr("dalsegno");
        }
        if (s.attr("segno") != null) {
            fb.segno = s.attr("segno");
        }
        if (s.attr("coda") != null) {
            fb.coda = s.attr("coda");
        }
        if (s.attr("tocoda") != null) {
            fb.toCoda = s.attr("tocoda");
        }
        if (s.attr("fine") != null) {
            fb.fine = true;
        }
        for (XmlElement c : s.children()) {
            if (!c.name().equals("midi-instrument") && !c.name().equals("midi-device") && !c.name().equals("offset")) {
                unsupported(c);
            }
        }
    }

    private void barline(XmlElement b, FlagsBuilder fb) throws ScoreException {
        for (XmlElement c : b.children()) {
            switch (c.name()) {
                case "repeat" -> {
                    if ("forward".equals(c.attr("direction"))) {
                        fb.forward = true;
                    } else if ("backward".equals(c.attr("direction"))) {
                        fb.backward = c.attr("times") == null ? 2 : (int) Math.max(1, Math.min(64,
                                parseLong(c, c.attr("times"), "times")));
                    }
                }
                case "ending" -> {
                    String type = c.attr("type");
                    if ("start".equals(type)) {
                        java.util.Set<Integer> numbers = new java.util.TreeSet<>();
                        for (String t : (c.attr("number") == null ? "1" : c.attr("number")).split("[,\\s]+")) {
                            if (!t.isBlank()) {
                                numbers.add((int) parseLong(c, t, "number"));
                            }
                        }
                        fb.endingStart = numbers;
                    } else if ("stop".equals(type) || "discontinue".equals(type)) {
                        fb.endingStop = true;
                    }
                }
                case "bar-style", "segno", "coda", "fermata", "wavy-line", "footnote", "level" -> {
                    // notation only; jumps come from <sound>
                }
                default -> unsupported(c);
            }
        }
    }

    // ---- small readers ---------------------------------------------------------------------

    private void unsupported(XmlElement e) {
        unsupported.merge(e.name(), 1, Integer::sum);
        firstLine.putIfAbsent(e.name(), e.line());
    }

    private int intText(XmlElement parent, String child, int dflt) throws ScoreException {
        XmlElement c = parent.child(child);
        return c == null ? dflt : (int) parseLong(c, c.text(), child);
    }

    private long longText(XmlElement e) throws ScoreException {
        return parseLong(e, e.text(), e.name());
    }

    private long positiveLong(XmlElement e, String what) throws ScoreException {
        long v = parseLong(e, e == null ? null : e.text(), what);
        if (v <= 0) {
            throw err(e, "<" + what + "> must be a positive whole number, not " + v);
        }
        return v;
    }

    private long nonNegativeLong(XmlElement e, String what) throws ScoreException {
        if (e == null) {
            throw err(null, "missing <" + what + ">");
        }
        String t = e.text();
        long v;
        try {
            v = Math.round(Double.parseDouble(t)); // MusicXML allows decimals; files from notation programs write integers
        } catch (NumberFormatException ex) {
            throw err(e, "<" + what + "> must be a number, not '" + t + "'");
        }
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw err(e, "<" + what + "> must be between 0 and " + Integer.MAX_VALUE + ", not " + t);
        }
        return v;
    }

    private long parseLong(XmlElement at, String text, String what) throws ScoreException {
        try {
            return Long.parseLong(text == null ? "" : text.trim());
        } catch (NumberFormatException e) {
            throw err(at, "<" + what + "> (or its attribute) must be a whole number, not '" + text + "'");
        }
    }

    /** Collects a measure's repeat and jump marks. */
    static final class FlagsBuilder {
        boolean forward;
        int backward;
        java.util.Set<Integer> endingStart;
        boolean endingStop;
        String segno;
        String coda;
        String toCoda;
        boolean daCapo;
        String dalSegno;
        boolean fine;

        RepeatUnroller.Flags build() {
            return new RepeatUnroller.Flags(forward, backward, endingStart, endingStop, segno, coda, toCoda, daCapo,
                    dalSegno, fine);
        }
    }
}
