package dev.concerto.director.score;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.concerto.director.score.midi.MidiImporter;
import dev.concerto.director.score.musicxml.MusicXmlImporter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads score files: JSON (the Concerto score format) and, by extension, standard MIDI files
 * ({@code .mid}, {@code .midi}) through {@link MidiImporter} and MusicXML ({@code .musicxml},
 * {@code .xml}, compressed {@code .mxl}) through {@link MusicXmlImporter}, each with its default
 * {@link Placement} unless one is given. A loaded score has been compiled once, so it is known to
 * be valid. Stateless; thread-safe.
 */
public final class ScoreLoader {

    /**
     * Jackson's mapper, made on first use of JSON: building it and learning the score types costs a
     * few hundred milliseconds at start-up, which a MIDI or MusicXML import should not pay.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = StrictJson.mapper();
        static final ObjectReader READER = MAPPER.readerFor(ScoreDocument.class);
        /** A plain token reader with the mapper's limits, to find where a limit was hit. */
        static final JsonFactory TOKENS = MAPPER.getFactory();
    }

    /** Our words for the document's own types in type errors. */
    private static final Map<Class<?>, String> TYPE_NAMES = Map.of(
            ScoreDocument.class, "a score: a JSON object {\"title\": ..., \"tuning\": ..., ...}",
            ScoreDocument.TuningSpec.class, "a tuning object {\"type\": ...}",
            ScoreDocument.TempoSpec.class, "a tempo object {\"bpm\": ...} or {\"dt\": ...}",
            ScoreDocument.TempoChange.class, "a tempo change {\"beat\": ..., \"bpm\": ...}",
            ScoreDocument.VoiceSpec.class, "a voice {\"name\": ...}",
            ScoreDocument.FigureSpec.class, "a figure {\"stepBeats\": ..., \"steps\": [ ... ]}",
            ScoreDocument.FigureStep.class, "a figure step {\"voice\": ..., \"tone\": ...}",
            ScoreDocument.PartSpec.class, "a part {\"chords\": ...}, {\"measures\": ...} or {\"events\": ...}",
            ScoreDocument.EventSpec.class, "an event {\"start\": ..., \"duration\": ..., \"note\": ...}");

    private static final String BOM = "\uFEFF";

    private ScoreLoader() {
    }

    /** The kinds of score file, told apart by extension. */
    public enum Format {
        JSON, MIDI, MUSICXML;

        /** The format of {@code file} by its extension; JSON when it is none of the others. */
        public static Format of(Path file) {
            String lower = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (lower.endsWith(".mid") || lower.endsWith(".midi")) {
                return MIDI;
            }
            if (lower.endsWith(".musicxml") || lower.endsWith(".xml") || lower.endsWith(".mxl")) {
                return MUSICXML;
            }
            return JSON;
        }

        /** True for formats whose notes are spread over voices by a {@link Placement}. */
        public boolean imported() {
            return this != JSON;
        }

        /** The placement used when none is given. */
        public Placement defaultPlacement() {
            return this == MUSICXML ? Placement.MUSICXML_DEFAULT : Placement.MIDI_DEFAULT;
        }
    }

    /** Loads and validates a score file (JSON, MIDI or MusicXML by extension) with the default placement. */
    public static Score load(Path file) throws ScoreException {
        return load(file, null);
    }

    /**
     * Loads and validates a score file; {@code placement} spreads an imported file's notes over
     * voices ({@code null}: the format's default; ignored for JSON).
     */
    public static Score load(Path file, Placement placement) throws ScoreException {
        String name = file.toString();
        Format format = Format.of(file);
        Placement p = placement == null ? format.defaultPlacement() : placement;
        if (format == Format.MIDI) {
            return MidiImporter.load(file, p);
        }
        if (format == Format.MUSICXML) {
            return MusicXmlImporter.load(file, p);
        }
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new ScoreException(name, 0, 0, "", "is a directory, not a score file");
            }
            long size = Files.size(file);
            if (size > StrictJson.MAX_FILE_BYTES) {
                throw new ScoreException(name, 0, 0, "", StrictJson.tooLarge(size, "a score"));
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ScoreException(name, 0, 0, "", "no such file");
        } catch (IOException e) {
            throw new ScoreException(name, 0, 0, "", "cannot read the file: " + e.getMessage(), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ScoreException(name, 0, 0, "", "the file is not UTF-8 text (a MIDI file needs the extension .mid)");
        }
        // A byte-order mark (written by some Windows editors) is not part of the JSON text.
        return parse(text.startsWith(BOM) ? text.substring(1) : text, name);
    }

    /** Parses and validates JSON score text; {@code sourceName} names it in messages. */
    public static Score parse(String text, String sourceName) throws ScoreException {
        ScoreSource source = new ScoreSource(sourceName, text);
        if (text.isBlank()) {
            throw new ScoreException(sourceName, 1, 1, "", "the file is empty; a score is a JSON object {\"title\": ..., ...}");
        }
        ScoreDocument doc;
        try {
            doc = Json.READER.readValue(text);
        } catch (JsonProcessingException e) {
            throw translate(e, source);
        }
        if (doc == null) {
            throw new ScoreException(sourceName, 1, 1, "", "the file holds JSON null, not a score object");
        }
        Score score = new Score(doc, source, List.of());
        ScoreCompiler.compile(score); // validate now, so a loaded score is a playable score
        return score;
    }

    /** Writes a score document as pretty JSON (used by the MIDI importer's export and tests). */
    public static String toJson(ScoreDocument doc) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("score documents always serialise", e);
        }
    }

    private static ScoreException translate(JsonProcessingException e, ScoreSource source) {
        JsonLocation loc = e.getLocation();
        int line = loc == null ? 0 : loc.getLineNr();
        int col = loc == null ? 0 : loc.getColumnNr();
        String field = "";
        String detail = e.getOriginalMessage();
        String limit = StrictJson.describeLimit(e);
        if (limit != null) {
            detail = limit;
            // Databind's wrapper does not say where; a plain token scan of the text fails at the same place.
            JsonParser p = null;
            try (JsonParser scan = Json.TOKENS.createParser(source.text())) {
                p = scan;
                for (JsonToken t = scan.nextToken(); t != null; t = scan.nextToken()) {
                    if (t == JsonToken.VALUE_STRING) {
                        scan.getText(); // a string's length is checked when it is read
                    }
                }
            } catch (IOException limitHit) {
                if (p != null) {
                    JsonLocation here = p.currentTokenLocation();
                    line = here.getLineNr();
                    col = here.getColumnNr();
                    List<Object> segs = segments(p.getParsingContext());
                    // 1000 levels of [0] say nothing more than the first few do.
                    field = segs.size() <= 8 ? FieldPath.dotted(segs) : FieldPath.dotted(segs.subList(0, 8)) + "...";
                }
            }
        } else if (e instanceof JsonMappingException m) {
            List<Object> segs = new ArrayList<>();
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    segs.add(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    segs.add(r.getIndex());
                }
            }
            field = FieldPath.dotted(segs);
            if (m instanceof UnrecognizedPropertyException u) {
                TreeSet<String> known = new TreeSet<>();
                u.getKnownPropertyIds().forEach(o -> known.add(o.toString()));
                detail = "unknown field '" + u.getPropertyName() + "' (known here: " + String.join(", ", known) + ")";
                // With record creators Jackson reports the end of the object; point at the field itself.
                ScoreSource.Location at = source.locate(FieldPath.pointerOf(segs));
                if (at != null) {
                    line = at.line();
                    col = at.column();
                }
            } else if (m instanceof ValueInstantiationException && m.getCause() != null
                    && m.getCause().getMessage() != null) {
                detail = m.getCause().getMessage();
            } else if (m instanceof MismatchedInputException mi && mi.getTargetType() != null) {
                detail = "expected " + StrictJson.describe(mi.getTargetType(), TYPE_NAMES) + ", not "
                        + StrictJson.describeCurrent(mi.getProcessor() instanceof JsonParser p ? p : null);
            } else {
                detail = clean(detail);
            }
        } else if (e instanceof JsonParseException) {
            detail = "bad JSON: " + clean(detail);
            if (e.getProcessor() instanceof JsonParser p && p.getParsingContext() != null) {
                field = p.getParsingContext().pathAsPointer().toString().replaceFirst("^/", "").replace('/', '.');
            }
        }
        return new ScoreException(source.name(), line, col, field, detail, e);
    }

    /** The path of a parsing context as field names and indices, outermost first. */
    private static List<Object> segments(JsonStreamContext ctx) {
        List<Object> segs = new ArrayList<>();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                segs.add(0, c.getCurrentName());
            } else if (c.inArray()) {
                segs.add(0, Math.max(0, c.getCurrentIndex()));
            }
        }
        return segs;
    }

    /** Removes Java class names from Jackson's messages; a score's author does not know them. */
    private static String clean(String message) {
        return StrictJson.clean(message)
                .replace("`dev.concerto.director.score.ScoreDocument`", "score (a JSON object)");
    }
}
