package dev.concerto.director.score;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the director reads the JSON files people write (scores and rosters): strictly, and with
 * errors in our words. A value of the wrong JSON type is an error, never converted ({@code "title":
 * 42}, a port written as {@code "10001"}, {@code "beatUnit": 4.5}); unknown fields, duplicate keys
 * and trailing text are errors; files over {@link #MAX_FILE_BYTES} are refused before they are read.
 * Jackson's own limits (a string of 20 million characters, nesting 1000 deep, a number of 1000
 * digits) are reported as what they mean for a person, with the place. Stateless; thread-safe.
 */
public final class StrictJson {

    /** The largest file read: BWV 846 is 8 kB; a score or roster of 64 MB is a wrong file or an attack. */
    public static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

    private static final Pattern UNCLOSED = Pattern.compile("Unexpected end-of-input: expected close marker for "
            + "(Object|Array) \\(start marker at \\[[^;]*; line: (\\d+), column: (\\d+)\\]\\)");

    private StrictJson() {
    }

    /** A mapper with the rules above; configure further with {@code rebuild()} where needed. */
    public static JsonMapper mapper() {
        JsonMapper m = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        // Numbers and booleans are not strings either (Jackson converts them by default).
        m.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return m;
    }

    /**
     * What a Java type is called in a message: "a string", "a whole number", "an array [ ... ]".
     *
     * @param names words for the caller's own record types ("a player {\"name\": ...}")
     */
    public static String describe(Class<?> type, Map<Class<?>, String> names) {
        if (type == null) {
            return "another value";
        }
        if (names.containsKey(type)) {
            return names.get(type);
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array [ ... ]";
        }
        return "an object { ... }";
    }

    /** The value a parser stands on, for a message: "the number 42", "the string \"10001\"", "an array". */
    public static String describeCurrent(JsonParser p) {
        if (p == null || p.currentToken() == null) {
            return "something else";
        }
        JsonToken t = p.currentToken();
        try {
            return switch (t) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + abbreviate(p.getText());
                case VALUE_STRING -> "the string \"" + abbreviate(p.getText()) + "\"";
                case VALUE_TRUE -> "true";
                case VALUE_FALSE -> "false";
                case VALUE_NULL -> "null";
                case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
                case START_ARRAY, END_ARRAY -> "an array";
                default -> t.name().toLowerCase(Locale.ROOT);
            };
        } catch (IOException e) {
            return "something else";
        }
    }

    /**
     * Jackson's size limits in our words, or {@code null} when {@code e} is not about one: "a string
     * longer than 20000000 characters; ...".
     */
    public static String describeLimit(JsonProcessingException e) {
        StreamConstraintsException limit = limitOf(e);
        if (limit == null) {
            return null;
        }
        StreamReadConstraints c = StreamReadConstraints.defaults();
        String m = limit.getOriginalMessage() == null ? "" : limit.getOriginalMessage();
        String what;
        if (m.startsWith("String value length")) {
            what = "a string longer than " + c.getMaxStringLength() + " characters";
        } else if (m.startsWith("Document nesting depth")) {
            what = "arrays or objects nested more than " + c.getMaxNestingDepth() + " levels deep";
        } else if (m.startsWith("Number value length")) {
            what = "a number written with more than " + c.getMaxNumberLength() + " characters";
        } else if (m.startsWith("Name length")) {
            what = "a field name longer than " + c.getMaxNameLength() + " characters";
        } else {
            what = "more than the reader takes (" + m.replaceAll("\\s*\\(.*", "") + ")";
        }
        return what + "; this is not a file a person wrote (is it the right file?)";
    }

    /** The size-limit exception behind {@code e} (databind wraps the parser's), or null. */
    public static StreamConstraintsException limitOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException s) {
                return s;
            }
        }
        return null;
    }

    /**
     * Jackson's syntax messages without its internals: "the file ends inside the object opened at
     * line 5, column 14 (is it cut short?)" instead of "Unexpected end-of-input: expected close
     * marker for Object (start marker at [Source: REDACTED ...; line: 5, column: 14])".
     */
    public static String clean(String message) {
        if (message == null) {
            return "unreadable JSON";
        }
        Matcher open = UNCLOSED.matcher(message);
        if (open.find()) {
            return "the file ends inside the " + open.group(1).toLowerCase(Locale.ROOT) + " opened at line " + open.group(2)
                    + ", column " + open.group(3) + " (is it cut short?)";
        }
        return message
                .replaceAll("(?s)Unexpected end-of-input(: was expecting closing quote for a string value| in VALUE_STRING).*",
                        "the file ends inside a string (is it cut short?)")
                .replaceAll("(?s)Unexpected end-of-input.*", "the file ends too early (is it cut short?)")
                .replaceAll("(?s)Non-standard token '([^']*)'.*", "$1 is not a JSON number (write a number, or leave the field out)")
                .replaceAll("\\s*\\(for root starting at .*", "")
                .replaceAll("\\s*\\(start marker at \\[Source: [^;]*; line: (\\d+), column: (\\d+)\\]\\)", " (opened at line $1, column $2)")
                .replaceAll("\\(bound as `[^`]*`\\)", "")
                .replaceAll("`java\\.lang\\.(\\w+)`", "$1")
                .replaceAll("`dev\\.concerto\\.director\\.[\\w.]+\\$(\\w+)`", "$1")
                .replaceAll("`java\\.util\\.(\\w+)(<[^`]*>)?`", "$1")
                .replaceAll("\\s*\\n.*", "")
                .replace("\n", " ");
    }

    /** The file-size message: "the file is 70.0 MB; a score file is at most 64 MB". */
    public static String tooLarge(long bytes, String kind) {
        return String.format(Locale.ROOT, "the file is %.1f MB; %s file is at most %d MB (is it the right file?)",
                bytes / 1048576.0, kind, MAX_FILE_BYTES / 1048576);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
