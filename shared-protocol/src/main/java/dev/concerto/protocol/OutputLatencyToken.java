package dev.concerto.protocol;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * The token a player on an audio line adds to its sync reply's versions: its estimated output latency
 * in milliseconds, one decimal ({@code "output-ms/16.1"}; PROTOCOL.md, Sync). Not a protocol: a
 * director that does not know it ignores it. Pure and stateless; thread-safe.
 */
public final class OutputLatencyToken {

    /** The token's start. */
    public static final String PREFIX = "output-ms/";
    /** The largest output latency a token states, ms (a line's buffer is at most 500 ms). */
    public static final double MAX_MS = 9999.9;
    /** The number after the prefix: read from every sync reply, so compiled once. */
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,4}(\\.[0-9]{1,3})?");

    private OutputLatencyToken() {
    }

    /**
     * The token stating an output latency: {@code "output-ms/16.1"}.
     *
     * @param ms 0..{@value #MAX_MS} ms (beyond: clamped); not NaN
     */
    public static String of(double ms) {
        if (Double.isNaN(ms)) {
            throw new IllegalArgumentException("output latency is NaN");
        }
        double clamped = Math.max(0, Math.min(MAX_MS, ms));
        return PREFIX + String.format(Locale.ROOT, "%.1f", clamped);
    }

    /**
     * The output latency a sync reply's versions state, ms; empty when none does, or the value is not a
     * number within 0..{@value #MAX_MS}.
     */
    public static OptionalDouble in(List<String> versions) {
        for (String v : versions) {
            if (v.startsWith(PREFIX)) {
                String number = v.substring(PREFIX.length());
                if (NUMBER.matcher(number).matches()) {
                    double ms = Double.parseDouble(number);
                    if (ms <= MAX_MS) {
                        return OptionalDouble.of(ms);
                    }
                }
            }
        }
        return OptionalDouble.empty();
    }

    /** The protocols among a sync reply's versions: every token but the output latency. */
    public static List<String> protocols(List<String> versions) {
        return versions.stream().filter(v -> !v.startsWith(PREFIX)).toList();
    }
}
