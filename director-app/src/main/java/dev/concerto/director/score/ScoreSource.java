package dev.concerto.director.score;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Where a score came from: a name for messages (the file as the user gave it) and, for JSON, its
 * text, so that an error found after parsing can still be placed at a line and column.
 *
 * @param name the file name or another label ({@code "<memory>"})
 * @param text the JSON text, or {@code null} (MIDI files, scores built in code)
 */
public record ScoreSource(String name, String text) {

    /** A score built in code. */
    public static final ScoreSource MEMORY = new ScoreSource("<memory>", null);

    private static final JsonFactory FACTORY = new JsonFactory();

    /** A 1-based line and column. */
    public record Location(int line, int column) {
    }

    /**
     * The location of the value at a JSON pointer ({@code /parts/0/chords/3}), or of its nearest
     * ancestor that exists; {@code null} without text.
     */
    public Location locate(String pointer) {
        if (text == null) {
            return null;
        }
        Location best = null;
        int bestLen = -1;
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME || t == JsonToken.END_ARRAY || t == JsonToken.END_OBJECT) {
                    continue;
                }
                JsonStreamContext ctx = p.getParsingContext();
                if (t.isStructStart()) {
                    ctx = ctx.getParent();
                }
                String here = ctx.pathAsPointer().toString();
                if (pointer.equals(here) || pointer.startsWith(here + "/") || here.isEmpty()) {
                    if (here.length() > bestLen) {
                        JsonLocation loc = p.currentTokenLocation();
                        best = new Location(loc.getLineNr(), loc.getColumnNr());
                        bestLen = here.length();
                        if (pointer.equals(here)) {
                            return best;
                        }
                    }
                }
            }
        } catch (IOException e) {
            return best; // the text parsed before, so this is not expected; keep what was found
        }
        return best;
    }

    /** An exception at a field path (dotted form) and JSON pointer. */
    ScoreException error(FieldPath where, String detail) {
        Location loc = where == null ? null : locate(where.pointer());
        return new ScoreException(name, loc == null ? 0 : loc.line(), loc == null ? 0 : loc.column(),
                where == null ? "" : where.toString(), detail);
    }
}
