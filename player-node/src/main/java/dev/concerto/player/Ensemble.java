package dev.concerto.player;

import dev.concerto.player.core.PlayerCounters;
import dev.concerto.player.core.PlayerLimits;
import dev.concerto.player.synth.SynthOutput;
import dev.concerto.player.synth.SynthSettings;
import dev.concerto.player.synth.ToneGenerator;
import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N {@link PlayerNode}s in one process, on consecutive ports from a base port (or each on an
 * ephemeral port when the base is 0), all sounding through ONE output: the channels of one
 * {@link SynthOutput} (one audio line and/or one WAV). This is how one laptop plays every voice,
 * and what the director embeds as its "local players":
 *
 * <pre>{@code
 * try (Ensemble local = Ensemble.startLocal(4)) {        // 127.0.0.1, ephemeral ports, auto output
 *     List<InetSocketAddress> targets = local.addresses(); // send voice i to targets.get(i)
 *     ...
 * }
 * }</pre>
 *
 * <p>The ensemble owns its players, their events files and the output it was given, and closes
 * them all. Thread-safe.
 */
public final class Ensemble implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Ensemble.class);

    /**
     * How to lay out an ensemble.
     *
     * @param host            the address every player binds
     * @param basePort        player i binds {@code basePort + i}; 0 = every player on an ephemeral port
     * @param count           number of players (1..256)
     * @param namePrefix      player i is named {@code namePrefix + (i + 1)}
     * @param allow           sources accepted by every player
     * @param watchdogSeconds see {@link PlayerConfig#watchdogSeconds()}
     * @param eventsFile      player i's events file, or {@code null} for none (the function itself may be null)
     * @param clock           the clock of policies, events and the timed protocol
     * @param auth            the timed protocol's shared key for every player, or {@code null}
     * @param limits          the timed protocol's guards for every player
     */
    public record Config(InetAddress host, int basePort, int count, String namePrefix, AllowList allow,
            double watchdogSeconds, IntFunction<Path> eventsFile, Clock clock, Authenticator auth,
            PlayerLimits limits) {

        /** With the default {@link PlayerLimits}. */
        public Config(InetAddress host, int basePort, int count, String namePrefix, AllowList allow,
                double watchdogSeconds, IntFunction<Path> eventsFile, Clock clock, Authenticator auth) {
            this(host, basePort, count, namePrefix, allow, watchdogSeconds, eventsFile, clock, auth,
                    PlayerLimits.DEFAULTS);
        }

        public Config {
            java.util.Objects.requireNonNull(host, "host");
            java.util.Objects.requireNonNull(limits, "limits");
            if (basePort < 0 || basePort + count - 1 > 65_535) {
                throw new IllegalArgumentException("ports " + basePort + ".." + (basePort + count - 1) + " are not all valid");
            }
            if (count < 1 || count > 256) {
                throw new IllegalArgumentException("an ensemble has 1..256 players, got " + count);
            }
        }

        /** {@code count} players on 127.0.0.1, ephemeral ports, everyone allowed, watchdog off. */
        public static Config loopback(int count) {
            return new Config(InetAddress.getLoopbackAddress(), 0, count, "local-", AllowList.anyone(), 0, null,
                    Clock.SYSTEM, null);
        }

        public Config withHost(InetAddress h, int base) {
            return new Config(h, base, count, namePrefix, allow, watchdogSeconds, eventsFile, clock, auth, limits);
        }

        public Config withAllow(AllowList a) {
            return new Config(host, basePort, count, namePrefix, a, watchdogSeconds, eventsFile, clock, auth, limits);
        }

        public Config withWatchdogSeconds(double s) {
            return new Config(host, basePort, count, namePrefix, allow, s, eventsFile, clock, auth, limits);
        }

        public Config withEventsFile(IntFunction<Path> f) {
            return new Config(host, basePort, count, namePrefix, allow, watchdogSeconds, f, clock, auth, limits);
        }

        /** Every player with this shared key ({@code null}: none). */
        public Config withAuth(Authenticator a) {
            return new Config(host, basePort, count, namePrefix, allow, watchdogSeconds, eventsFile, clock, a, limits);
        }

        public Config withClock(Clock c) {
            return new Config(host, basePort, count, namePrefix, allow, watchdogSeconds, eventsFile, c, auth, limits);
        }

        public Config withLimits(PlayerLimits l) {
            return new Config(host, basePort, count, namePrefix, allow, watchdogSeconds, eventsFile, clock, auth, l);
        }

        public Config withNamePrefix(String p) {
            return new Config(host, basePort, count, p, allow, watchdogSeconds, eventsFile, clock, auth, limits);
        }
    }

    private final List<PlayerNode> players;
    private final List<EventLog> events;
    private final AutoCloseable output;
    private final String outputDescription;
    private final OnsetMeter onsets;
    private final ReceiveLoop loop;

    private Ensemble(List<PlayerNode> players, List<EventLog> events, AutoCloseable output, String description,
            OnsetMeter onsets, ReceiveLoop loop) {
        this.onsets = onsets;
        this.loop = loop;
        this.players = List.copyOf(players);
        this.events = List.copyOf(events);
        this.output = output;
        this.outputDescription = description;
    }

    /**
     * The director's one-liner: {@code count} players on 127.0.0.1 (ephemeral ports) mixed into
     * the default audio line, or a virtual output (with a logged warning) when there is no sound card.
     */
    public static Ensemble startLocal(int count) throws IOException {
        SynthOutput out = SynthOutput.auto(SynthSettings.defaults(), count, null, w -> LOG.warn("{}", w));
        return start(Config.loopback(count), out);
    }

    /** {@code count} loopback players (ephemeral ports) on the channels of {@code output}. */
    public static Ensemble startLocal(int count, SynthOutput output) throws IOException {
        return start(Config.loopback(count), output);
    }

    /**
     * Starts the players of {@code config} on channels 0..count-1 of {@code output}, which the
     * ensemble then owns. On failure everything started is closed (the output too).
     */
    public static Ensemble start(Config config, SynthOutput output) throws IOException {
        if (output.channels() < config.count()) {
            output.close();
            throw new IllegalArgumentException("output has " + output.channels() + " channels for "
                    + config.count() + " players");
        }
        List<ToneGenerator> gens = new ArrayList<>();
        for (int i = 0; i < config.count(); i++) {
            gens.add(output.channel(i));
        }
        return start(config, gens, output, output.description());
    }

    /**
     * Starts one player per generator (any kind, e.g. null generators); {@code resources} (nullable)
     * is closed with the ensemble, after the players.
     */
    public static Ensemble start(Config config, List<? extends ToneGenerator> generators, AutoCloseable resources,
            String description) throws IOException {
        List<PlayerNode> started = new ArrayList<>();
        List<EventLog> logs = new ArrayList<>();
        OnsetMeter onsets = new OnsetMeter();
        // One receive thread for every player: a chord sent to all of them is one wake-up.
        ReceiveLoop loop = new ReceiveLoop("players-" + config.namePrefix(), config.clock(),
                PlayerNode.pollMillis(config.watchdogSeconds()));
        try {
            for (int i = 0; i < config.count(); i++) {
                int port = config.basePort() == 0 ? 0 : config.basePort() + i;
                EventLog log = null;
                Path file = config.eventsFile() == null ? null : config.eventsFile().apply(i);
                if (file != null) {
                    log = EventLog.open(file);
                    logs.add(log);
                }
                PlayerConfig pc = new PlayerConfig(new InetSocketAddress(config.host(), port),
                        config.namePrefix() + (i + 1), generators.get(i), config.allow(), config.watchdogSeconds(),
                        log, config.clock(), config.auth(), config.limits());
                PlayerNode node = new PlayerNode(pc, onsets, loop);
                started.add(node);
                node.start();
            }
        } catch (IOException | RuntimeException e) {
            started.forEach(PlayerNode::close);
            loop.close();
            logs.forEach(EventLog::close);
            closeQuietly(resources);
            throw e;
        }
        return new Ensemble(started, logs, resources, description, onsets, loop);
    }

    /** The bound address of each player, in player order. */
    public List<InetSocketAddress> addresses() {
        return players.stream().map(PlayerNode::localAddress).toList();
    }

    public List<PlayerNode> players() {
        return players;
    }

    public int size() {
        return players.size();
    }

    /** Player {@code i}'s counters. */
    public PlayerCounters counters(int i) {
        return players.get(i).counters();
    }

    /** How close to their time the players' timed notes started (all players together). */
    public OnsetMeter onsets() {
        return onsets;
    }

    /** What the players sound through. */
    public String outputDescription() {
        return outputDescription;
    }

    /** Closes every player (silencing it), then the events files and the output. Idempotent. */
    @Override
    public void close() {
        players.forEach(PlayerNode::close);
        loop.close();
        closeQuietly(output);
        events.forEach(EventLog::close);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", c, e.toString());
        }
    }
}
