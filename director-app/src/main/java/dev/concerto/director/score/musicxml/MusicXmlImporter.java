package dev.concerto.director.score.musicxml;

import dev.concerto.director.score.ImportReport;
import dev.concerto.director.score.ImportedScores;
import dev.concerto.director.score.Placement;
import dev.concerto.director.score.Score;
import dev.concerto.director.score.ScoreException;
import dev.concerto.director.score.TickTempoMap;
import dev.concerto.director.score.Unplaced;
import dev.concerto.director.score.VoicePlacer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Imports MusicXML ({@code .musicxml}/{@code .xml}, partwise or timewise, and compressed
 * {@code .mxl}) into a score, producing the same model the MIDI importer produces: notes in ticks
 * spread over monophonic voices by {@link VoicePlacer}, a tempo map, and the time signatures (every change, so that measure numbers follow the score).
 *
 * <p>What is read: parts (named after {@code <part-name>}), pitches with {@code <alter>},
 * durations in {@code <divisions>} (so dots and tuplets come out exact), chords, several voices
 * through {@code <backup>}/{@code <forward>}, ties ({@code <tie>}) joined across measures, rests,
 * {@code <transpose>} (transposing instruments sound at concert pitch), tempo from
 * {@code <sound tempo>} and metronome marks, repeats with {@code times}, endings, and the
 * {@code <sound>} jumps (da capo, dal segno, to coda, fine) in {@link RepeatUnroller}'s order.
 * Grace notes take no time in MusicXML and are not played (one warning counts them); cue notes are
 * for reading and take their time in silence; unpitched notes are reported as percussion. Layout
 * (print, credits, defaults, beams, stems, lyrics, dynamics) is ignored; any other element gives
 * one warning per element name. Stateless; thread-safe.
 */
public final class MusicXmlImporter {


    /** Largest {@code .musicxml}/{@code .mxl} file read from disk. */
    static final long MAX_FILE_BYTES = ImportedScores.MAX_FILE_BYTES;
    /** No measure is played more often than this many times the measure count (bounds repeats). */
    private static final int MAX_PLAYS_PER_MEASURE = 16;

    private MusicXmlImporter() {
    }

    /** Reads a MusicXML file from disk ({@code .mxl} by extension is compressed). */
    public static Score load(Path file, Placement placement) throws ScoreException {
        String name = file.toString();
        byte[] bytes = ImportedScores.readBounded(file, "");
        String fileName = file.getFileName().toString();
        return read(bytes, name, fileName.replaceFirst("(?i)\\.(musicxml|xml|mxl)$", ""), placement);
    }

    /**
     * Reads MusicXML bytes, plain or compressed (told apart by the zip signature);
     * {@code sourceName} names them in messages.
     */
    public static Score read(byte[] bytes, String sourceName, String fallbackTitle, Placement placement)
            throws ScoreException {
        boolean zipped = bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4;
        String entry = null;
        byte[] xml = bytes;
        if (zipped) {
            MxlContainer.Entry e = MxlContainer.rootFile(bytes, sourceName);
            entry = e.name();
            xml = e.bytes();
        }
        String where = entry == null ? sourceName : sourceName + "!" + entry;
        XmlElement root;
        try (InputStream in = new ByteArrayInputStream(xml)) {
            root = SafeXml.parse(in);
        } catch (SafeXml.XmlException e) {
            throw new ScoreException(where, e.line, e.column, "", e.getMessage(), e);
        } catch (IOException e) {
            throw new ScoreException(where, 0, 0, "", "cannot read: " + e.getMessage(), e);
        }
        return new Run(where, root, placement).convert(fallbackTitle);
    }

    /** One part as a list of measures (both document shapes end up here). */
    private record Part(String id, String name, List<XmlElement> measures) {
    }

    /** A note in playing order, before ties are joined. */
    private static final class GlobalNote {
        final long start;
        long end;
        final int midi;
        final boolean tieStart;
        final boolean tieStop;
        final String voice;
        final String measure;
        final boolean unpitched;

        GlobalNote(long start, long end, MeasureContent.LocalNote n, String measure) {
            this.start = start;
            this.end = end;
            this.midi = n.midi();
            this.tieStart = n.tieStart();
            this.tieStop = n.tieStop();
            this.voice = n.voice();
            this.measure = measure;
            this.unpitched = n.unpitched();
        }
    }

    /**
     * Where measures start in playing order, as time signatures by tick: a signature is written
     * where the meter changes, and again where a measure starts off the grid of the one in force
     * (after a pickup or a shortened measure), so that measure numbers follow the score. Not
     * thread-safe.
     */
    private static final class MeterGrid {
        private String meter;
        private long gridStart;
        private long gridTicks;

        /** A measure played from {@code offset}; records a signature in {@code meters} where one starts. */
        void measure(long offset, MeasureContent mc, long ppq, TreeMap<Long, String> meters) {
            String m = mc == null || mc.meter == null ? "4/4" : mc.meter;
            long ticks = mc == null || mc.meter == null ? 4 * ppq : mc.meterTicks;
            boolean onGrid = meter != null && gridTicks > 0 && (offset - gridStart) % gridTicks == 0;
            if (!m.equals(meter) || !onGrid) {
                meters.put(offset, m);
                meter = m;
                gridStart = offset;
                gridTicks = ticks;
            }
        }
    }

    /** One conversion. */
    private static final class Run {
        private final String where;
        private final XmlElement root;
        private final Placement placement;
        private final MeasureReader reader;

        Run(String where, XmlElement root, Placement placement) {
            this.where = where;
            this.root = root;
            this.placement = placement;
            this.reader = new MeasureReader(where);
        }

        private ScoreException err(XmlElement at, String detail) {
            return new ScoreException(where, at == null ? 0 : at.line(), at == null ? 0 : at.column(),
                    at == null ? "" : "<" + at.name() + ">", detail);
        }

        Score convert(String fallbackTitle) throws ScoreException {
            List<Part> parts = parts();
            long ppq = reader.ticksPerQuarter(root);
            List<List<MeasureContent>> content = new ArrayList<>();
            List<RepeatUnroller.Flags> flags = new ArrayList<>();
            int measures = 0;
            for (Part p : parts) {
                measures = Math.max(measures, p.measures().size());
            }
            List<Map<Integer, RepeatUnroller.Flags>> flagsByPart = new ArrayList<>();
            for (int pi = 0; pi < parts.size(); pi++) {
                Map<Integer, RepeatUnroller.Flags> pf = new HashMap<>();
                content.add(reader.readPart(parts.get(pi).measures(), pf));
                flagsByPart.add(pf);
            }
            long[] length = new long[measures];
            for (int m = 0; m < measures; m++) {
                RepeatUnroller.Flags merged = null;
                for (int pi = 0; pi < parts.size(); pi++) {
                    if (m < content.get(pi).size()) {
                        length[m] = Math.max(length[m], content.get(pi).get(m).length);
                    }
                    merged = merge(merged, flagsByPart.get(pi).get(m));
                }
                MeasureContent first = firstWith(content, m);
                if (length[m] == 0 && first != null) {
                    length[m] = first.meterTicks; // a measure of rests only, written as nothing
                }
                flags.add(merged == null ? new RepeatUnroller.Flags(false, 0, null, false, null, null, null, false, null, false) : merged);
            }
            List<Integer> order;
            try {
                order = RepeatUnroller.order(flags, Math.max(1000, measures * MAX_PLAYS_PER_MEASURE));
            } catch (RepeatUnroller.EndlessException e) {
                throw err(root, e.getMessage());
            }
            // Lay the measures out in playing order.
            TreeMap<Long, Double> tempos = new TreeMap<>();
            TreeMap<Long, String> meters = new TreeMap<>();
            MeterGrid grid = new MeterGrid();
            List<List<GlobalNote>> perPart = new ArrayList<>();
            for (int pi = 0; pi < parts.size(); pi++) {
                perPart.add(new ArrayList<>());
            }
            long offset = 0;
            for (int m : order) {
                grid.measure(offset, firstWith(content, m), ppq, meters);
                for (int pi = 0; pi < parts.size(); pi++) {
                    if (m >= content.get(pi).size()) {
                        continue;
                    }
                    MeasureContent mc = content.get(pi).get(m);
                    for (MeasureContent.LocalNote n : mc.notes) {
                        perPart.get(pi).add(new GlobalNote(offset + n.start(), offset + n.start() + n.duration(), n, mc.number));
                    }
                    for (MeasureContent.LocalTempo t : mc.tempos) {
                        tempos.putIfAbsent(offset + t.at(), t.bpm());
                    }
                }
                offset += length[m];
            }
            TickTempoMap tempo = new TickTempoMap(ppq, tempos);
            List<VoicePlacer.Note> notes = new ArrayList<>();
            List<Unplaced> unplaced = new ArrayList<>();
            List<String> names = uniqueNames(parts);
            for (int pi = 0; pi < parts.size(); pi++) {
                String name = names.get(pi);
                for (GlobalNote g : joinTies(perPart.get(pi))) {
                    String origin = "part " + name + ", measure " + g.measure;
                    if (g.unpitched) {
                        unplaced.add(new Unplaced(origin, g.midi, tempo.beats(g.start), tempo.seconds(g.start),
                                Unplaced.Cause.PERCUSSION, "unpitched (percussion) note has no pitch to play"));
                    } else if (g.midi < 0 || g.midi > 127) {
                        unplaced.add(new Unplaced(origin, g.midi, tempo.beats(g.start), tempo.seconds(g.start),
                                Unplaced.Cause.OUT_OF_RANGE, "outside MIDI notes 0..127 (C-1..G9)"));
                    } else {
                        notes.add(new VoicePlacer.Note(pi, name, origin, g.midi, g.start, g.end));
                    }
                }
            }
            VoicePlacer.Result placed = VoicePlacer.place(notes, placement, tempo);
            unplaced.addAll(placed.unplaced());
            unplaced.sort(java.util.Comparator.comparingDouble(Unplaced::startBeats));
            List<String> warnings = reader.warnings();
            List<ImportReport.Info> info = new ArrayList<>();
            XmlElement ident = root.child("identification");
            if (ident != null) {
                for (XmlElement rights : ident.all("rights")) {
                    info.add(new ImportReport.Info("copyright", oneLine(rights.text())));
                }
            }
            String desc = String.format(Locale.ROOT,
                    "Imported from %s (MusicXML %s, %s, %d parts, %d measures, %d played), split %s over %s players "
                            + "(keep %s); %d notes placed, %d unplaced.",
                    Path.of(where).getFileName(), root.attr("version") == null ? "" : root.attr("version"),
                    root.name().equals("score-timewise") ? "timewise" : "partwise", parts.size(), measures,
                    order.size(), placement.split().text(), placement.playersText(), placement.keep().text(),
                    notes.size() - placed.unplaced().size(), unplaced.size());
            ImportReport report = new ImportReport(unplaced, warnings, info);
            ImportedScores.Header header = new ImportedScores.Header(title(fallbackTitle), composer(), desc, meters);
            return ImportedScores.build(where, header, tempo, placed, report);
        }

        // ---- document shape ------------------------------------------------------------------

        private List<Part> parts() throws ScoreException {
            boolean partwise = root.name().equals("score-partwise");
            boolean timewise = root.name().equals("score-timewise");
            if (!partwise && !timewise) {
                throw err(root, "not a MusicXML score: the root element is <" + root.name()
                        + ">, expected <score-partwise> or <score-timewise>");
            }
            Map<String, String> partNames = new LinkedHashMap<>();
            XmlElement list = root.child("part-list");
            if (list != null) {
                for (XmlElement sp : list.all("score-part")) {
                    String id = sp.attr("id");
                    String n = sp.childText("part-name");
                    partNames.put(id, n == null || n.isBlank() ? id : n);
                }
            }
            Map<String, List<XmlElement>> measures = new LinkedHashMap<>();
            if (partwise) {
                for (XmlElement p : root.all("part")) {
                    measures.computeIfAbsent(p.attr("id"), k -> new ArrayList<>()).addAll(p.all("measure"));
                }
            } else {
                for (XmlElement m : root.all("measure")) {
                    for (XmlElement p : m.all("part")) {
                        XmlElement synthetic = new XmlElement("measure", p.line(), p.column());
                        if (m.attr("number") != null) {
                            synthetic.putAttribute("number", m.attr("number"));
                        }
                        p.children().forEach(synthetic::addChild);
                        measures.computeIfAbsent(p.attr("id"), k -> new ArrayList<>()).add(synthetic);
                    }
                }
            }
            if (measures.isEmpty()) {
                throw err(root, "the score has no <part> with measures");
            }
            List<Part> parts = new ArrayList<>();
            measures.forEach((id, ms) -> parts.add(new Part(id, partNames.getOrDefault(id, id == null ? "part" : id), ms)));
            return parts;
        }

        private static List<String> uniqueNames(List<Part> parts) {
            List<String> out = new ArrayList<>();
            for (Part p : parts) {
                String base = p.name().replaceAll("\\s+", " ").trim();
                String n = base;
                for (int k = 2; out.contains(n); k++) {
                    n = base + " " + k;
                }
                out.add(n);
            }
            return out;
        }

        /** Measure {@code m} of the first part that has it (parts may differ in length), or {@code null}. */
        private static MeasureContent firstWith(List<List<MeasureContent>> content, int m) {
            for (List<MeasureContent> part : content) {
                if (m < part.size()) {
                    return part.get(m);
                }
            }
            return null;
        }

        private static RepeatUnroller.Flags merge(RepeatUnroller.Flags a, RepeatUnroller.Flags b) {
            if (a == null) {
                return b;
            }
            if (b == null) {
                return a;
            }
            return new RepeatUnroller.Flags(a.forwardRepeat() || b.forwardRepeat(), Math.max(a.backwardTimes(), b.backwardTimes()),
                    a.endingStart() != null ? a.endingStart() : b.endingStart(), a.endingStop() || b.endingStop(),
                    or(a.segno(), b.segno()), or(a.coda(), b.coda()), or(a.toCoda(), b.toCoda()),
                    a.daCapo() || b.daCapo(), or(a.dalSegno(), b.dalSegno()), a.fine() || b.fine());
        }

        private static String or(String a, String b) {
            return a != null ? a : b;
        }

        /** Joins tied notes: a note whose tie stops continues the same pitch's note that ends where it starts. */
        private static List<GlobalNote> joinTies(List<GlobalNote> notes) {
            notes.sort(java.util.Comparator.comparingLong(g -> g.start));
            List<GlobalNote> out = new ArrayList<>(notes.size());
            Map<String, GlobalNote> open = new HashMap<>();
            for (GlobalNote g : notes) {
                String key = g.voice + "/" + g.midi;
                GlobalNote prev = g.tieStop ? open.get(key) : null;
                if (prev == null && g.tieStop) {
                    prev = open.get("*/" + g.midi); // a tie between voices
                }
                if (prev != null && prev.end == g.start) {
                    prev.end = g.end;
                    if (!g.tieStart) {
                        open.remove(prev.voice + "/" + prev.midi);
                        open.remove("*/" + prev.midi);
                    }
                    continue;
                }
                out.add(g);
                if (g.tieStart) {
                    open.put(key, g);
                    open.put("*/" + g.midi, g);
                }
            }
            return out;
        }

        // ---- header ----------------------------------------------------------------------------

        private String title(String fallback) {
            XmlElement work = root.child("work");
            String t = work == null ? null : work.childText("work-title");
            if (t == null || t.isBlank()) {
                t = root.childText("movement-title");
            }
            if (t == null || t.isBlank()) {
                for (XmlElement credit : root.all("credit")) {
                    if ("title".equals(credit.childText("credit-type")) && credit.childText("credit-words") != null) {
                        t = credit.childText("credit-words");
                        break;
                    }
                }
            }
            return t == null || t.isBlank() ? fallback : oneLine(t);
        }

        private String composer() {
            XmlElement ident = root.child("identification");
            if (ident != null) {
                for (XmlElement c : ident.all("creator")) {
                    if ("composer".equals(c.attr("type")) && !c.text().isBlank()) {
                        return oneLine(c.text());
                    }
                }
            }
            return "";
        }

        private static String oneLine(String s) {
            return s.replaceAll("\\s*\\R\\s*", " / ").trim();
        }

    }

}
