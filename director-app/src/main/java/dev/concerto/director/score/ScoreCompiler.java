package dev.concerto.director.score;

import dev.concerto.director.score.ScoreDocument.Beats;
import dev.concerto.director.score.ScoreDocument.ChordSpec;
import dev.concerto.director.score.ScoreDocument.EventSpec;
import dev.concerto.director.score.ScoreDocument.FigureSpec;
import dev.concerto.director.score.ScoreDocument.FigureStep;
import dev.concerto.director.score.ScoreDocument.NoteRef;
import dev.concerto.director.score.ScoreDocument.PartSpec;
import dev.concerto.director.score.ScoreDocument.TempoChange;
import dev.concerto.director.score.ScoreDocument.TempoSpec;
import dev.concerto.director.score.ScoreDocument.TuningSpec;
import dev.concerto.director.score.ScoreDocument.VoiceSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Compiles a {@link Score} to a {@link Timeline}: resolves notes through the tone table, lays out
 * figures, written-out measures and events in beats, converts beats to seconds through the tempo
 * map, and checks the result (monophonic voices, every voice used). Pure and deterministic: the
 * same score gives an equal timeline. Stateless; thread-safe.
 *
 * <p>Beats are snapped to a grid of 1e-9 beat, so that a note's end and the next note's start
 * are the same instant even when they were reached by different sums of fractions (1/3 + 2/3 and
 * 1); a note's {@code startSeconds + durationSeconds} is never less than the start of a note
 * that follows it without a rest, so a sender comparing them exactly sees no gap.
 */
public final class ScoreCompiler {

    /** Beats closer than this are the same instant (guards sums of fractions such as 1/3). */
    static final double EPS = 1e-9;
    /** More notes than this is a mistake (a huge repeat), not music; it would only exhaust memory. */
    static final int MAX_NOTES = 500_000;
    /** No single time or length in a score may exceed this many beats (about 4.6 hours at 60 bpm). */
    static final double MAX_BEATS = 1_000_000;

    private ScoreCompiler() {
    }

    /** Compiles the score; the exception names the file, line, column and field of the first problem. */
    public static Timeline compile(Score score) throws ScoreException {
        return new Run(score).compile();
    }

    /** The score's tone table. */
    public static Tuning tuning(Score score) throws ScoreException {
        return new Run(score).tuning();
    }

    /** The tempo in force, as beats per minute of the beat unit, resolved from bpm or dt. */
    public static double nominalBpm(Score score) throws ScoreException {
        return new Run(score).tempoMap().get(0).bpm;
    }

    /** The beat unit (4 = quarter note). */
    public static int beatUnit(Score score) {
        TempoSpec t = score.document().tempo();
        return t == null || t.beatUnit() == null ? 4 : t.beatUnit();
    }

    private record Segment(double startBeat, double startSecond, double bpm) {
    }

    private record Raw(double startBeats, double durationBeats, double hz, String name, long seq, FieldPath where) {
        double endBeats() {
            return startBeats + durationBeats;
        }
    }

    /** One compilation; holds the per-run state so the public entry points stay pure. */
    private static final class Run {
        private final Score score;
        private final ScoreDocument doc;
        private final ScoreSource src;
        private final Map<String, List<Raw>> byVoice = new LinkedHashMap<>();
        private final Map<String, VoiceSpec> voices = new LinkedHashMap<>();
        private long seq;
        private Tuning tuning;

        Run(Score score) {
            this.score = score;
            this.doc = score.document();
            this.src = score.source();
        }

        private ScoreException err(FieldPath where, String detail) {
            return src.error(where, detail);
        }

        Timeline compile() throws ScoreException {
            FieldPath root = FieldPath.ROOT;
            if (doc.title() == null || doc.title().isBlank()) {
                throw err(root, "missing field 'title'");
            }
            tuning = tuning();
            List<Segment> tempo = tempoMap();
            double beatsPerMeasure = beatsPerMeasure();
            declareVoices();
            Map<String, FigureSpec> figures = doc.figures() == null ? Map.of() : doc.figures();
            if (doc.parts() == null || doc.parts().isEmpty()) {
                throw err(root.field("parts"), "the score has no parts (write chords, measures or events)");
            }
            double cursor = 0;
            for (int i = 0; i < doc.parts().size(); i++) {
                PartSpec part = doc.parts().get(i);
                FieldPath at = root.field("parts").index(i);
                if (part == null) {
                    throw err(at, "a part may not be null");
                }
                int kinds = (part.chords() != null ? 1 : 0) + (part.measures() != null ? 1 : 0) + (part.events() != null ? 1 : 0);
                if (kinds != 1) {
                    throw err(at, "a part has exactly one of 'chords', 'measures' or 'events' (this one has " + kinds + ")");
                }
                if (part.chords() != null) {
                    cursor = chordPart(part, at, cursor, figures);
                } else if (part.measures() != null) {
                    cursor = measuresPart(part, at, cursor, beatsPerMeasure);
                } else {
                    cursor = eventsPart(part, at, cursor);
                }
            }
            return build(tempo, beatsPerMeasure, cursor);
        }

        // ---- tone table ----------------------------------------------------------------------

        Tuning tuning() throws ScoreException {
            FieldPath at = FieldPath.ROOT.field("tuning");
            TuningSpec t = doc.tuning();
            if (t == null) {
                throw err(FieldPath.ROOT, "missing field 'tuning' (e.g. {\"type\": \"equal\"} or the ancestor's formula)");
            }
            String type = t.type() == null ? "" : t.type().trim().toLowerCase(Locale.ROOT);
            switch (type) {
                case "formula" -> {
                    double base = t.baseHz() == null ? 55.0 : t.baseHz();
                    int steps = t.stepsPerOctave() == null ? 12 : t.stepsPerOctave();
                    int count = t.count() == null ? 51 : t.count();
                    if (!(base > 0) || Double.isInfinite(base)) {
                        throw err(at.field("baseHz"), "baseHz must be > 0, not " + fmt(base));
                    }
                    if (steps <= 0) {
                        throw err(at.field("stepsPerOctave"), "stepsPerOctave must be > 0, not " + steps);
                    }
                    if (count <= 0 || count > 1000) {
                        throw err(at.field("count"), "count must be 1..1000, not " + count);
                    }
                    int baseMidi = t.baseNote() != null ? midiOf(t.baseNote(), at.field("baseNote"))
                            : (int) Math.round(69 + 12 * Math.log(base / 440.0) / Math.log(2));
                    return Tuning.formula(base, steps, count, t.round() == null || t.round(), baseMidi);
                }
                case "list" -> {
                    if (t.hz() == null || t.hz().isEmpty()) {
                        throw err(at.field("hz"), "a list tuning needs a non-empty 'hz' array");
                    }
                    double[] hz = new double[t.hz().size()];
                    for (int i = 0; i < hz.length; i++) {
                        Double f = t.hz().get(i);
                        if (f == null || !(f > 0) || Double.isInfinite(f)) {
                            throw err(at.field("hz").index(i), "a frequency must be > 0 Hz, not " + (f == null ? "null" : fmt(f)));
                        }
                        hz[i] = f;
                    }
                    int baseMidi = t.baseNote() == null ? Integer.MIN_VALUE : midiOf(t.baseNote(), at.field("baseNote"));
                    return Tuning.list(hz, baseMidi);
                }
                default -> {
                    Temperament temp = Temperament.byKey(type).orElseThrow(() -> err(at.field("type"),
                            "unknown tuning '" + t.type() + "' (known: formula, list, " + Temperament.knownKeys() + ")"));
                    int refMidi = t.referenceNote() == null ? 69 : midiOf(t.referenceNote(), at.field("referenceNote"));
                    double refHz = t.referenceHz() == null ? 440.0 : t.referenceHz();
                    if (!(refHz > 0) || Double.isInfinite(refHz)) {
                        throw err(at.field("referenceHz"), "referenceHz must be > 0, not " + fmt(refHz));
                    }
                    int keyPc = 0;
                    if (t.key() != null) {
                        OptionalInt pc = NoteNames.pitchClassOf(t.key());
                        if (pc.isEmpty()) {
                            throw err(at.field("key"), "unknown key '" + t.key() + "' (write C, F#, Bb, ...)");
                        }
                        keyPc = pc.getAsInt();
                    }
                    int low = t.lowest() == null ? 21 : midiOf(t.lowest(), at.field("lowest"));
                    int high = t.highest() == null ? 108 : midiOf(t.highest(), at.field("highest"));
                    if (high < low) {
                        throw err(at.field("highest"), "highest lies below lowest");
                    }
                    return Tuning.named(temp, refMidi, refHz, keyPc, low, high);
                }
            }
        }

        private int midiOf(String name, FieldPath at) throws ScoreException {
            OptionalInt m = NoteNames.midiOf(name);
            if (m.isEmpty()) {
                throw err(at, "unknown note name '" + name + "' (write C4, F#3, Bb2, ...)");
            }
            return m.getAsInt();
        }

        /** Resolves a note to [index, hz]; names through the table's note names. */
        private int index(NoteRef note, FieldPath at) throws ScoreException {
            if (note == null) {
                throw err(at, "missing note");
            }
            if (note.index() != null) {
                int i = note.index();
                if (i < 0 || i >= tuning.size()) {
                    throw err(at, "index " + i + " is outside the tone table (0.." + (tuning.size() - 1) + ")");
                }
                return i;
            }
            if (note.name() != null && note.name().trim().matches("-?\\d{1,9}")) { // "27" in a chord string
                return index(NoteRef.ofIndex(Integer.parseInt(note.name().trim())), at);
            }
            OptionalInt midi = NoteNames.midiOf(note.name());
            if (midi.isEmpty()) {
                throw err(at, "unknown note name '" + note.name() + "' (write C4, F#3, Bb2, ... or a table index)");
            }
            if (!tuning.acceptsNames()) {
                throw err(at, "note names need a 12-step table with a known baseNote; write table indices or set tuning.baseNote");
            }
            OptionalInt idx = tuning.indexOfMidi(midi.getAsInt());
            if (idx.isEmpty()) {
                throw err(at, "note " + note.name() + " is outside the tone table (" + tuning.range() + ")");
            }
            return idx.getAsInt();
        }

        // ---- tempo and meter -----------------------------------------------------------------

        List<Segment> tempoMap() throws ScoreException {
            FieldPath at = FieldPath.ROOT.field("tempo");
            TempoSpec t = doc.tempo();
            if (t == null) {
                throw err(FieldPath.ROOT, "missing field 'tempo' (e.g. {\"bpm\": 66, \"beatUnit\": 4} or {\"dt\": 0.025})");
            }
            int unit = t.beatUnit() == null ? 4 : t.beatUnit();
            if (unit != 1 && unit != 2 && unit != 4 && unit != 8 && unit != 16 && unit != 32) {
                throw err(at.field("beatUnit"), "beatUnit must be 1, 2, 4, 8, 16 or 32 (4 = quarter note), not " + unit);
            }
            double bpm;
            if (t.bpm() != null && t.dt() != null) {
                throw err(at, "give either 'bpm' or 'dt', not both");
            } else if (t.bpm() != null) {
                bpm = t.bpm();
                if (!(bpm > 0) || bpm > 2000) {
                    throw err(at.field("bpm"), "bpm must be in (0, 2000], not " + fmt(bpm));
                }
            } else if (t.dt() != null) {
                double dt = t.dt();
                if (!(dt > 0) || dt > 10) {
                    throw err(at.field("dt"), "dt must be in (0, 10] seconds, not " + fmt(dt));
                }
                // The ancestor's note() sleeps 8*dt per sixteenth; a beat of unit u holds 16/u sixteenths.
                bpm = 60.0 / (8.0 * dt * 16.0 / unit);
            } else {
                throw err(at, "the tempo needs 'bpm' (with 'beatUnit') or the ancestor's 'dt'");
            }
            List<Segment> map = new ArrayList<>();
            map.add(new Segment(0, 0, bpm));
            if (t.changes() != null) {
                for (int i = 0; i < t.changes().size(); i++) {
                    TempoChange c = t.changes().get(i);
                    FieldPath ci = at.field("changes").index(i);
                    if (c == null || c.beat() == null || c.bpm() == null) {
                        throw err(ci, "a tempo change needs 'beat' and 'bpm'");
                    }
                    Segment last = map.get(map.size() - 1);
                    double beat = c.beat().value();
                    if (!(beat >= last.startBeat) || beat > MAX_BEATS) {
                        throw err(ci.field("beat"), "tempo changes must be in order of beat (" + beat + " < " + last.startBeat + ")");
                    }
                    if (!(c.bpm() > 0) || c.bpm() > 2000) {
                        throw err(ci.field("bpm"), "bpm must be in (0, 2000], not " + fmt(c.bpm()));
                    }
                    double sec = last.startSecond + (beat - last.startBeat) * 60.0 / last.bpm;
                    if (beat - last.startBeat < EPS) {
                        map.set(map.size() - 1, new Segment(last.startBeat, last.startSecond, c.bpm()));
                    } else {
                        map.add(new Segment(beat, sec, c.bpm()));
                    }
                }
            }
            return map;
        }

        private double beatsPerMeasure() throws ScoreException {
            String meter = doc.meter() == null ? "4/4" : doc.meter().trim();
            FieldPath at = FieldPath.ROOT.field("meter");
            String[] p = meter.split("/");
            try {
                if (p.length == 2) {
                    int num = Integer.parseInt(p[0].trim());
                    int den = Integer.parseInt(p[1].trim());
                    if (num > 0 && num <= 64 && (den == 1 || den == 2 || den == 4 || den == 8 || den == 16 || den == 32)) {
                        return num * (double) beatUnit(score) / den;
                    }
                }
            } catch (NumberFormatException e) {
                // fall through to the message
            }
            throw err(at, "meter must be a time signature such as \"4/4\" or \"3/8\", not \"" + meter + "\"");
        }

        // ---- voices --------------------------------------------------------------------------

        private void declareVoices() throws ScoreException {
            FieldPath at = FieldPath.ROOT.field("voices");
            if (doc.voices() == null || doc.voices().isEmpty()) {
                throw err(FieldPath.ROOT, "the score declares no voices (\"voices\": [{\"name\": \"bass\"}, ...])");
            }
            for (int i = 0; i < doc.voices().size(); i++) {
                VoiceSpec v = doc.voices().get(i);
                if (v == null || v.name() == null || v.name().isBlank()) {
                    throw err(at.index(i), "a voice needs a 'name'");
                }
                if (voices.containsKey(v.name())) {
                    throw err(at.index(i).field("name"), "voice '" + v.name() + "' is declared twice");
                }
                voices.put(v.name(), v);
                byVoice.put(v.name(), new ArrayList<>());
            }
        }

        private List<Raw> voice(String name, FieldPath at) throws ScoreException {
            List<Raw> list = byVoice.get(name);
            if (list == null) {
                throw err(at, "unknown voice '" + name + "' (declared: " + String.join(", ", voices.keySet()) + ")");
            }
            return list;
        }

        private void add(List<Raw> voice, double start, double dur, int index, FieldPath where) throws ScoreException {
            if (seq >= MAX_NOTES) {
                throw err(where, "the score expands to more than " + MAX_NOTES + " notes; check repeats and lengths");
            }
            voice.add(new Raw(start, dur, tuning.hz(index), tuning.nameOfIndex(index), seq++, where));
        }

        private void addSilence(List<Raw> voice, double start, FieldPath where) throws ScoreException {
            if (seq >= MAX_NOTES) {
                throw err(where, "the score expands to more than " + MAX_NOTES + " notes; check repeats and lengths");
            }
            voice.add(new Raw(start, 0, 0, "rest", seq++, where));
        }

        private double positive(Beats b, FieldPath at, String what, boolean zeroAllowed) throws ScoreException {
            if (b == null) {
                throw err(at, "missing " + what);
            }
            double v = b.value();
            if (Double.isNaN(v) || Double.isInfinite(v) || v < 0 || (!zeroAllowed && v == 0)) {
                throw err(at, what + " must be " + (zeroAllowed ? ">= 0" : "> 0") + " beats, not " + fmt(v));
            }
            if (v > MAX_BEATS) {
                throw err(at, what + " must be at most " + fmt(MAX_BEATS) + " beats, not " + fmt(v));
            }
            return v;
        }

        // ---- parts ---------------------------------------------------------------------------

        private double chordPart(PartSpec part, FieldPath at, double cursor, Map<String, FigureSpec> figures)
                throws ScoreException {
            if (part.figure() == null) {
                throw err(at, "a chords part needs a 'figure'");
            }
            FigureSpec fig = figures.get(part.figure());
            if (fig == null && figures.containsKey(part.figure())) {
                throw err(FieldPath.ROOT.field("figures").field(part.figure()), "figure '" + part.figure() + "' is null");
            }
            if (fig == null) {
                throw err(at.field("figure"), "unknown figure '" + part.figure() + "' (defined: "
                        + String.join(", ", figures.keySet()) + ")");
            }
            FieldPath fat = FieldPath.ROOT.field("figures").field(part.figure());
            double step = positive(fig.stepBeats(), fat.field("stepBeats"), "stepBeats", false);
            if (fig.steps() == null || fig.steps().isEmpty()) {
                throw err(fat.field("steps"), "a figure needs at least one step");
            }
            // Resolve the figure once: voice, tone index, start step, length in steps.
            int n = fig.steps().size();
            List<Raw>[] fv = newArray(n);
            int[] tone = new int[n];
            int[] startStep = new int[n];
            int[] len = new int[n];
            int next = 0;
            int end = 0;
            for (int j = 0; j < n; j++) {
                FigureStep s = fig.steps().get(j);
                FieldPath sat = fat.field("steps").index(j);
                if (s == null || s.voice() == null || s.tone() == null) {
                    throw err(sat, "a figure step needs 'voice' and 'tone'");
                }
                fv[j] = voice(s.voice(), sat.field("voice"));
                String t = s.tone().trim().toLowerCase(Locale.ROOT);
                if (t.length() != 1 || t.charAt(0) < 'a' || t.charAt(0) > 'z') {
                    throw err(sat.field("tone"), "a chord tone is a letter: a = the chord's first tone, b the second, ... (not '" + s.tone() + "')");
                }
                tone[j] = t.charAt(0) - 'a';
                startStep[j] = s.at() == null ? next : s.at();
                if (startStep[j] < 0) {
                    throw err(sat.field("at"), "a step position must be >= 0, not " + startStep[j]);
                }
                len[j] = s.steps() == null ? 1 : s.steps();
                if (len[j] <= 0) {
                    throw err(sat.field("steps"), "a step must last >= 1 steps, not " + len[j]);
                }
                next = startStep[j] + 1;
                end = Math.max(end, startStep[j] + len[j]);
            }
            int figLen = fig.length() == null ? end : fig.length();
            if (figLen < end) {
                throw err(fat.field("length"), "the figure's length (" + figLen + " steps) is shorter than its steps (" + end + ")");
            }
            int repeat = part.repeat() == null ? 1 : part.repeat();
            if (repeat < 1) {
                throw err(at.field("repeat"), "repeat must be >= 1, not " + repeat);
            }
            double rest = part.restBeats() == null ? 0 : positive(part.restBeats(), at.field("restBeats"), "restBeats", true);
            boolean stop = part.stop() != null && part.stop();
            if (part.chords().isEmpty()) {
                throw err(at.field("chords"), "a chords part needs at least one chord");
            }
            for (int k = 0; k < part.chords().size(); k++) {
                ChordSpec chord = part.chords().get(k);
                FieldPath cat = at.field("chords").index(k);
                if (chord == null || chord.tones().isEmpty()) {
                    throw err(cat, "an empty chord");
                }
                int[] idx = new int[chord.tones().size()];
                for (int q = 0; q < idx.length; q++) {
                    idx[q] = index(chord.tones().get(q), chord.text() != null ? cat : cat.index(q));
                }
                for (int j = 0; j < n; j++) {
                    if (tone[j] >= idx.length) {
                        throw err(cat, "figure '" + part.figure() + "' plays chord tone '" + (char) ('a' + tone[j])
                                + "' (figures." + part.figure() + ".steps[" + j + "]) but this chord has only "
                                + idx.length + " tones (a.." + (char) ('a' + idx.length - 1) + ")");
                    }
                }
                for (int r = 0; r < repeat; r++) {
                    double base = cursor + r * figLen * step;
                    for (int j = 0; j < n; j++) {
                        add(fv[j], base + startStep[j] * step, len[j] * step, idx[tone[j]], cat);
                    }
                }
                cursor += repeat * figLen * step;
                if (stop) {
                    for (List<Raw> v : byVoice.values()) {
                        addSilence(v, cursor, cat);
                    }
                }
                cursor += rest;
            }
            return cursor;
        }

        @SuppressWarnings("unchecked")
        private static List<Raw>[] newArray(int n) {
            return (List<Raw>[]) new List[n];
        }

        private double measuresPart(PartSpec part, FieldPath at, double cursor, double perMeasure) throws ScoreException {
            for (int m = 0; m < part.measures().size(); m++) {
                Map<String, String> measure = part.measures().get(m);
                FieldPath mat = at.field("measures").index(m);
                if (measure == null) {
                    throw err(mat, "a measure may not be null (write {} for a measure of rest)");
                }
                for (Map.Entry<String, String> e : measure.entrySet()) {
                    FieldPath vat = mat.field(e.getKey());
                    List<Raw> voice = voice(e.getKey(), vat);
                    double t = 0;
                    if (e.getValue() == null) {
                        throw err(vat, "write the voice's notes as a string such as \"C4:1 r:1/2 E4:1/2\"");
                    }
                    for (String token : e.getValue().trim().split("\\s+")) {
                        if (token.isEmpty()) {
                            continue;
                        }
                        int colon = token.lastIndexOf(':');
                        if (colon <= 0 || colon == token.length() - 1) {
                            throw err(vat, "token '" + token + "' is not NOTE:BEATS (e.g. C4:1/4, 27:0.25, r:1)");
                        }
                        String note = token.substring(0, colon);
                        double d;
                        try {
                            d = Beats.parse(token.substring(colon + 1));
                        } catch (IllegalArgumentException ex) {
                            throw err(vat, "token '" + token + "': " + ex.getMessage());
                        }
                        if (!(d > 0) || Double.isInfinite(d)) {
                            throw err(vat, "token '" + token + "': a duration must be > 0 beats, not " + fmt(d));
                        }
                        if (!note.equalsIgnoreCase("r") && !note.equalsIgnoreCase("rest")) {
                            NoteRef ref = note.matches("-?\\d{1,9}") ? NoteRef.ofIndex(Integer.parseInt(note)) : NoteRef.ofName(note);
                            add(voice, cursor + t, d, index(ref, vat), vat);
                        }
                        t += d;
                    }
                    if (t > perMeasure + EPS) {
                        throw err(vat, "voice '" + e.getKey() + "' lasts " + fmt(t) + " beats but a measure has " + fmt(perMeasure));
                    }
                }
                cursor += perMeasure;
            }
            return cursor;
        }

        private double eventsPart(PartSpec part, FieldPath at, double cursor) throws ScoreException {
            double end = 0;
            for (Map.Entry<String, List<EventSpec>> e : part.events().entrySet()) {
                FieldPath vat = at.field("events").field(e.getKey());
                List<Raw> voice = voice(e.getKey(), vat);
                if (e.getValue() == null) {
                    continue;
                }
                for (int i = 0; i < e.getValue().size(); i++) {
                    EventSpec ev = e.getValue().get(i);
                    FieldPath eat = vat.index(i);
                    if (ev == null) {
                        throw err(eat, "an event may not be null");
                    }
                    double start = positive(ev.start(), eat.field("start"), "start", true);
                    double dur = positive(ev.duration(), eat.field("duration"), "duration", false);
                    add(voice, cursor + start, dur, index(ev.note(), eat.field("note")), eat);
                    end = Math.max(end, start + dur);
                }
            }
            if (part.beats() != null) {
                double len = positive(part.beats(), at.field("beats"), "beats", true);
                if (len + EPS < end) {
                    throw err(at.field("beats"), "the part lasts " + fmt(len) + " beats but its events run to " + fmt(end));
                }
                end = len;
            }
            return cursor + end;
        }

        // ---- result --------------------------------------------------------------------------

        private Timeline build(List<Segment> tempo, double perMeasure, double cursor) throws ScoreException {
            List<VoiceTimeline> out = new ArrayList<>();
            double total = snap(cursor);
            int vi = 0;
            for (Map.Entry<String, List<Raw>> e : byVoice.entrySet()) {
                List<Raw> raw = new ArrayList<>(e.getValue());
                if (raw.isEmpty()) {
                    throw err(FieldPath.ROOT.field("voices").index(vi), "voice '" + e.getKey() + "' is declared but never used");
                }
                raw.sort(Comparator.comparingDouble((Raw r) -> snap(r.startBeats())).thenComparingLong(Raw::seq));
                Raw lastSounding = null;
                List<TimedNote> notes = new ArrayList<>(raw.size());
                for (Raw r : raw) {
                    if (r.hz() > 0) {
                        if (lastSounding != null && r.startBeats() < lastSounding.endBeats() - EPS) {
                            throw err(r.where(), "voice '" + e.getKey() + "' is monophonic but " + r.name() + " at beat "
                                    + fmt(r.startBeats()) + " starts before " + lastSounding.name() + " (beat "
                                    + fmt(lastSounding.startBeats()) + ") ends at beat " + fmt(lastSounding.endBeats()));
                        }
                        lastSounding = r;
                    }
                    // Snap to a 1e-9 beat grid so that a note's end and the next note's start, reached
                    // by different sums (e.g. 2/3 + 1/3 and 1), are the same double; then widen the
                    // duration by an ulp where needed so that start + duration >= that instant exactly:
                    // a sender comparing "next start <= this end" must not see a spurious gap.
                    double sb = snap(r.startBeats());
                    double eb = snap(r.endBeats());
                    double s = seconds(tempo, sb);
                    double e2 = seconds(tempo, eb);
                    double d = Math.max(0, e2 - s);
                    while (s + d < e2) {
                        d = Math.nextUp(d);
                    }
                    double db = Math.max(0, eb - sb);
                    while (sb + db < eb) {
                        db = Math.nextUp(db);
                    }
                    notes.add(new TimedNote(s, d, sb, db, r.hz(), r.name()));
                    total = Math.max(total, eb);
                }
                VoiceSpec spec = voices.get(e.getKey());
                out.add(new VoiceTimeline(e.getKey(), notes, spec.optional() != null && spec.optional()));
                vi++;
            }
            if (total > MAX_BEATS) {
                throw err(FieldPath.ROOT.field("parts"), "the piece lasts " + fmt(total) + " beats, more than " + fmt(MAX_BEATS));
            }
            List<Double> mBeats = new ArrayList<>();
            List<Double> mSeconds = new ArrayList<>();
            for (int m = 0; m == 0 || m * perMeasure < total - EPS; m++) {
                mBeats.add(m * perMeasure);
                mSeconds.add(seconds(tempo, m * perMeasure));
            }
            return new Timeline(doc.title(), doc.composer() == null ? "" : doc.composer(), tempo.get(0).bpm,
                    out, seconds(tempo, total), total, mSeconds, mBeats);
        }

        private static double snap(double beats) {
            return Math.rint(beats * 1e9) / 1e9;
        }

        private static double seconds(List<Segment> tempo, double beat) {
            Segment seg = tempo.get(0);
            for (Segment s : tempo) {
                if (s.startBeat <= beat) {
                    seg = s;
                } else {
                    break;
                }
            }
            return seg.startSecond + (beat - seg.startBeat) * 60.0 / seg.bpm;
        }
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String g = String.format(Locale.ROOT, "%.6g", v);
        return g.contains("e") ? g : g.replaceAll("\\.?0+$", "");
    }
}
