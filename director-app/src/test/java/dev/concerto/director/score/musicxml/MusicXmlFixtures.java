package dev.concerto.director.score.musicxml;

import dev.concerto.director.score.ShippedScores;
import dev.concerto.director.score.TimedNote;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.VoiceTimeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Where the MusicXML test files are, and a timeline as comparable lines. */
final class MusicXmlFixtures {

    /** Hand-written feature files (one per element covered). */
    static final List<String> HANDWRITTEN = List.of("ties", "tuplets", "voltas", "clarinet", "two-voices",
            "dc-al-fine", "ds-al-coda", "meter-changes");

    private MusicXmlFixtures() {
    }

    static Path resources() {
        for (Path p : new Path[] {Path.of("src", "test", "resources", "musicxml"),
                Path.of("director-app", "src", "test", "resources", "musicxml")}) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no test resources near " + Path.of("").toAbsolutePath());
    }

    static Path handwritten(String name) {
        return resources().resolve("handwritten").resolve(name + ".musicxml");
    }

    static Path museScore(String fileName) {
        return resources().resolve("musescore3").resolve(fileName);
    }

    /** One line per sounding note: {@code voice start+duration (beats) midi}, in voice then time order. */
    static List<String> notes(Timeline t) {
        List<String> out = new ArrayList<>();
        for (VoiceTimeline v : t.voices()) {
            for (TimedNote n : v.notes()) {
                if (!n.isSilence()) {
                    out.add(String.format(Locale.ROOT, "%s %s+%s %d", v.name(), num(n.startBeats()),
                            num(n.durationBeats()), ShippedScores.midiOf(n.hz())));
                }
            }
        }
        return out;
    }

    private static String num(double v) {
        double r = Math.rint(v * 1e6) / 1e6;
        return r == Math.rint(r) ? Long.toString((long) r) : String.format(Locale.ROOT, "%.4f", r).replaceAll("0+$", "");
    }
}
