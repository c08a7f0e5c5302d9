package dev.concerto.director.score.musicxml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import skipped or approximated — grace notes, microtones, time signatures a score cannot
 * have, unsupported elements — counted so that each kind gives one warning, not silence and not
 * one line per occurrence. One per document; not thread-safe.
 */
final class SkippedElements {

    private final Map<String, Integer> unsupported = new LinkedHashMap<>();
    private final Map<String, Integer> firstLine = new HashMap<>();
    private int graceNotes;
    private int microtones;
    private String unsupportedMeter;

    /** An element (by name) that is not read. */
    void unsupported(XmlElement e) {
        unsupported.merge(e.name(), 1, Integer::sum);
        firstLine.putIfAbsent(e.name(), e.line());
    }

    void graceNote() {
        graceNotes++;
    }

    void microtone() {
        microtones++;
    }

    /** A time signature no score can have ({@code 5/64}); the first is named. */
    void unsupportedMeter(String meter, String measure) {
        if (unsupportedMeter == null) {
            unsupportedMeter = meter + " in measure " + measure;
        }
    }

    /** One line per kind, for the score's warnings. */
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
        if (unsupportedMeter != null) {
            warnings.add("the time signature " + unsupportedMeter + " is not one a score can have (1..64 beats of "
                    + "1/1..1/32); measures keep the one before");
        }
        unsupported.forEach((name, count) -> warnings.add("<" + name + "> is not supported and was ignored ("
                + count + "×, first at line " + firstLine.get(name) + ")"));
        return warnings;
    }
}
