package dev.concerto.director.engine;

import dev.concerto.player.AddressText;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a roster player may be, field by field: the one set of rules behind both the roster file
 * loader ({@link Roster#load}, {@link Roster#validate}) and the GUI's roster table, so that the
 * table never accepts (or silently changes) what the loader refuses. Each rule returns the
 * problem in words, or empty. Pure: no lookup, no socket (hosts are resolved when playing starts,
 * see {@link Roster#resolve()}). Stateless; thread-safe.
 */
public final class RosterRules {

    /** The largest latency offset either way, in milliseconds. */
    public static final double MAX_LATENCY_OFFSET_MS = 5_000;
    /** UDP ports a player may listen on. */
    public static final int MIN_PORT = 1;
    public static final int MAX_PORT = 65_535;

    private static final Pattern HOST_CHARS = Pattern.compile("[A-Za-z0-9.:%\\-\\[\\]]+");
    private static final Pattern DOTTED_NUMBERS = Pattern.compile("[0-9.]+");

    private RosterRules() {
    }

    /** A name people recognise; unique in a roster (checked by {@link Roster#validate}). */
    public static Optional<String> name(String name) {
        return name == null || name.isBlank() ? Optional.of("a name is needed") : Optional.empty();
    }

    /** A hostname or an IPv4/IPv6 literal, as far as can be told without looking it up. */
    public static Optional<String> host(String h) {
        String host = h == null ? "" : h.strip();
        if (host.isEmpty()) {
            return Optional.of("a host is needed (name or IP address)");
        }
        if (!HOST_CHARS.matcher(host).matches()) {
            return Optional.of("host '" + host + "' has characters no host name or address has");
        }
        if (DOTTED_NUMBERS.matcher(host).matches()) {
            String[] parts = host.split("\\.", -1);
            if (parts.length != 4) {
                return Optional.of("IPv4 address '" + host + "' needs four numbers");
            }
            for (String part : parts) {
                if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
                    return Optional.of("IPv4 address '" + host + "': each number must be 0..255");
                }
            }
        }
        return Optional.empty();
    }

    /** A UDP port, {@value #MIN_PORT}..{@value #MAX_PORT}. */
    public static Optional<String> port(int port) {
        return port >= MIN_PORT && port <= MAX_PORT ? Optional.empty()
                : Optional.of("port " + port + " is outside " + MIN_PORT + ".." + MAX_PORT);
    }

    /** A port as typed: digits only, then {@link #port(int)}. */
    public static Optional<String> port(String typed) {
        String port = typed == null ? "" : typed.strip();
        if (port.isEmpty()) {
            return Optional.of("a port is needed (" + MIN_PORT + ".." + MAX_PORT + ")");
        }
        if (!port.chars().allMatch(c -> c >= '0' && c <= '9') || port.length() > 5) {
            return Optional.of("port '" + port + "' is not a whole number " + MIN_PORT + ".." + MAX_PORT);
        }
        return port(Integer.parseInt(port));
    }

    /** A protocol name as written ({@code legacy}, {@code timed}, {@code auto}; any case). */
    public static Optional<String> protocol(String name) {
        return Protocol.of(name).isPresent() ? Optional.empty()
                : Optional.of("'" + name + "' is unknown; use " + Protocol.choices());
    }

    /** A latency offset: within ±{@value #MAX_LATENCY_OFFSET_MS} ms, and only for protocols that can honour it. */
    public static Optional<String> latencyOffset(double ms, Protocol protocol) {
        if (!(Math.abs(ms) <= MAX_LATENCY_OFFSET_MS)) {
            return Optional.of(fmt(ms) + " ms is outside -" + fmt(MAX_LATENCY_OFFSET_MS) + ".." + fmt(MAX_LATENCY_OFFSET_MS) + " ms");
        }
        if (ms != 0 && protocol == Protocol.LEGACY) {
            return Optional.of("a latency offset (" + fmt(ms) + " ms) needs protocol timed or auto: only the timed "
                    + "protocol can play earlier or later; set protocol to timed or auto, or remove the offset");
        }
        return Optional.empty();
    }

    /**
     * A voice of the score.
     *
     * @param scoreVoices the score's voices; empty when no score is loaded (then any name goes)
     */
    public static Optional<String> voice(String voice, Collection<String> scoreVoices) {
        if (voice == null || voice.isBlank()) {
            return Optional.of("a voice is needed");
        }
        if (!scoreVoices.isEmpty() && !scoreVoices.contains(voice)) {
            return Optional.of("the score has no voice '" + voice + "' (it has " + String.join(", ", scoreVoices) + ")");
        }
        return Optional.empty();
    }

    /**
     * Where a player listens, as written, for finding two players on one address: {@code host:port}
     * with the host in lower case and without IPv6 brackets. (Names that resolve to one address are
     * caught when the roster is resolved.)
     */
    public static String endpoint(String host, int port) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return AddressText.of(h, port);
    }

    /** The problem of two players on one address, naming both. */
    public static String sameEndpoint(String endpoint, int first, String firstName, String secondName) {
        return "'" + secondName + "' and players[" + first + "] '" + firstName + "' both play to " + endpoint
                + "; two players on one address would interleave two voices on one device (give each its own port)";
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
