package dev.concerto.director.score.musicxml;

import dev.concerto.director.score.ScoreException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a measure says besides its notes: tempo ({@code <sound tempo>}, metronome marks),
 * jumps ({@code <sound>} da capo, dal segno, segno, coda, to coda, fine), repeats and endings
 * ({@code <barline>}). Visual-only directions are passed over; other ones are counted as
 * unsupported. One per document; not thread-safe.
 */
final class DirectionReader {

    /** Directions that only change how the page looks, or what a player reads but does not play here. */
    private static final Set<String> VISUAL_DIRECTIONS = Set.of("words", "dynamics", "wedge",
            "dashes", "bracket", "pedal", "rehearsal", "segno", "coda", "octave-shift", "harp-pedals", "damp",
            "damp-all", "eyeglasses", "string-mute", "scordatura", "image", "principal-voice", "percussion",
            "accordion-registration", "staff-divide", "other-direction", "symbol");

    /** Quarter notes in a metronome mark's beat unit. */
    private static final Map<String, Double> UNIT_QUARTERS = Map.of("whole", 4.0, "half", 2.0, "quarter", 1.0,
            "eighth", 0.5, "16th", 0.25, "32nd", 0.125, "breve", 8.0);

    private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");

    private final XmlValues values;
    private final SkippedElements skipped;

    DirectionReader(XmlValues values, SkippedElements skipped) {
        this.values = values;
        this.skipped = skipped;
    }

    /** A {@code <direction>} at tick {@code at} of the measure. */
    void direction(XmlElement d, long at, MeasureContent mc, RepeatUnroller.FlagsBuilder fb) throws ScoreException {
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
                    if (!soundTempo) { // <sound tempo> is what a notation program plays; the mark is for reading
                        metronome(c, at, mc);
                    }
                } else if (!VISUAL_DIRECTIONS.contains(c.name())) {
                    skipped.unsupported(c);
                }
            }
        }
    }

    private void metronome(XmlElement m, long at, MeasureContent mc) {
        String unit = m.childText("beat-unit");
        String perMinute = m.childText("per-minute");
        Double quarters = unit == null ? null : UNIT_QUARTERS.get(unit);
        if (quarters == null || perMinute == null) {
            skipped.unsupported(m); // metric modulation (note = note) and the like
            return;
        }
        Matcher num = NUMBER.matcher(perMinute);
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
            mc.tempos.add(new MeasureContent.LocalTempo(at, bpm));
        }
    }

    /** A {@code <sound>} at tick {@code at}: tempo and jumps. */
    void sound(XmlElement s, long at, MeasureContent mc, RepeatUnroller.FlagsBuilder fb) throws ScoreException {
        String tempo = s.attr("tempo");
        if (tempo != null) {
            try {
                double bpm = Double.parseDouble(tempo.trim());
                if (bpm > 0) {
                    mc.tempos.add(new MeasureContent.LocalTempo(at, bpm));
                }
            } catch (NumberFormatException e) {
                throw values.err(s, "tempo=\"" + tempo + "\" is not a number of quarter notes per minute");
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
                skipped.unsupported(c);
            }
        }
    }

    /** A {@code <barline>}: repeat signs and endings (voltas). */
    void barline(XmlElement b, RepeatUnroller.FlagsBuilder fb) throws ScoreException {
        for (XmlElement c : b.children()) {
            switch (c.name()) {
                case "repeat" -> {
                    if ("forward".equals(c.attr("direction"))) {
                        fb.forward = true;
                    } else if ("backward".equals(c.attr("direction"))) {
                        fb.backward = c.attr("times") == null ? 2 : (int) Math.max(1, Math.min(64,
                                values.parseLong(c, c.attr("times"), "times")));
                    }
                }
                case "ending" -> {
                    String type = c.attr("type");
                    if ("start".equals(type)) {
                        Set<Integer> numbers = new TreeSet<>();
                        for (String t : (c.attr("number") == null ? "1" : c.attr("number")).split("[,\\s]+")) {
                            if (!t.isBlank()) {
                                numbers.add((int) values.parseLong(c, t, "number"));
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
                default -> skipped.unsupported(c);
            }
        }
    }
}
