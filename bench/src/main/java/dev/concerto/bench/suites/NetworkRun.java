package dev.concerto.bench.suites;

import dev.concerto.bench.BenchContext;
import dev.concerto.bench.run.ManagedProcess;
import dev.concerto.bench.run.PlayerProcesses;
import dev.concerto.bench.run.RealtimeThreads;
import dev.concerto.netem.BurstLoss;
import dev.concerto.netem.EmulatorWarmUp;
import dev.concerto.netem.PathEmulator;
import dev.concerto.netem.PathProfile;
import dev.concerto.netem.PathProxy;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.ClockPair;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One measured run of the network suites: player processes recording WAVs, a {@link PathProxy} in
 * front of each, all released by one {@link PathEmulator} thread (or none: plain loopback), a director
 * playing a score to them, then the analysis of what the players recorded ({@link NetworkAnalysis}).
 */
final class NetworkRun {

    /** The tempo the measurements used. */
    static final double BPM = 240;
    /** One seed for every run: every run sees the same decisions on the same arrivals. */
    static final long SEED = 846;

    /**
     * One director configuration (a row).
     *
     * @param latencyOffsetMs the roster's {@code latencyOffsetMs} for every player (0: none)
     */
    record Row(String label, String protocol, List<String> directorArgs, double latencyOffsetMs) {

        Row(String label, String protocol, List<String> directorArgs) {
            this(label, protocol, directorArgs, 0);
        }
    }

    /** The timed protocol with the automatic lead and redundancy (what a user gets without flags). */
    static final Row TIMED_DEFAULTS = new Row("timed, defaults (automatic lead and redundancy)", "timed", List.of());

    private NetworkRun() {
    }

    /**
     * Runs the emulator's code hot ({@link EmulatorWarmUp}) before a suite's first emulated path, and
     * says so in the log: cold, it released the first run's datagrams late.
     */
    static void warmUpEmulator(BenchContext ctx) throws IOException, InterruptedException {
        EmulatorWarmUp.Result r = EmulatorWarmUp.run(EmulatorWarmUp.EXCHANGES, EmulatorWarmUp.LIMIT);
        ctx.log().printf("   path emulator warmed up: %d exchanges through a lan path on loopback, %d echoed, %.1f s%n",
                r.sent(), r.echoed(), r.nanos() / 1e9);
    }

    /**
     * One run.
     *
     * @param profile    the emulated path in front of every player, or null for none (plain loopback)
     * @param playerArgs extra arguments of player {@code i}
     * @param loop       play with {@code --loop} for this long (zero: play the piece once)
     */
    static NetworkAnalysis.Result measure(BenchContext ctx, String tag, List<String> voices, Path score,
                                          PathProfile profile, Row row, IntFunction<List<String>> playerArgs,
                                          Duration loop) throws Exception {
        Path dir = ctx.file(tag + "/x").getParent();
        Path events = dir.resolve("director.events.jsonl");
        ctx.log().printf("   %s: %s ...%n", profile == null ? "loopback" : profile.name(), row.label());
        List<PathProxy> proxies = new ArrayList<>();
        try (PathEmulator emulator = PathEmulator.start(loop.plus(Duration.ofMinutes(10)));
             PlayerProcesses players = PlayerProcesses.startRecording(ctx, voices, dir, i -> {
            List<String> a = new ArrayList<>(List.of("--watchdog", "0"));
            a.addAll(playerArgs.apply(i));
            return a;
        })) {
            try {
                List<Integer> ports = new ArrayList<>();
                for (int i = 0; i < voices.size(); i++) {
                    if (profile == null) {
                        ports.add(players.port(i));
                    } else {
                        PathProxy p = emulator.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), players.port(i)),
                                profile, SEED + i);
                        proxies.add(p);
                        ports.add(p.address().getPort());
                    }
                }
                // The emulated network's timing must not wait for the machine's CPU (RealtimeThreads).
                String emulatorPriority = proxies.isEmpty() ? null : RealtimeThreads.raise("netem-");
                Path roster = writeRoster(dir.resolve("roster.json"), voices, ports, row.protocol(), row.latencyOffsetMs());
                List<String> args = new ArrayList<>(List.of("play", score.toString(), "--roster", roster.toString(),
                        "--tempo", Double.toString(BPM), "--events", events.toString(), "--events-sync"));
                args.addAll(row.directorArgs());
                if (!loop.isZero()) {
                    args.add("--loop");
                }
                try (ManagedProcess director = ManagedProcess.startJava("director", ctx.jar("director-app"), null,
                        List.of(), args, dir.resolve("director.log"))) {
                    if (loop.isZero()) {
                        int rc = director.awaitExit(Duration.ofMinutes(5));
                        if (rc != 0) {
                            throw new IOException("director exited with " + rc + "; see " + director.log());
                        }
                    } else {
                        Thread.sleep(loop.toMillis()); // bounded: the loop's length
                    }
                } // close: SIGTERM, the director silences every player
                Thread.sleep(1_500); // the final silences cross the emulated path; the last tones reach the WAVs
                // Counted by the proxies; without them (plain loopback) not known (-1).
                long datagrams = proxies.isEmpty() ? -1 : proxies.stream().mapToLong(p -> p.toPlayer().received()).sum();
                StringBuilder log = new StringBuilder();
                if (emulatorPriority != null) {
                    log.append("emulator threads: ").append(emulatorPriority).append(System.lineSeparator());
                }
                if (!proxies.isEmpty()) {
                    log.append("arrival times: ").append(PathProxy.arrivalSource()).append(System.lineSeparator());
                }
                for (int i = 0; i < proxies.size(); i++) {
                    PathProxy p = proxies.get(i);
                    log.append(String.format("%s: to player %s; from player %s; release lateness p50 %d µs, p99 %d µs,"
                                    + " max %d µs; read after arrival p50 / p99: to player %d / %d µs, from player %d / %d µs%n",
                            voices.get(i), p.toPlayer(), p.fromPlayer(),
                            p.lateness().percentileMicros(50), p.lateness().percentileMicros(99), p.lateness().maxMicros(),
                            p.toPlayerWake().percentileMicros(50), p.toPlayerWake().percentileMicros(99),
                            p.fromPlayerWake().percentileMicros(50), p.fromPlayerWake().percentileMicros(99)));
                }
                Files.writeString(dir.resolve("paths.txt"), log);
                players.close();
                DirectorEvents directorEvents = DirectorEvents.read(events);
                NetworkAnalysis.Result result = NetworkAnalysis.analyse(voices, players, directorEvents, datagrams);
                List<OutageAnalysis.Outage> outages = outages(voices, proxies);
                if (outages.isEmpty()) {
                    return result;
                }
                OutageAnalysis.Result o = OutageAnalysis.analyse(voices, players::events, directorEvents, outages, result);
                Files.write(dir.resolve("outages.txt"), o.details());
                return result.withOutages(o);
            } finally {
                proxies.forEach(PathProxy::close);
            }
        }
    }

    /**
     * The outages of each player's path (director to player; the emulator's two directions share them) in
     * the first ten minutes, wall-clock µs: the path's clock starts when its proxy starts.
     */
    private static List<OutageAnalysis.Outage> outages(List<String> voices, List<PathProxy> proxies) {
        List<OutageAnalysis.Outage> out = new ArrayList<>();
        ClockPair now = ClockPair.read(Clock.SYSTEM);
        for (int i = 0; i < proxies.size(); i++) {
            BurstLoss b = proxies.get(i).profile().toPlayer().burst();
            if (b.outageMicros() == 0) {
                continue;
            }
            long origin = now.epochMicros() - (now.nanos() - proxies.get(i).originNanos()) / 1000;
            for (long t = b.firstMicros(); t < 600_000_000L; t += b.periodMicros()) {
                out.add(new OutageAnalysis.Outage(voices.get(i), origin + t, origin + t + b.outageMicros()));
            }
        }
        return out;
    }

    private static Path writeRoster(Path file, List<String> voices, List<Integer> ports, String protocol,
                                    double latencyOffsetMs) throws IOException {
        StringBuilder sb = new StringBuilder("{ \"players\": [\n");
        String offset = latencyOffsetMs == 0 ? "" : String.format(java.util.Locale.ROOT, ", \"latencyOffsetMs\": %s", latencyOffsetMs);
        for (int i = 0; i < voices.size(); i++) {
            sb.append(String.format("  {\"name\": \"%s\", \"host\": \"127.0.0.1\", \"port\": %d, \"protocol\": \"%s\","
                            + " \"voice\": \"%s\"%s}%s%n", voices.get(i), ports.get(i), protocol,
                    voices.get(i), offset, i + 1 < voices.size() ? "," : ""));
        }
        sb.append("] }\n");
        Files.writeString(file, sb);
        return file;
    }
}
