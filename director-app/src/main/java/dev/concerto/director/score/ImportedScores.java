package dev.concerto.director.score;

import dev.concerto.director.score.ScoreDocument.Beats;
import dev.concerto.director.score.ScoreDocument.EventSpec;
import dev.concerto.director.score.ScoreDocument.MeterChange;
import dev.concerto.director.score.ScoreDocument.NoteRef;
import dev.concerto.director.score.ScoreDocument.PartSpec;
import dev.concerto.director.score.ScoreDocument.TempoChange;
import dev.concerto.director.score.ScoreDocument.TempoSpec;
import dev.concerto.director.score.ScoreDocument.TuningSpec;
import dev.concerto.director.score.ScoreDocument.VoiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns placed voices from an importer into a {@link Score} in the events form, the same way for
 * MIDI and MusicXML: equal temperament at A4 = 440 Hz over the whole MIDI range, the tempo map in
 * quarter notes, one events part. The result is compiled once, so an imported score is a playable
 * score. Stateless; thread-safe.
 */
public final class ImportedScores {

    /** Largest imported file (MIDI, MusicXML) read from disk, bytes. */
    public static final long MAX_FILE_BYTES = 64L << 20;

    /**
     * Reads an imported file whole, at most {@link #MAX_FILE_BYTES}.
     *
     * @param tooLarge the end of the message for a larger file, after "the file is larger than 64 MiB"
     * @throws ScoreException naming the file: missing, unreadable, or too large
     */
    public static byte[] readBounded(java.nio.file.Path file, String tooLarge) throws ScoreException {
        String name = file.toString();
        byte[] bytes;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ScoreException(name, 0, 0, "", "no such file");
        } catch (java.io.IOException e) {
            throw new ScoreException(name, 0, 0, "", "cannot read the file: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new ScoreException(name, 0, 0, "", "the file is larger than " + (MAX_FILE_BYTES >> 20) + " MiB" + tooLarge);
        }
        return bytes;
    }

    private ImportedScores() {
    }

    /**
     * The descriptive fields of an imported score.
     *
     * @param meters the time signatures by tick where each starts a measure ({@code "3/4"}; only
     *               {@link MeterMap#supported} ones); none means 4/4 throughout
     */
    public record Header(String title, String composer, String description, java.util.NavigableMap<Long, String> meters) {
    }

    /**
     * Builds and validates the score.
     *
     * @param sourceName the file, for messages
     * @param header     title, composer, description, time signatures
     * @param tempo      the tempo map in ticks
     * @param placed     the voices
     * @param report     unplaced notes, file warnings, labelled text
     */
    public static Score build(String sourceName, Header header, TickTempoMap tempo, VoicePlacer.Result placed,
                              ImportReport report) throws ScoreException {
        if (placed.voices().isEmpty()) {
            throw new ScoreException(sourceName, 0, 0, "", "the file has no notes that can be played"
                    + (placed.unplaced().isEmpty() ? "" : " (" + placed.unplaced().size() + " unplaced, first: "
                    + placed.unplaced().get(0) + ")"));
        }
        double ppq = tempo.ppq();
        List<VoiceSpec> voices = new ArrayList<>();
        Map<String, List<EventSpec>> events = new LinkedHashMap<>();
        for (Map.Entry<String, List<VoicePlacer.Placed>> v : placed.voices().entrySet()) {
            voices.add(new VoiceSpec(v.getKey(), null, null, null));
            List<EventSpec> list = new ArrayList<>(v.getValue().size());
            for (VoicePlacer.Placed n : v.getValue()) {
                list.add(new EventSpec(Beats.of(n.start() / ppq), Beats.of((n.end() - n.start()) / ppq),
                        NoteRef.ofName(NoteNames.nameOf(n.midi()))));
            }
            events.put(v.getKey(), List.copyOf(list));
        }
        String meter = null;
        List<MeterChange> meterChanges = new ArrayList<>();
        for (Map.Entry<Long, String> m : header.meters().entrySet()) {
            if (m.getKey() <= 0) {
                meter = m.getValue();
            } else {
                meterChanges.add(new MeterChange(Beats.of(m.getKey() / ppq), m.getValue()));
            }
        }
        List<TempoChange> changes = new ArrayList<>();
        tempo.changes().forEach((tick, bpm) -> changes.add(new TempoChange(Beats.of(tick / ppq), bpm)));
        ScoreDocument doc = new ScoreDocument(null, header.title(), header.composer(), header.description(),
                new TuningSpec("equal", null, null, null, null, null, null, "A4", 440.0, null, "C-1", "G9"),
                new TempoSpec(tempo.initialBpm(), 4, null, changes.isEmpty() ? null : changes),
                meter, meterChanges.isEmpty() ? null : meterChanges, voices, null, List.of(PartSpec.ofEvents("imported", events)));
        List<String> warnings = new ArrayList<>(report.fileWarnings());
        if (!report.unplaced().isEmpty()) { // one line: a large file can leave tens of thousands of notes
            List<String> byCause = new ArrayList<>();
            report.unplacedByCause().forEach((cause, n) -> byCause.add(n + " " + cause.label()));
            warnings.add(report.unplaced().size() + " note" + (report.unplaced().size() == 1 ? "" : "s")
                    + " not placed (" + String.join(", ", byCause) + "); first: " + report.unplaced().get(0));
        }
        Score score = new Score(doc, new ScoreSource(sourceName, null), warnings, report);
        ScoreCompiler.compile(score); // the import must yield a valid score
        return score;
    }
}
