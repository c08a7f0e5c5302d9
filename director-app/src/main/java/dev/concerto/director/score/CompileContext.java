package dev.concerto.director.score;

import static dev.concerto.director.score.ScoreCompiler.fmt;

import dev.concerto.protocol.LegacyCodec;

import dev.concerto.director.score.ScoreDocument.Beats;
import dev.concerto.director.score.ScoreDocument.NoteRef;
import dev.concerto.director.score.ScoreDocument.VoiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.IntFunction;

/**
 * What one compilation has so far, shared by the compiler of every notation: where the score came
 * from (to place errors), its tone table, its declared voices and the notes each voice has
 * collected, in beats. Notations resolve notes and add them here; {@link TimelineBuilder} turns the
 * result into a timeline. One per compilation; not thread-safe.
 */
final class CompileContext {

    /** More notes than this is a mistake (a huge repeat), not music; it would only exhaust memory. */
    static final int MAX_NOTES = 500_000;

    /**
     * A note as a notation wrote it, in beats; {@code hz} 0 is a silence.
     *
     * @param seq   order of writing, which keeps equal starts of one voice in score order
     * @param where the field that wrote it, for errors found later (overlaps)
     */
    record RawNote(double startBeats, double durationBeats, double hz, String name, long seq, FieldPath where) {
        double endBeats() {
            return startBeats + durationBeats;
        }
    }

    private final ScoreSource src;
    private final Tuning tuning;
    private final IntFunction<String> toneOrigin;
    private final Map<String, List<RawNote>> byVoice = new LinkedHashMap<>();
    private final Map<String, VoiceSpec> voices = new LinkedHashMap<>();
    private long seq;

    /**
     * @param toneOrigin for a table index, the field that sets its frequency ({@code tuning.hz[3]},
     *                   {@code tuning.referenceHz}), named when that frequency cannot be played
     */
    CompileContext(ScoreSource src, Tuning tuning, IntFunction<String> toneOrigin) {
        this.src = src;
        this.tuning = tuning;
        this.toneOrigin = toneOrigin;
    }

    ScoreException err(FieldPath where, String detail) {
        return src.error(where, detail);
    }

    /** Declares the score's voices, in order; names are unique and non-blank. */
    void declareVoices(List<VoiceSpec> specs) throws ScoreException {
        FieldPath at = FieldPath.ROOT.field("voices");
        if (specs == null || specs.isEmpty()) {
            throw err(FieldPath.ROOT, "the score declares no voices (\"voices\": [{\"name\": \"bass\"}, ...])");
        }
        for (int i = 0; i < specs.size(); i++) {
            VoiceSpec v = specs.get(i);
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

    /** The notes of a declared voice, to add to. */
    List<RawNote> voice(String name, FieldPath at) throws ScoreException {
        List<RawNote> list = byVoice.get(name);
        if (list == null) {
            throw err(at, "unknown voice '" + name + "' (declared: " + String.join(", ", voices.keySet()) + ")");
        }
        return list;
    }

    /** Every voice's notes, in declaration order. */
    Map<String, List<RawNote>> notesByVoice() {
        return byVoice;
    }

    VoiceSpec spec(String voice) {
        return voices.get(voice);
    }

    /**
     * Adds a sounding note of table index {@code index}: a tone players can sound
     * ({@value LegacyCodec#MIN_HZ}..{@value LegacyCodec#MAX_HZ} Hz, exact, before any rounding) that
     * lasts at least one step of the {@linkplain TempoMap#BEAT_GRID beat grid}.
     */
    void add(List<RawNote> voice, double start, double dur, int index, FieldPath where) throws ScoreException {
        if (seq >= MAX_NOTES) {
            throw err(where, "the score expands to more than " + MAX_NOTES + " notes; check repeats and lengths");
        }
        double hz = tuning.hz(index);
        if (!(hz >= LegacyCodec.MIN_HZ && hz <= LegacyCodec.MAX_HZ)) {
            throw err(where, tuning.nameOfIndex(index) + " is " + fmt(hz) + " Hz in this tone table (" + toneOrigin.apply(index)
                    + "), outside the " + LegacyCodec.MIN_HZ + ".." + LegacyCodec.MAX_HZ + " Hz a player sounds");
        }
        if (!(dur >= TempoMap.BEAT_GRID)) {
            throw err(where, tuning.nameOfIndex(index) + " lasts " + fmt(dur) + " beats, less than the "
                    + fmt(TempoMap.BEAT_GRID) + "-beat grid notes are placed on");
        }
        voice.add(new RawNote(start, dur, tuning.hz(index), tuning.nameOfIndex(index), seq++, where));
    }

    /** Adds a silence (the ancestor's {@code stop()}) at {@code start}. */
    void addSilence(List<RawNote> voice, double start, FieldPath where) throws ScoreException {
        if (seq >= MAX_NOTES) {
            throw err(where, "the score expands to more than " + MAX_NOTES + " notes; check repeats and lengths");
        }
        voice.add(new RawNote(start, 0, 0, "rest", seq++, where));
    }

    /** Resolves a note to its tone-table index; names through the table's note names. */
    int index(NoteRef note, FieldPath at) throws ScoreException {
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
        if (note.name() != null && isSmallInteger(note.name().trim())) { // "27" in a chord string
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

    /** True for {@code -?[0-9]{1,9}}, checked by hand: this runs for every note of an imported file. */
    private static boolean isSmallInteger(String s) {
        int from = s.startsWith("-") ? 1 : 0;
        int digits = s.length() - from;
        if (digits < 1 || digits > 9) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** A number of beats that is finite, not negative (or positive) and at most {@link ScoreCompiler#MAX_BEATS}. */
    double positive(Beats b, FieldPath at, String what, boolean zeroAllowed) throws ScoreException {
        if (b == null) {
            throw err(at, "missing " + what);
        }
        double v = b.value();
        if (Double.isNaN(v) || Double.isInfinite(v) || v < 0 || (!zeroAllowed && v == 0)) {
            throw err(at, what + " must be " + (zeroAllowed ? ">= 0" : "> 0") + " beats, not " + fmt(v));
        }
        if (v > ScoreCompiler.MAX_BEATS) {
            throw err(at, what + " must be at most " + fmt(ScoreCompiler.MAX_BEATS) + " beats, not " + fmt(v));
        }
        return v;
    }
}
