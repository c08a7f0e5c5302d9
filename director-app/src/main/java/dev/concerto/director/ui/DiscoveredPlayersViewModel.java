package dev.concerto.director.ui;

import dev.concerto.director.engine.DiscoveredPlayer;
import dev.concerto.director.engine.PlayerProbe;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.engine.VersionAdvice;
import dev.concerto.protocol.SoftwareVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The players the director found by itself (mDNS, unicast join), next to the roster: name, address,
 * version, generator, RTT (a short sync probe of those that speak timed/1), and one action — add
 * to the roster for a voice, or point a roster row at it. Nothing joins the roster without the user.
 * Version warnings go to the log once per player and version. FX thread only, except the backend's
 * callbacks, which hand over through the {@link FxDispatcher}.
 */
public final class DiscoveredPlayersViewModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DiscoveredPlayersViewModel.class);

    /** One discovered player as shown. */
    public static final class Row {
        private final DiscoveredPlayer player;
        private final ReadOnlyStringWrapper rtt = new ReadOnlyStringWrapper(this, "rtt", "");
        private final List<String> warnings;

        Row(DiscoveredPlayer player, List<String> warnings) {
            this.player = player;
            this.warnings = List.copyOf(warnings);
            rtt.set(player.speaksTimed() ? "…" : "—");
        }

        public DiscoveredPlayer player() {
            return player;
        }

        /** "0.4 ms", "no answer", "…" while probing, "—" for a plain-integer player. */
        public ReadOnlyStringProperty rttProperty() {
            return rtt.getReadOnlyProperty();
        }

        /** Version warnings, empty when there are none. */
        public List<String> warnings() {
            return warnings;
        }
    }

    private final DirectorBackend backend;
    private final FxDispatcher fx;
    private final RosterViewModel roster;
    private final ObservableList<String> voices;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final BooleanProperty enabled = new SimpleBooleanProperty(this, "enabled", false);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "discovery off");
    private final Set<String> warned = new HashSet<>();
    private DiscoverySettings settings = DiscoverySettings.OFF;
    private AutoCloseable discovery;
    private AutoCloseable probe;
    private int generation;

    public DiscoveredPlayersViewModel(DirectorBackend backend, FxDispatcher fx, RosterViewModel roster,
                                      ObservableList<String> voices) {
        this.backend = backend;
        this.fx = fx;
        this.roster = roster;
        this.voices = voices;
        enabled.addListener((obs, was, on) -> {
            if (on) {
                begin();
            } else {
                end();
            }
        });
    }

    /** Applies the window's settings; starts discovering when they say so. */
    public void start(DiscoverySettings s) {
        settings = s;
        enabled.set(s.enabled());
    }

    private void begin() {
        end();
        int gen = ++generation;
        status.set("looking for players" + describe(settings));
        try {
            discovery = backend.startDiscovery(settings, players -> fx.dispatch(() -> {
                if (gen == generation) {
                    update(players);
                }
            }), problem -> fx.dispatch(() -> {
                if (gen == generation) {
                    status.set(status.get() + " — " + problem);
                }
            }));
        } catch (Exception e) {
            status.set("discovery failed: " + e.getMessage());
            LOG.warn("Discovery failed: {}", e.getMessage());
        }
    }

    private static String describe(DiscoverySettings s) {
        List<String> ways = new ArrayList<>();
        if (s.mdns()) {
            ways.add("mDNS" + (s.mdnsAddress().isBlank() ? "" : " on " + s.mdnsAddress()));
        }
        if (s.joinPort() > 0) {
            ways.add("join port " + s.joinPort());
        }
        return ways.isEmpty() ? "" : " (" + String.join(", ", ways) + ")";
    }

    private void end() {
        generation++;
        closeQuietly(discovery);
        closeQuietly(probe);
        discovery = null;
        probe = null;
        rows.clear();
        status.set("discovery off");
    }

    /** A new list from the backend (FX thread). */
    void update(List<DiscoveredPlayer> players) {
        Map<String, String> rtts = new HashMap<>();
        for (Row r : rows) {
            rtts.put(r.player().address(), r.rttProperty().get());
        }
        List<Row> next = new ArrayList<>();
        for (DiscoveredPlayer p : players) {
            List<String> warnings = VersionAdvice.warnings(p, SoftwareVersion.current(), null);
            if (warned.add(p.address() + " " + p.version())) {
                warnings.forEach(w -> LOG.warn("{}", w));
            }
            Row row = new Row(p, warnings);
            if (rtts.containsKey(p.address()) && p.speaksTimed()) {
                row.rtt.set(rtts.get(p.address()));
            }
            next.add(row);
        }
        rows.setAll(next);
        reprobe();
    }

    private void reprobe() {
        closeQuietly(probe);
        probe = null;
        List<RosterEntry> timed = new ArrayList<>();
        for (Row r : rows) {
            if (r.player().speaksTimed()) {
                timed.add(r.player().toRosterEntry(r.player().address(), ""));
            }
        }
        if (timed.isEmpty()) {
            return;
        }
        int gen = generation;
        try {
            probe = backend.probe(timed, status -> fx.dispatch(() -> {
                if (gen == generation) {
                    applyProbes(status);
                }
            }));
        } catch (Exception e) {
            LOG.debug("probing discovered players: {}", e.toString());
        }
    }

    /** Probe results keyed by address (FX thread). */
    void applyProbes(List<PlayerProbe> probes) {
        Map<String, PlayerProbe> byAddress = new HashMap<>();
        for (PlayerProbe p : probes) {
            byAddress.put(p.name(), p);
        }
        for (Row r : rows) {
            PlayerProbe p = byAddress.get(r.player().address());
            if (p == null) {
                continue;
            }
            r.rtt.set(switch (p.state()) {
                case REACHABLE -> String.format(Locale.ROOT, "%.1f ms", p.rttMicros() / 1000.0);
                case SILENT -> "no answer";
                case CHECKING -> "…";
                case CANNOT_KNOW -> "—";
            });
        }
    }

    /**
     * One click: adds the player to the roster for the voice it asked for when the score has it,
     * otherwise the first voice nobody plays.
     */
    public RosterRowViewModel addToRoster(Row row) {
        String wanted = row.player().voice();
        String voice = !wanted.isEmpty() && voices.contains(wanted) ? wanted : roster.firstUnplayedVoice();
        return roster.addDiscovered(row.player(), voice);
    }

    /** A drop on a roster row: that row (and its voice) now plays on this player. */
    public void assignTo(Row row, RosterRowViewModel target) {
        roster.pointAt(target, row.player());
    }

    public ObservableList<Row> rows() {
        return rows;
    }

    /** The players listed now. FX thread. */
    List<DiscoveredPlayer> players() {
        return rows.stream().map(Row::player).toList();
    }

    /** Whether discovery runs; the user switches it. */
    public BooleanProperty enabledProperty() {
        return enabled;
    }

    /** "looking for players (mDNS, join port 10000)", "discovery off", or what failed. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    @Override
    public void close() {
        end();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("closing: {}", e.toString());
        }
    }
}
