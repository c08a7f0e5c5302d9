package dev.concerto.director.score;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What an importer (MIDI, MusicXML) found besides the music: the notes it could not place, the
 * things in the file that look wrong but were read anyway, and labelled text such as a copyright
 * notice. Immutable; thread-safe.
 *
 * @param unplaced      notes no voice plays, in onset order
 * @param fileWarnings  suspicious content that was accepted (a note never released, an unsupported
 *                      element); {@code check --strict} fails on these
 * @param info          labelled text from the file, e.g. {@code copyright}, {@code text}
 */
public record ImportReport(List<Unplaced> unplaced, List<String> fileWarnings, List<Info> info) {

    /** Nothing to report (JSON scores). */
    public static final ImportReport NONE = new ImportReport(List.of(), List.of(), List.of());

    /** A labelled piece of text. */
    public record Info(String label, String text) {
    }

    public ImportReport {
        unplaced = List.copyOf(unplaced);
        fileWarnings = List.copyOf(fileWarnings);
        info = List.copyOf(info);
    }

    /** Unplaced notes counted by cause, in the enum's order, causes with no notes left out. */
    public Map<Unplaced.Cause, Integer> unplacedByCause() {
        int[] counts = new int[Unplaced.Cause.values().length];
        for (Unplaced u : unplaced) {
            counts[u.cause().ordinal()]++;
        }
        Map<Unplaced.Cause, Integer> m = new EnumMap<>(Unplaced.Cause.class);
        for (Unplaced.Cause c : Unplaced.Cause.values()) {
            if (counts[c.ordinal()] > 0) {
                m.put(c, counts[c.ordinal()]);
            }
        }
        return m;
    }
}
