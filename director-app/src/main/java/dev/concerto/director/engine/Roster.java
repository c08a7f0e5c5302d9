package dev.concerto.director.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.concerto.director.score.StrictJson;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.VoiceTimeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * {@code legacy} when left out. Values of the wrong JSON type are errors (a port written as
 * {@code "10001"}). Names are unique, and so are addresses (two players on one host:port would
 * interleave two voices on one device); several players may share a voice (doubling). The field
 * rules are {@link RosterRules}, which the GUI's roster table uses too.
 *
 * @param source  where the roster came from (a file name, or a description such as "local players"),
 *                used in error messages
 * @param entries the players, in file order
 */
public record Roster(String source, List<RosterEntry> entries) {

    private static final ObjectMapper JSON = StrictJson.mapper();
    /** Our words for the file's own types in type errors. */
    private static final Map<Class<?>, String> TYPE_NAMES = Map.of(
            RosterJson.class, "an object {\"players\": [ ... ]}",
            PlayerJson.class, "a player {\"name\": ..., \"host\": ..., \"port\": ..., \"protocol\": ..., \"voice\": ...}");

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
            if (Files.isDirectory(file)) {
                throw new RosterException(name + ": is a directory, not a roster file");
            }
            long size = Files.size(file);
            if (size > StrictJson.MAX_FILE_BYTES) {
                throw new RosterException(name + ": " + StrictJson.tooLarge(size, "a roster"));
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length == 0 || new String(bytes, StandardCharsets.UTF_8).isBlank()) {
                throw new RosterException(name + ": the file is empty; a roster is {\"players\": [ ... ]}");
            }
            json = JSON.readValue(bytes, RosterJson.class);
        } catch (NoSuchFileException e) {
            throw new RosterException(name + ": no such roster file");
        } catch (UnrecognizedPropertyException e) {
            throw new RosterException(name + where(e) + ": unknown field '" + e.getPropertyName()
                    + "' (a player has: name, host, port, protocol, voice, latencyOffsetMs)", e);
        } catch (InvalidFormatException e) {
            throw new RosterException(name + where(e) + ": '" + e.getValue() + "' is not "
                    + StrictJson.describe(e.getTargetType(), TYPE_NAMES), e);
        } catch (MismatchedInputException e) {
            throw new RosterException(name + where(e) + ": expected " + StrictJson.describe(e.getTargetType(), TYPE_NAMES)
                    + ", not " + StrictJson.describeCurrent(e.getProcessor() instanceof JsonParser p ? p : null), e);
        } catch (JsonProcessingException e) {
            String limit = StrictJson.describeLimit(e);
            throw new RosterException(name + where(e) + ": " + (limit != null ? limit : StrictJson.clean(e.getOriginalMessage()
                    .replaceAll(" \\(class dev\\.concerto[^)]*\\)", ""))), e);
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
            Protocol protocol = Protocol.LEGACY;
            if (p.protocol() != null) {
                Optional<String> problem = RosterRules.protocol(p.protocol());
                if (problem.isPresent()) {
                    throw new RosterException(at + ".protocol: " + problem.get());
                }
                protocol = Protocol.of(p.protocol()).orElseThrow();
            }
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

    private static String where(JsonProcessingException e) {
        StringBuilder sb = new StringBuilder();
        JsonLocation loc = e.getLocation();
        if (loc == null && e.getProcessor() instanceof JsonParser p) {
            loc = p.currentLocation();
        }
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
     * Checks what a roster may get wrong without a score: no players, a field against
     * {@link RosterRules}, two players of one name, two players on one host:port.
     *
     * @throws RosterException naming the source and the field
     */
    public void validate() throws RosterException {
        if (entries.isEmpty()) {
            throw new RosterException(source + ": players: empty; a roster needs at least one player");
        }
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> endpoints = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            RosterEntry e = entries.get(i);
            String at = source + ": players[" + i + "]";
            check(at + ".name", RosterRules.name(e.name()));
            Integer sameName = names.putIfAbsent(e.name(), i);
            if (sameName != null) {
                throw new RosterException(at + ".name: '" + e.name() + "' is used twice (also players[" + sameName
                        + "]); names must be unique");
            }
            check(at + ".host", RosterRules.host(e.host()));
            check(at + ".port", RosterRules.port(e.port()));
            check(at + ".latencyOffsetMs", RosterRules.latencyOffset(e.latencyOffsetMs(), e.protocol()));
            check(at + ".voice", RosterRules.voice(e.voice(), List.of()));
            String endpoint = RosterRules.endpoint(e.host(), e.port());
            Integer sameEndpoint = endpoints.putIfAbsent(endpoint, i);
            if (sameEndpoint != null) {
                throw new RosterException(at + ": " + RosterRules.sameEndpoint(endpoint, sameEndpoint,
                        entries.get(sameEndpoint).name(), e.name()));
            }
        }
    }

    /**
     * Checks that every player plays a voice of the score: a player whose voice the score does not
     * have would only ever be told to be silent, which is a mistake in the roster (a typo, or a
     * roster made for another score).
     *
     * @throws RosterException naming the player and the score's voices
     */
    public void validateFor(Timeline timeline) throws RosterException {
        List<String> voices = timeline.voices().stream().map(VoiceTimeline::name).toList();
        for (int i = 0; i < entries.size(); i++) {
            check(source + ": players[" + i + "].voice", RosterRules.voice(entries.get(i).voice(), voices)
                    .map(p -> p.replace("the score has", "'" + timeline.title() + "' has")));
        }
    }

    private static void check(String at, Optional<String> problem) throws RosterException {
        if (problem.isPresent()) {
            throw new RosterException(at + ": " + problem.get());
        }
    }

    /** Writes the roster as a roster file (pretty-printed JSON, every field written). */
    public void save(Path file) throws IOException {
        List<PlayerJson> players = entries.stream()
                .map(e -> new PlayerJson(e.name(), e.host(), e.port(), e.protocol().key(), e.voice(),
                        e.latencyOffsetMs() == 0 ? null : e.latencyOffsetMs()))
                .collect(Collectors.toList());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), new RosterJson(players));
    }

    /** The voices named by the roster, in first-seen order. */
    public List<String> voices() {
        return entries.stream().map(RosterEntry::voice).distinct().collect(Collectors.toList());
    }
}
