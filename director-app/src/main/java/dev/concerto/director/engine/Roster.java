package dev.concerto.director.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The players a director plays to, as read from a roster file or made for local players.
 *
 * <p>The file format (JSON; unknown fields are errors, so a typo never passes silently):
 * <pre>{@code
 * { "players": [
 *     { "name": "bass", "host": "192.168.4.13", "port": 10001, "protocol": "legacy", "voice": "bass" },
 *     { "name": "alto", "host": "192.168.4.12", "protocol": "timed", "voice": "alto", "latencyOffsetMs": -40 },
 *     ...
 * ] }
 * }</pre>
 * {@code port} defaults to {@value dev.concerto.protocol.Wire#DEFAULT_PORT} and {@code protocol} to
 * {@code legacy} when left out ({@link Protocol}). Names are unique; several players may share a voice (doubling).
 *
 * @param source  where the roster came from (a file name, or a description such as "local players"),
 *                used in error messages
 * @param entries the players, in file order
 */
public record Roster(String source, List<RosterEntry> entries) {

    /** The largest latency offset either way, in milliseconds. */
    public static final double MAX_LATENCY_OFFSET_MS = 5_000;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public Roster {
        Objects.requireNonNull(source, "source");
        entries = List.copyOf(entries);
    }

    /** The file's shape, for Jackson: nullable fields so that a missing one gets our message. */
    @JsonPropertyOrder({"name", "host", "port", "protocol", "voice", "latencyOffsetMs"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PlayerJson(String name, String host, Integer port, String protocol, String voice, Double latencyOffsetMs) {
    }

    record RosterJson(List<PlayerJson> players) {
    }

    /**
     * Reads and validates a roster file (hosts are not resolved here; see {@link #resolve()}).
     *
     * @throws RosterException naming the file, and the line and column or the field, of the problem
     */
    public static Roster load(Path file) throws RosterException {
        String name = file.toString();
        RosterJson json;
        try {
            json = JSON.readValue(Files.readAllBytes(file), RosterJson.class);
        } catch (NoSuchFileException e) {
            throw new RosterException(name + ": no such roster file");
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw new RosterException(name + where(e) + ": unknown field '" + e.getPropertyName()
                    + "' (a player has: name, host, port, protocol, voice, latencyOffsetMs)", e);
        } catch (com.fasterxml.jackson.databind.exc.InvalidFormatException e) {
            throw new RosterException(name + where(e) + ": '" + e.getValue() + "' is not " + describe(e.getTargetType()), e);
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            throw new RosterException(name + where(e) + ": expected " + describe(e.getTargetType()), e);
        } catch (JsonProcessingException e) {
            throw new RosterException(name + where(e) + ": " + e.getOriginalMessage()
                    .replaceAll(" \\(class dev\\.concerto[^)]*\\)", ""), e);
        } catch (IOException e) {
            throw new RosterException(name + ": cannot read the roster: " + e.getMessage(), e);
        }
        if (json == null || json.players() == null) {
            throw new RosterException(name + ": players: missing; a roster is {\"players\": [ ... ]}");
        }
        List<RosterEntry> entries = new ArrayList<>();
        for (int i = 0; i < json.players().size(); i++) {
            PlayerJson p = json.players().get(i);
            String at = name + ": players[" + i + "]";
            if (p == null) {
                throw new RosterException(at + ": null; expected {\"name\": ..., \"host\": ..., \"voice\": ...}");
            }
            Protocol protocol = p.protocol() == null ? Protocol.LEGACY : Protocol.of(p.protocol())
                    .orElseThrow(() -> new RosterException(at + ".protocol: '" + p.protocol() + "' is unknown; use "
                            + Protocol.choices()));
            entries.add(new RosterEntry(
                    required(at, "name", p.name()),
                    required(at, "host", p.host()),
                    p.port() == null ? dev.concerto.protocol.Wire.DEFAULT_PORT : p.port(),
                    protocol,
                    required(at, "voice", p.voice()),
                    p.latencyOffsetMs() == null ? 0 : p.latencyOffsetMs()));
        }
        Roster roster = new Roster(name, entries);
        roster.validate();
        return roster;
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "something else";
        }
        if (type == RosterJson.class) {
            return "an object {\"players\": [ ... ]}";
        }
        if (type == PlayerJson.class) {
            return "a player {\"name\": ..., \"host\": ..., \"port\": ..., \"protocol\": ..., \"voice\": ...}";
        }
        if (Number.class.isAssignableFrom(type) || type == int.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list [ ... ]";
        }
        return "a " + type.getSimpleName();
    }

    private static String where(JsonProcessingException e) {
        StringBuilder sb = new StringBuilder();
        JsonLocation loc = e.getLocation();
        if (loc != null && loc.getLineNr() > 0) {
            sb.append(": line ").append(loc.getLineNr()).append(", column ").append(loc.getColumnNr());
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            sb.append(": ").append(pathOf(m));
        }
        return sb.toString();
    }

    private static String pathOf(JsonMappingException m) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            } else if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            }
        }
        return sb.toString();
    }

    private static String required(String at, String field, String value) throws RosterException {
        if (value == null || value.isBlank()) {
            throw new RosterException(at + "." + field + ": missing or empty");
        }
        return value.strip();
    }

    /**
     * Checks what a roster file may get wrong: no players, duplicate names, a port outside
     * 1..65535, an unknown protocol, an empty host or voice.
     *
     * @throws RosterException naming the source and the field
     */
    public void validate() throws RosterException {
        if (entries.isEmpty()) {
            throw new RosterException(source + ": players: empty; a roster needs at least one player");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            RosterEntry e = entries.get(i);
            String at = source + ": players[" + i + "]";
            if (e.name().isBlank()) {
                throw new RosterException(at + ".name: empty");
            }
            if (!names.add(e.name())) {
                throw new RosterException(at + ".name: '" + e.name() + "' is used twice; names must be unique");
            }
            if (e.host().isBlank()) {
                throw new RosterException(at + ".host: empty");
            }
            if (e.port() < 1 || e.port() > 65535) {
                throw new RosterException(at + ".port: " + e.port() + " is outside 1..65535");
            }
            if (!(Math.abs(e.latencyOffsetMs()) <= MAX_LATENCY_OFFSET_MS)) {
                throw new RosterException(at + ".latencyOffsetMs: " + e.latencyOffsetMs() + " is outside -"
                        + MAX_LATENCY_OFFSET_MS + ".." + MAX_LATENCY_OFFSET_MS + " ms");
            }
            if (e.latencyOffsetMs() != 0 && e.protocol() == Protocol.LEGACY) {
                throw new RosterException(at + ".latencyOffsetMs: only the timed protocol can play earlier or later; "
                        + "set protocol to timed or auto, or remove the offset");
            }
            if (e.voice().isBlank()) {
                throw new RosterException(at + ".voice: empty");
            }
        }
    }

    /** Writes the roster as a roster file (pretty-printed JSON, every field written). */
    public void save(Path file) throws IOException {
        List<PlayerJson> players = entries.stream()
                .map(e -> new PlayerJson(e.name(), e.host(), e.port(), e.protocol().key(), e.voice(),
                        e.latencyOffsetMs() == 0 ? null : e.latencyOffsetMs()))
                .collect(Collectors.toList());
        JSON.writeValue(file.toFile(), new RosterJson(players));
    }

    /** The voices named by the roster, in first-seen order. */
    public List<String> voices() {
        return entries.stream().map(RosterEntry::voice).distinct().collect(Collectors.toList());
    }
}
