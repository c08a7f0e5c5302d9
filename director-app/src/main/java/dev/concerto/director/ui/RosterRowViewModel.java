package dev.concerto.director.ui;

import dev.concerto.director.engine.PathTracker;
import dev.concerto.director.engine.PlayerActivity;
import dev.concerto.director.engine.PlayerProbe;
import dev.concerto.director.engine.Protocol;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.engine.RosterRules;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;

/**
 * One editable roster row: the fields as typed (strings, so a half-typed port is representable),
 * a validation message per field that updates on every keystroke, and what the engine last said
 * about this player. The messages come from {@link RosterRules}, the rules the roster file loader
 * applies, so the table accepts exactly what a roster file may hold. FX thread only.
 */
public final class RosterRowViewModel {

    /** The protocol choices, as written in roster files: legacy, timed, auto. */
    public static final List<String> PROTOCOLS = Arrays.stream(Protocol.values()).map(Protocol::key).toList();

    private final StringProperty name = new SimpleStringProperty(this, "name", "");
    private final StringProperty host = new SimpleStringProperty(this, "host", "");
    private final StringProperty port = new SimpleStringProperty(this, "port", "");
    private final StringProperty protocol = new SimpleStringProperty(this, "protocol", "");
    private final StringProperty voice = new SimpleStringProperty(this, "voice", "");

    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    /** What the probe before Play last said; shown while the engine says nothing of this player. */
    private String probeText = "";
    private boolean engineShown;
    private final ReadOnlyStringWrapper nowPlaying = new ReadOnlyStringWrapper(this, "nowPlaying", "—");
    private long silentSinceNanos = -1;
    /**
     * Kept from the roster file (not edited in the table) so that saving does not lose it; a
     * protocol that cannot honour it is an error of the protocol field, never a silent zero.
     */
    private final double latencyOffsetMs;

    private final StringBinding nameError;
    private final StringBinding hostError;
    private final StringBinding portError;
    private final StringBinding protocolError;
    private final StringBinding voiceError;
    private final StringBinding problem;
    private final BooleanBinding valid;

    /**
     * @param voices the loaded score's voices (a live list: the voice check follows it)
     */
    public RosterRowViewModel(RosterEntry entry, ObservableList<String> voices) {
        this.latencyOffsetMs = entry.latencyOffsetMs();
        name.set(entry.name());
        host.set(entry.host());
        port.set(entry.port() > 0 ? String.valueOf(entry.port()) : "");
        protocol.set(entry.protocol().key());
        voice.set(entry.voice());
        probeText = initialProbeText(entry.protocol().key());
        status.set(probeText);
        protocol.addListener((obs, old, p) -> {
            probeText = initialProbeText(p);
            if (!engineShown) {
                status.set(probeText);
            }
        });
        nameError = Bindings.createStringBinding(() -> text(RosterRules.name(name.get())), name);
        hostError = Bindings.createStringBinding(() -> checkHost(host.get()), host);
        portError = Bindings.createStringBinding(() -> checkPort(port.get()), port);
        protocolError = Bindings.createStringBinding(() -> checkProtocol(protocol.get(), latencyOffsetMs), protocol);
        voiceError = Bindings.createStringBinding(() -> text(RosterRules.voice(voice.get(), voices)), voice, voices);
        problem = Bindings.createStringBinding(() -> firstOf(nameError.get(), hostError.get(), portError.get(),
                protocolError.get(), voiceError.get()), nameError, hostError, portError, protocolError, voiceError);
        valid = Bindings.createBooleanBinding(() -> problem.get().isEmpty(), problem);
    }

    /** Why a host is not acceptable, or "" when it is. The ui never resolves names (no sockets here). */
    static String checkHost(String h) {
        return text(RosterRules.host(h));
    }

    /** Why a port is not acceptable, or "" when it is. */
    static String checkPort(String p) {
        return text(RosterRules.port(p));
    }

    /** Why a protocol is not acceptable (unknown, or unable to honour the row's latency offset), or "". */
    static String checkProtocol(String p, double latencyOffsetMs) {
        Optional<String> unknown = RosterRules.protocol(p);
        if (unknown.isPresent()) {
            return "protocol " + unknown.get();
        }
        return text(RosterRules.latencyOffset(latencyOffsetMs, Protocol.of(p).orElseThrow())
                .map(m -> "this player's roster file sets latencyOffsetMs: " + m));
    }

    private static String text(Optional<String> problem) {
        return problem.orElse("");
    }

    private static String firstOf(String... messages) {
        for (String m : messages) {
            if (!m.isEmpty()) {
                return m;
            }
        }
        return "";
    }

    /** The row as a roster entry. @throws IllegalStateException when it is not valid */
    public RosterEntry toEntry() {
        if (!valid.get()) {
            throw new IllegalStateException(name.get() + ": " + problem.get());
        }
        return new RosterEntry(name.get().strip(), host.get().strip(), Integer.parseInt(port.get().strip()),
                Protocol.of(protocol.get()).orElseThrow(), voice.get(), latencyOffsetMs);
    }

    /**
     * Shows what the engine says about this player; {@code null} means "not playing to it yet".
     *
     * @param nowNanos monotonic time of the snapshot, to say how long a player has been silent
     */
    void applyActivity(PlayerActivity activity, long nowNanos) {
        if (activity == null) {
            engineShown = false;
            status.set(probeText);
            nowPlaying.set("—");
            silentSinceNanos = -1;
            return;
        }
        engineShown = true;
        if (activity.liveness() == PlayerActivity.Liveness.SILENT) {
            if (silentSinceNanos < 0) {
                silentSinceNanos = nowNanos;
            }
            status.set(String.format(Locale.ROOT, "silent for %d s", (nowNanos - silentSinceNanos) / 1_000_000_000L));
        } else {
            silentSinceNanos = -1;
            status.set(describeLiveness(activity));
        }
        nowPlaying.set(activity.hz() > 0 ? noteText(activity.noteName(), activity.hz()) : "—");
    }

    /**
     * Shows what the probe before Play says of this player ({@code null}: nothing yet) and its
     * versions, unless the engine is reporting on it.
     *
     * @param softwareVersion the version it announced (a discovered player at this row's address), or null
     */
    void applyProbe(PlayerProbe probe, String softwareVersion) {
        String versions = probe == null ? "" : probe.versions(softwareVersion);
        probeText = probe == null ? initialProbeText(protocol.get())
                : probe.describe() + (versions.isEmpty() ? "" : " · " + versions);
        if (!engineShown) {
            status.set(probeText);
        }
    }

    private static String initialProbeText(String protocol) {
        return Protocol.of(protocol).map(Protocol::syncsClock).orElse(true) ? "checking…" : PLAIN_INTEGER_STATUS;
    }

    /** The status of a plain-integer player: it never answers, so nobody can tell whether it is there. */
    static final String PLAIN_INTEGER_STATUS = "cannot be known (plain integer: it never answers)";

    static String describeLiveness(PlayerActivity a) {
        if (a.liveness() == PlayerActivity.Liveness.UNKNOWN) {
            return PLAIN_INTEGER_STATUS;
        }
        String text = a.liveness().name().toLowerCase(Locale.ROOT);
        if (a.rttMicros() >= 0) {
            // Rounded to 0.1 ms first so that -0.04 ms reads "+0.0", not "-0.0".
            double offsetMs = Math.round(a.offsetMicros() / 100.0) / 10.0 + 0.0;
            text += String.format(Locale.ROOT, " · RTT %.1f ms · offset %+.1f ms", a.rttMicros() / 1000.0, offsetMs);
        }
        if (a.path() != null) {
            // RTT p50/p99, one-way jitter, loss, the lead and copies chosen, clock skew.
            text = a.liveness().name().toLowerCase(Locale.ROOT) + " · " + PathTracker.describe(a.path())
                    + String.format(Locale.ROOT, " · offset %+.1f ms", Math.round(a.offsetMicros() / 100.0) / 10.0 + 0.0);
        }
        return text;
    }

    static String noteText(String noteName, double hz) {
        String label = noteName == null || noteName.isBlank() ? "" : noteName + " · ";
        // The exact frequency to the centihertz (what a timed player sounds), "440 Hz" when whole.
        String digits = String.format(Locale.ROOT, "%.2f", hz);
        return label + (digits.endsWith(".00") ? digits.substring(0, digits.length() - 3) : digits) + " Hz";
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty hostProperty() {
        return host;
    }

    public StringProperty portProperty() {
        return port;
    }

    public StringProperty protocolProperty() {
        return protocol;
    }

    public StringProperty voiceProperty() {
        return voice;
    }

    /** "reachable · RTT 0.4 ms · offset +0.1 ms", "checking…", "cannot be known (plain integer…)", "silent for 12 s". */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The note this player sounds now ("C2 · 65.41 Hz", "A4 · 440 Hz") or "—". */
    public ReadOnlyStringProperty nowPlayingProperty() {
        return nowPlaying.getReadOnlyProperty();
    }

    public StringBinding nameErrorBinding() {
        return nameError;
    }

    public StringBinding hostErrorBinding() {
        return hostError;
    }

    public StringBinding portErrorBinding() {
        return portError;
    }

    public StringBinding protocolErrorBinding() {
        return protocolError;
    }

    public StringBinding voiceErrorBinding() {
        return voiceError;
    }

    /** The first problem of this row, or "" when it is valid. */
    public StringBinding problemBinding() {
        return problem;
    }

    public BooleanBinding validBinding() {
        return valid;
    }
}
