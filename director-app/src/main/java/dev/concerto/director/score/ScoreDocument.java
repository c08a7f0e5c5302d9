package dev.concerto.director.score;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A score file as written: the JSON document bound field by field (see {@code docs/scores.md} and
 * {@code scores/score.schema.json}). Fields a file leaves out are {@code null}; the
 * {@link ScoreCompiler} applies defaults and checks everything. Immutable records; thread-safe.
 *
 * @param schema      optional {@code "$schema"} reference for editors; ignored
 * @param title       the piece's title (required)
 * @param composer    the composer
 * @param description free text: arrangement, sources, decisions
 * @param tuning      the tone table
 * @param tempo       the tempo (BPM and beat unit, or the ancestor's dt)
 * @param meter       time signature such as {@code "4/4"} (default), for measure boundaries
 * @param meterChanges later time signatures, in order of beat; each starts a new measure
 * @param voices      the voices, each played by one monophonic player
 * @param figures     named figures used by chord parts
 * @param parts       the music, played one part after another
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"$schema", "title", "composer", "description", "tuning", "tempo", "meter", "meterChanges", "voices", "figures", "parts"})
public record ScoreDocument(@JsonProperty("$schema") String schema,
                            String title, String composer, String description,
                            TuningSpec tuning, TempoSpec tempo, String meter, List<MeterChange> meterChanges,
                            List<VoiceSpec> voices, Map<String, FigureSpec> figures, List<PartSpec> parts) {

    /**
     * The tone table. {@code type} is {@code "formula"} (baseHz, stepsPerOctave, count, round,
     * baseNote), {@code "list"} (hz, baseNote) or a temperament name ({@code "equal"},
     * {@code "werckmeister3"}, {@code "kirnberger3"}, {@code "pythagorean"}, {@code "just"}) with
     * referenceNote, referenceHz, key, lowest, highest.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TuningSpec(String type, Double baseHz, Integer stepsPerOctave, Integer count, Boolean round,
                             String baseNote, List<Double> hz,
                             String referenceNote, Double referenceHz, String key, String lowest, String highest) {
        /** A named temperament with the usual defaults. */
        public static TuningSpec named(String type, String referenceNote, double referenceHz, String key) {
            return new TuningSpec(type, null, null, null, null, null, null, referenceNote, referenceHz, key, null, null);
        }
    }

    /**
     * The tempo: {@code bpm} beats of {@code beatUnit} (4 = quarter, the default) per minute, or the
     * ancestor's {@code dt}: a sixteenth lasts {@code 8*dt} seconds. {@code changes} is a tempo map.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TempoSpec(Double bpm, Integer beatUnit, Double dt, List<TempoChange> changes) {
    }

    /** From {@code beat} on, the tempo is {@code bpm}. */
    public record TempoChange(Beats beat, Double bpm) {
    }

    /**
     * From {@code beat} (from the start of the piece, in beats of the beat unit) on, measures are in
     * {@code meter}; a new measure starts at {@code beat} even when the one before is not full.
     */
    public record MeterChange(Beats beat, String meter) {
    }

    /**
     * A voice. {@code optional} voices carry doublings the piece can do without (the engine may
     * leave them out when the roster has fewer players); {@code player} is a hint for rosters.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VoiceSpec(String name, Boolean optional, String player, String description) {
    }

    /**
     * A figure: which voice plays which chord tone at which step. {@code stepBeats} is the length of
     * a step in beats; {@code length} the figure's length in steps (default: the end of its last step).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FigureSpec(Beats stepBeats, Integer length, List<FigureStep> steps) {
    }

    /**
     * One entry of a figure: {@code voice} plays chord tone {@code tone} ({@code "a"} = the chord's
     * first tone, {@code "b"} the second, ...) from step {@code at} (default: the previous entry's
     * step + 1, or 0) for {@code steps} steps (default 1).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FigureStep(String voice, String tone, Integer at, Integer steps) {
    }

    /**
     * One part of the music. Exactly one of: {@code chords} (with {@code figure}, {@code repeat},
     * {@code stop}, {@code restBeats}), {@code measures} (written out: per measure, per voice a string
     * of {@code NOTE:BEATS} tokens, {@code r} for a rest) or {@code events} (per voice, explicit notes
     * with starts relative to the part; {@code beats} is the part's length, default its last end).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PartSpec(String name, String figure, List<ChordSpec> chords, Integer repeat, Boolean stop,
                           Beats restBeats, List<Map<String, String>> measures,
                           Map<String, List<EventSpec>> events, Beats beats) {
        /** An events part. */
        public static PartSpec ofEvents(String name, Map<String, List<EventSpec>> events) {
            return new PartSpec(name, null, null, null, null, null, null, events, null);
        }
    }

    /** An explicit note: start and duration in beats (start relative to its part), and the note. */
    public record EventSpec(Beats start, Beats duration, NoteRef note) {
    }

    /** A number of beats: a JSON number or a fraction string such as {@code "1/4"}. */
    public record Beats(double value, String text) {
        public static Beats of(double value) {
            return new Beats(value, null);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Beats fromJson(JsonNode node) {
            if (node.isNumber()) {
                return new Beats(node.doubleValue(), null);
            }
            if (node.isTextual()) {
                return new Beats(parse(node.textValue()), node.textValue());
            }
            throw new IllegalArgumentException("expected a number of beats or a fraction such as \"1/4\"");
        }

        /** Parses {@code "3"}, {@code "0.25"} or {@code "1/3"}; throws IllegalArgumentException otherwise. */
        static double parse(String text) {
            String t = text.trim();
            try {
                int slash = t.indexOf('/');
                if (slash > 0) {
                    double num = Double.parseDouble(t.substring(0, slash).trim());
                    double den = Double.parseDouble(t.substring(slash + 1).trim());
                    if (den == 0) {
                        throw new IllegalArgumentException("division by zero in \"" + text + "\"");
                    }
                    return num / den;
                }
                return Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + text + "\" is not a number of beats (write 0.25 or \"1/4\")");
            }
        }

        @JsonValue
        Object json() {
            return text != null ? text : (Object) value;
        }
    }

    /** A note: a tone-table index (JSON integer) or a name such as {@code "C4"}, {@code "F#3"}, {@code "Bb2"}. */
    public record NoteRef(Integer index, String name) {
        public static NoteRef ofIndex(int index) {
            return new NoteRef(index, null);
        }

        public static NoteRef ofName(String name) {
            return new NoteRef(null, name);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static NoteRef fromJson(JsonNode node) {
            if (node.isIntegralNumber()) {
                if (!node.canConvertToInt()) {
                    throw new IllegalArgumentException("table index " + node + " is far outside any tone table");
                }
                return new NoteRef(node.intValue(), null);
            }
            if (node.isTextual()) {
                return new NoteRef(null, node.textValue());
            }
            throw new IllegalArgumentException("a note is a table index (integer) or a name such as \"C4\", not "
                    + node.getNodeType().toString().toLowerCase(Locale.ROOT) + " " + node);
        }

        @JsonValue
        Object json() {
            return index != null ? index : name;
        }

        @Override
        public String toString() {
            return index != null ? index.toString() : name;
        }
    }

    /** A chord: its tones in order a, b, c, ...; a string of names {@code "C4 E4 G4"} or an array of notes. */
    public record ChordSpec(List<NoteRef> tones, String text) {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static ChordSpec fromJson(JsonNode node) {
            if (node.isTextual()) {
                List<NoteRef> tones = new ArrayList<>();
                for (String s : node.textValue().trim().split("\\s+")) {
                    if (!s.isEmpty()) {
                        tones.add(NoteRef.ofName(s));
                    }
                }
                return new ChordSpec(List.copyOf(tones), node.textValue());
            }
            if (node.isArray()) {
                List<NoteRef> tones = new ArrayList<>();
                for (JsonNode n : node) {
                    tones.add(NoteRef.fromJson(n));
                }
                return new ChordSpec(List.copyOf(tones), null);
            }
            throw new IllegalArgumentException("a chord is a string of note names (\"C4 E4 G4\") or an array of notes");
        }

        @JsonValue
        Object json() {
            return text != null ? text : tones;
        }
    }
}
