package dev.concerto.director.engine;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a probe knows of one roster player before (or without) playing. Immutable.
 *
 * @param name         the roster entry's name
 * @param state        reachable, silent, still checking, or a player whose presence cannot be known
 * @param rttMicros    the best round trip of the last exchanges, µs, or -1
 * @param offsetMicros its clock minus ours, µs (0 when unknown)
 * @param protocols    the protocols its last sync reply listed ("legacy", "timed/1"), or empty
 * @param detail       why it is silent when that is known ("host 'x' does not resolve"), or ""
 * @param outputLatencyMs the output latency its last sync reply stated (its audio line's), ms, or NaN
 */
public record PlayerProbe(String name, State state, long rttMicros, long offsetMicros, List<String> protocols,
                          String detail, double outputLatencyMs) {

    /** What the director knows of whether a player is there. */
    public enum State {
        /** Probed for less than {@link PlayerProbes#DECIDE_AFTER_NANOS}, no answer yet. */
        CHECKING,
        /** Answered a sync request within {@link ClockSyncClient#SILENT_AFTER_NANOS}. */
        REACHABLE,
        /** Probed and not answering (or its host does not resolve). */
        SILENT,
        /** A plain-integer player: it never answers, so whether it is there cannot be known. */
        CANNOT_KNOW
    }

    public PlayerProbe {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        protocols = List.copyOf(protocols);
        Objects.requireNonNull(detail, "detail");
    }

    /** A probe without a stated output latency. */
    public PlayerProbe(String name, State state, long rttMicros, long offsetMicros, List<String> protocols,
                       String detail) {
        this(name, state, rttMicros, offsetMicros, protocols, detail, Double.NaN);
    }

    /**
     * What is known of its versions: {@code "0.1.0 · legacy,timed/1"} (the software version it
     * announced, the protocols its sync reply lists), {@code "legacy,timed/1"} (not announced), or
     * {@code ""} (nothing known).
     *
     * @param softwareVersion the version from its announce (discovery), or null/"" when not known
     */
    public String versions(String softwareVersion) {
        String protocolList = String.join(",", protocols);
        if (softwareVersion == null || softwareVersion.isEmpty()) {
            return protocolList;
        }
        return protocolList.isEmpty() ? softwareVersion : softwareVersion + " · " + protocolList;
    }

    /**
     * "reachable · RTT 0.4 ms · offset +0.1 ms · output 16.1 ms" (the output latency when the player
     * stated one), "silent (no answer)", "cannot be known (plain integer)".
     */
    public String describe() {
        return switch (state) {
            case CHECKING -> "checking…";
            case REACHABLE -> {
                double offsetMs = Math.round(offsetMicros / 100.0) / 10.0 + 0.0; // never "-0.0"
                String text = String.format(Locale.ROOT, "reachable · RTT %.1f ms · offset %+.1f ms", rttMicros / 1000.0,
                        offsetMs);
                yield Double.isNaN(outputLatencyMs) ? text
                        : text + String.format(Locale.ROOT, " · output %.1f ms", outputLatencyMs);
            }
            case SILENT -> detail.isEmpty() ? "silent (no answer to sync)" : "silent (" + detail + ")";
            case CANNOT_KNOW -> "cannot be known (plain integer: it never answers)";
        };
    }
}
