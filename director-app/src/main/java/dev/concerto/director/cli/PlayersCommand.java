package dev.concerto.director.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.concerto.director.engine.DiscoveredPlayer;
import dev.concerto.director.engine.PlayerProbe;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.engine.RosterException;
import dev.concerto.director.engine.TimedOptions;
import dev.concerto.director.engine.VersionAdvice;
import dev.concerto.director.net.Discovery;
import dev.concerto.director.net.RosterProber;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.SoftwareVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code concerto players}: the players found by mDNS and unicast join within N seconds, as text or
 * JSON; with {@code --roster}, the status of each roster player (reachable/silent, RTT, offset)
 * before anything is played.
 */
@Command(name = "players", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "List the players that announce themselves (DNS-SD/mDNS and unicast join, see PROTOCOL.md), or with"
                    + " --roster say for each player of a roster whether it is there, before playing.",
            "Timed and auto players are probed with the clock-sync exchange (reachable or silent within 1 s, RTT,"
                    + " offset); the presence of a plain-integer player cannot be known: it never answers."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (with --roster: every timed/auto player answered)", "1:the roster does not load",
            "2:usage or environment error", "3:with --roster: a timed or auto player did not answer"})
final class PlayersCommand implements Callable<Integer> {

    private static final String PROG = "concerto players";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "3",
            description = "How long to look (or to probe the roster), seconds (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--roster", paramLabel = "FILE",
            description = "Probe this roster's players and print their status instead of listing discovered players.")
    Path roster;

    @Mixin
    DiscoveryOptions discovery;

    @Mixin
    KeyOption key = new KeyOption();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!(seconds > 0) || seconds > 3_600) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be above 0 and at most 3600");
        }
        Discovery.Options options;
        TimedOptions timed;
        try {
            timed = TimedOptions.defaults().withAuthenticator(key.authenticator());
            options = discovery.toOptions(key.keyFile);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        List<RosterEntry> entries = null;
        if (roster != null) {
            try {
                entries = Roster.load(roster).entries();
            } catch (RosterException e) {
                err.println(PROG + ": " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
        } else if (options == null) {
            err.println(PROG + ": nothing to do: discovery is off (--no-discovery) and no --roster was given");
            return ExitCodes.ENVIRONMENT;
        }
        long millis = Math.round(seconds * 1000);
        try (Discovery d = options == null ? null : Discovery.start(options, Clock.SYSTEM)) {
            if (d != null && !json) {
                for (String p : d.problems()) {
                    err.println(PROG + ": warning: " + p);
                }
            }
            if (entries != null) {
                List<RosterStatus.Row> rows = RosterStatus.probe(entries, timed, d == null ? null : d::players, millis);
                RosterStatus.print(rows, json, out, err, PROG);
                return RosterStatus.missing(rows) ? ExitCodes.PLAYERS_MISSING : ExitCodes.OK;
            }
            int parts = (options.join() != null ? 1 : 0) + (options.mdns() != null ? 1 : 0);
            if (parts == 0) {
                err.println(PROG + ": nothing to look with: the join port is 0 and mDNS is off or has no"
                        + " multicast-capable interface (name one with --mdns-address)");
                return ExitCodes.ENVIRONMENT;
            }
            if (d.problems().size() == parts) {
                err.println(PROG + ": neither mDNS nor the join port could start (see above)");
                return ExitCodes.ENVIRONMENT;
            }
            if (!json) {
                err.println(PROG + ": looking for players for " + fmt(seconds) + " s"
                        + (options.join() != null && d.joinAddress() != null ? " (join port " + d.joinAddress().getPort() + ")" : "")
                        + (options.mdns() != null ? " (mDNS on " + options.mdns().getHostAddress() + ")" : "") + "...");
                err.flush();
            }
            Thread.sleep(millis);
            List<DiscoveredPlayer> found = d.players();
            Map<String, PlayerProbe> rtts = probe(found, timed);
            if (json) {
                out.println(toJson(found, rtts));
            } else {
                printTable(found, rtts, out);
                for (DiscoveredPlayer p : found) {
                    for (String w : VersionAdvice.warnings(p, SoftwareVersion.current(), null)) {
                        err.println(PROG + ": warning: " + w);
                    }
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** Half a second of sync exchanges with the timed players found, for their RTT. */
    private static Map<String, PlayerProbe> probe(List<DiscoveredPlayer> found, TimedOptions timed)
            throws IOException, InterruptedException {
        List<RosterEntry> asRoster = new ArrayList<>();
        for (DiscoveredPlayer p : found) {
            asRoster.add(p.toRosterEntry(p.address(), ""));
        }
        Map<String, PlayerProbe> byAddress = new LinkedHashMap<>();
        if (asRoster.isEmpty()) {
            return byAddress;
        }
        AtomicReference<List<PlayerProbe>> last = new AtomicReference<>(List.of());
        try (RosterProber prober = RosterProber.start(asRoster, timed, Clock.SYSTEM, last::set)) {
            Thread.sleep(500);
        }
        for (PlayerProbe p : last.get()) {
            byAddress.put(p.name(), p);
        }
        return byAddress;
    }

    private static void printTable(List<DiscoveredPlayer> found, Map<String, PlayerProbe> rtts, PrintWriter out) {
        if (found.isEmpty()) {
            out.println("no players found (players announce with --join DIRECTOR or by mDNS; see docs/player.md)");
            return;
        }
        out.printf(Locale.ROOT, "%-16s %-24s %-16s %-10s %-10s %-5s %s%n", "NAME", "ADDRESS", "VERSION", "GENERATOR",
                "VOICE", "VIA", "RTT");
        for (DiscoveredPlayer p : found) {
            out.printf(Locale.ROOT, "%-16s %-24s %-16s %-10s %-10s %-5s %s%n", p.name(), p.address(),
                    p.version().isEmpty() ? "?" : p.version(), p.generator().isEmpty() ? "?" : p.generator(),
                    p.voice().isEmpty() ? "-" : p.voice(), p.via().key(), rttText(rtts.get(p.address())));
        }
    }

    private static String rttText(PlayerProbe p) {
        if (p == null || p.state() == PlayerProbe.State.CANNOT_KNOW) {
            return "-";
        }
        return p.rttMicros() < 0 ? "no answer" : String.format(Locale.ROOT, "%.1f ms", p.rttMicros() / 1000.0);
    }

    private static String toJson(List<DiscoveredPlayer> found, Map<String, PlayerProbe> rtts) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (DiscoveredPlayer p : found) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", p.name());
            row.put("host", p.host());
            row.put("port", p.port());
            row.put("version", p.version());
            row.put("protocols", p.protocols());
            row.put("generator", p.generator());
            row.put("voice", p.voice());
            row.put("via", p.via().key());
            PlayerProbe probe = rtts.get(p.address());
            row.put("rtt_ms", probe == null || probe.rttMicros() < 0 ? null : probe.rttMicros() / 1000.0);
            row.put("warnings", VersionAdvice.warnings(p, SoftwareVersion.current(), null));
            rows.add(row);
        }
        return mapper().writeValueAsString(rows);
    }

    private static ObjectMapper mapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private static String fmt(double s) {
        return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
    }
}
