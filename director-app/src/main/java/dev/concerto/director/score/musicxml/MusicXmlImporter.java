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
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports MusicXML ({@code .musicxml}/{@code .xml}, partwise or timewise, and compressed
 * {@code .mxl}) into a score, producing the same model the MIDI importer produces: notes in ticks
 * spread over monophonic voices by {@link VoicePlacer}, a tempo map, the first time signature.
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

    private static final Logger LOG = LoggerFactory.getLogger(MusicXmlImporter.class);

    /** Largest {@code .musicxml}/{@code .mxl} file read from disk. */
    static final long MAX_FILE_BYTES = 64L << 20;
    /** No measure is played more often than this many times the measure count (bounds repeats). */
    private static final int MAX_PLAYS_PER_MEASURE = 16;
    /** Finest tick grid: the least common multiple of the file's divisions must stay below this. */
    private static final long MAX_PPQ = 1L << 30;

    private static final int[] STEP_SEMITONES = {9, 11, 0, 2, 4, 5, 7}; // A B C D E F G

    private MusicXmlImporter() {
    }

    /** Reads a MusicXML file from disk ({@code .mxl} by extension is compressed). */
    public static Score load(Path file, Placement placement) throws ScoreException {
        String name = file.toString();
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new ScoreException(name, 0, 0, "", "no such file");
        } catch (IOException e) {
            throw new ScoreException(name, 0, 0, "", "cannot read the file: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new ScoreException(name, 0, 0, "", "the file is larger than " + (MAX_FILE_BYTES >> 20) + " MiB");
        }
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

    /** A sounding note inside one measure, ticks from the measure's start. */
    private record LocalNote(long start, long duration, int midi, boolean tieStart, boolean tieStop, String voice,
                             boolean unpitched) {
    }

    private record LocalTempo(long at, double bpm) {
    }

    /** What a part has in one measure. */
    private static final class MeasureContent {
        final List<LocalNote> notes = new ArrayList<>();
        final List<LocalTempo> tempos = new ArrayList<>();
        long length;
        String number = "";
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

        GlobalNote(long start, long end, LocalNote n, String measure) {
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

    /** One conversion. */
    private static final class Run {
        private final String where;
        private final XmlElement root;
        private final Placement placement;
        private final List<String> warnings = new ArrayList<>();
        private final Map<String, Integer> unsupported = new LinkedHashMap<>();
        private final Map<String, Integer> firstLine = new HashMap<>();
        private int graceNotes;
        private int microtones;
        private String meter;
        private String meterChange;
        private long ppq = 1;

        Run(String where, XmlElement root, Placement placement) {
            this.where = where;
            this.root = root;
            this.placement = placement;
        }

        private ScoreException err(XmlElement at, String detail) {
            return new ScoreException(where, at == null ? 0 : at.line(), at == null ? 0 : at.column(),
                    at == null ? "" : "<" + at.name() + ">", detail);
        }

        Score convert(String fallbackTitle) throws ScoreException {
            List<Part> parts = parts();
            ppq = ticksPerQuarter(root);
            List<List<MeasureContent>> content = new ArrayList<>();
            List<RepeatUnroller.Flags> flags = new ArrayList<>();
            int measures = 0;
            for (Part p : parts) {
                measures = Math.max(measures, p.measures().size());
            }
            List<Map<Integer, RepeatUnroller.Flags>> flagsByPart = new ArrayList<>();
            List<Long> timeLength = new ArrayList<>(); // per measure: the time signature's length, ticks
            for (int pi = 0; pi < parts.size(); pi++) {
                Map<Integer, RepeatUnroller.Flags> pf = new HashMap<>();
                content.add(readPart(parts.get(pi), pf, pi == 0 ? timeLength : null));
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
                if (length[m] == 0 && m < timeLength.size()) {
                    length[m] = timeLength.get(m);
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
            List<List<GlobalNote>> perPart = new ArrayList<>();
            for (int pi = 0; pi < parts.size(); pi++) {
                perPart.add(new ArrayList<>());
            }
            long offset = 0;
            for (int m : order) {
                for (int pi = 0; pi < parts.size(); pi++) {
                    if (m >= content.get(pi).size()) {
                        continue;
                    }
                    MeasureContent mc = content.get(pi).get(m);
                    for (LocalNote n : mc.notes) {
                        perPart.get(pi).add(new GlobalNote(offset + n.start(), offset + n.start() + n.duration(), n, mc.number));
                    }
                    for (LocalTempo t : mc.tempos) {
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
            if (!warnings.isEmpty() || !unplaced.isEmpty()) {
                LOG.warn("{}: {} warnings, {} notes not placed", where, warnings.size(), unplaced.size());
            }
            ImportedScores.Header header = new ImportedScores.Header(title(fallbackTitle), composer(), desc, meter);
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

        private long ticksPerQuarter(XmlElement e) throws ScoreException {
            long l = 1;
            for (XmlElement d : descendants(e, "divisions")) {
                long v = positiveLong(d, "divisions");
                l = l / gcd(l, v) * v;
                if (l > MAX_PPQ) {
                    throw err(d, "the <divisions> values need a grid finer than " + MAX_PPQ + " ticks per quarter note");
                }
            }
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

        private List<MeasureContent> readPart(Part part, Map<Integer, RepeatUnroller.Flags> flags, List<Long> timeLength)
                throws ScoreException {
            List<MeasureContent> out = new ArrayList<>();
            long factor = 0; // ticks per division
            int chromatic = 0;
            long measureTicks = 4 * ppq;
            for (int mi = 0; mi < part.measures().size(); mi++) {
                XmlElement measure = part.measures().get(mi);
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
    }

    /** Collects a measure's repeat and jump marks. */
    private static final class FlagsBuilder {
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
