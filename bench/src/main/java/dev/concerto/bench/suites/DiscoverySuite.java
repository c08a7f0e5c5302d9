package dev.concerto.bench.suites;

import dev.concerto.bench.BenchContext;
import dev.concerto.bench.Suite;
import dev.concerto.bench.report.Table;
import dev.concerto.bench.process.DiscoveryWatch;
import dev.concerto.bench.run.LoopbackPorts;
import dev.concerto.bench.run.ManagedProcess;
import dev.concerto.bench.run.PlayerProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a player takes to appear in a director's discovered list and to leave it (issue #14's
 * goals: listed within 2 s of starting, gone within 10 s of stopping), both ways: unicast join on
 * loopback, and DNS-SD/mDNS inside a private network namespace whose only interface is its own
 * loopback with multicast on (the only place mDNS is ever sent; skipped with a reason where
 * namespaces are unavailable). The director's side is {@link DiscoveryWatch}, a process that stamps
 * each change with CLOCK_MONOTONIC, the suite's own clock. Per run: a player process is started
 * (time 0), prints that it listens ("ready"), is listed, gets SIGTERM, and is gone.
 */
public final class DiscoverySuite implements Suite {

    private static final Pattern WATCH_READY = Pattern.compile("(?m)^ready$");

    @Override
    public String name() {
        return "discovery";
    }

    @Override
    public String description() {
        return "time for a started player to appear in the discovered list and for a stopped one to leave it"
                + " (unicast join on loopback; mDNS in a private network namespace)";
    }

    @Override
    public List<Table> run(BenchContext ctx) throws Exception {
        int runs = ctx.quick() ? 3 : 8;
        Table table = new Table("Discovery: player started → listed, stopped (SIGTERM) → gone (" + runs + " runs each)",
                "way", "start → listed p50 / max (ms)", "ready → listed p50 / max (ms)", "stop → gone p50 / max (ms)",
                "goal met (2 s / 10 s)");
        table.row(measure(ctx, "join", runs, List.of()));
        String ns = "concerto-bench-" + ProcessHandle.current().pid();
        String why = createNamespace(ns);
        if (why != null) {
            table.row("mdns", "skipped: " + why, "", "", "");
        } else {
            try {
                table.row(measure(ctx, "mdns", runs, List.of("ip", "netns", "exec", ns)));
            } finally {
                run("ip", "netns", "del", ns);
            }
        }
        Table status = statusBeforePlay(ctx, runs);
        table.note("start = the player process is spawned (a JVM start included); ready = it printed that it listens"
                + " (found by polling its log every 20 ms: up to 20 ms late, so ready → listed may read up to 20 ms short);"
                + " listed/gone = the director's list changed. mDNS runs only inside a private network namespace.");
        return List.of(table, status);
    }

    /**
     * The status before Play: a roster of a timed player that answers, a timed player that does not
     * (nothing listens on its port) and a plain-integer one; a fresh director process opens it
     * each run, and the time until no timed player is "checking" any more is taken.
     */
    private static Table statusBeforePlay(BenchContext ctx, int runs) throws Exception {
        Table table = new Table("Status before Play: roster opened → every timed player's status known (" + runs
                + " runs; goal 1 s)", "roster", "opened → known p50 / max (ms)", "statuses", "goal met (1 s)");
        int silentPort = LoopbackPorts.freeRange(1); // nothing listens there
        int port = LoopbackPorts.freeRange(1);
        String javaCmd = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String watchClassPath = ctx.jar("bench") + java.io.File.pathSeparator + ctx.jar("director-app");
        Path roster = ctx.file("discovery/status-roster.json");
        java.nio.file.Files.writeString(roster, "{\"players\": ["
                + "{\"name\": \"bass\", \"host\": \"127.0.0.1\", \"port\": " + port + ", \"protocol\": \"timed\", \"voice\": \"bass\"},"
                + "{\"name\": \"gone\", \"host\": \"127.0.0.1\", \"port\": " + silentPort + ", \"protocol\": \"auto\", \"voice\": \"tenor\"},"
                + "{\"name\": \"esp\", \"host\": \"127.0.0.1\", \"port\": 9, \"protocol\": \"legacy\", \"voice\": \"alto\"}]}");
        long[] known = new long[runs];
        String statuses = "";
        try (ManagedProcess player = ManagedProcess.startJava("player bass", ctx.jar("player-node"), null, List.of(),
                List.of("--bind", "127.0.0.1:" + port, "--synth", "null", "--watchdog", "0", "--name", "bass", "--mdns", "off"),
                ctx.file("discovery/status-player.log"))) {
            player.awaitLine(PlayerProcesses.READY, Duration.ofSeconds(60));
            for (int i = 0; i < runs; i++) {
                try (ManagedProcess watch = ManagedProcess.start("status probe", List.of(javaCmd, "-cp", watchClassPath,
                        DiscoveryWatch.class.getName(), "--probe", roster.toString()),
                        ctx.file("discovery/status-" + i + ".log"), java.util.Map.of())) {
                    long opened = stamp(watch, "opened", Duration.ofSeconds(60));
                    known[i] = stamp(watch, "known", Duration.ofSeconds(60)) - opened;
                    watch.awaitExit(Duration.ofSeconds(30));
                    statuses = String.join("; ", watch.logText().lines().filter(l -> l.startsWith("status "))
                            .map(l -> l.substring("status ".length())).toList());
                }
                ctx.log().printf(Locale.ROOT, "   status before Play known %d ms after the roster was opened%n",
                        known[i] / 1_000_000);
            }
        }
        table.row("timed (answers), auto (silent), plain", pair(known), statuses,
                max(known) <= 1_000_000_000L ? "yes" : "no");
        table.note("opened = just before the probe starts in a director process that has loaded the roster (its JVM"
                + " start not included); known = no timed or auto player is still \"checking\". A silent player is"
                + " decided 600 ms after its first request"
                + " (PlayerProbes.DECIDE_AFTER_NANOS).");
        return table;
    }

    private static Object[] measure(BenchContext ctx, String way, int runs, List<String> prefix) throws Exception {
        // The watch runs the director's own Discovery: the bench jar leaves director-app out, so both jars.
        String watchClassPath = ctx.jar("bench") + java.io.File.pathSeparator + ctx.jar("director-app");
        Path playerJar = ctx.jar("player-node");
        String javaCmd = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int joinPort = LoopbackPorts.freeRange(1);
        List<String> watchCmd = new ArrayList<>(prefix);
        watchCmd.addAll(List.of(javaCmd, "-cp", watchClassPath, DiscoveryWatch.class.getName()));
        watchCmd.addAll(way.equals("join") ? List.of("--join", "127.0.0.1:" + joinPort) : List.of("--mdns", "127.0.0.1"));
        long[] listed = new long[runs];
        long[] readyToListed = new long[runs];
        long[] gone = new long[runs];
        try (ManagedProcess watch = ManagedProcess.start("discovery watch (" + way + ")", watchCmd,
                ctx.file("discovery/" + way + "-watch.log"), java.util.Map.of())) {
            watch.awaitLine(WATCH_READY, Duration.ofSeconds(60));
            for (int i = 0; i < runs; i++) {
                String name = "bench" + way + i;
                int port = LoopbackPorts.freeRange(1);
                List<String> cmd = new ArrayList<>(prefix);
                cmd.addAll(List.of(javaCmd, "-jar", playerJar.toString(), "--bind", "127.0.0.1:" + port, "--synth", "null",
                        "--watchdog", "0", "--name", name));
                cmd.addAll(way.equals("join") ? List.of("--join", "127.0.0.1:" + joinPort, "--mdns", "off")
                        : List.of("--mdns", "on"));
                long start = System.nanoTime();
                try (ManagedProcess player = ManagedProcess.start("player " + name, cmd,
                        ctx.file("discovery/" + name + ".log"), java.util.Map.of())) {
                    player.awaitLine(PlayerProcesses.READY, Duration.ofSeconds(60));
                    long ready = System.nanoTime();
                    long in = stamp(watch, "+" + name, Duration.ofSeconds(60));
                    listed[i] = in - start;
                    readyToListed[i] = in - ready;
                    Thread.sleep(500);
                    long stop = System.nanoTime();
                    player.terminate();
                    gone[i] = stamp(watch, "-" + name, Duration.ofSeconds(60)) - stop;
                }
                ctx.log().printf(Locale.ROOT, "   %s %s: listed %d ms after start (%d ms after ready), gone %d ms after SIGTERM%n",
                        way, name, listed[i] / 1_000_000, readyToListed[i] / 1_000_000, gone[i] / 1_000_000);
            }
        }
        boolean met = max(listed) <= 2_000_000_000L && max(gone) <= 10_000_000_000L;
        return new Object[] {way, pair(listed), pair(readyToListed), pair(gone), met ? "yes" : "no"};
    }

    /** Waits for the watch's line {@code KEY NANOS} and returns NANOS. */
    private static long stamp(ManagedProcess watch, String key, Duration timeout) throws IOException, InterruptedException {
        Matcher m = watch.awaitLine(Pattern.compile("(?m)^" + Pattern.quote(key) + " (\\d+)$"), timeout);
        return Long.parseLong(m.group(1));
    }

    private static String pair(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "%d / %d", s[(s.length - 1) / 2] / 1_000_000, s[s.length - 1] / 1_000_000);
    }

    private static long max(long[] v) {
        return Arrays.stream(v).max().orElse(0);
    }

    /** Creates the namespace with multicast on its loopback only; the reason it cannot, or null. */
    private static String createNamespace(String ns) throws InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "needs root for a private network namespace (mDNS is never measured on a real interface)";
        }
        try {
            if (run("ip", "netns", "add", ns) != 0) {
                return "'ip netns add' failed: network namespaces are unavailable here";
            }
            if (run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up") != 0
                    || run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "multicast", "on") != 0
                    || run("ip", "netns", "exec", ns, "ip", "route", "add", "224.0.0.0/4", "dev", "lo") != 0) {
                run("ip", "netns", "del", ns);
                return "could not enable multicast on the namespace's loopback";
            }
            return null;
        } catch (IOException e) {
            return "'ip' is not available (" + e.getMessage() + ")";
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor();
    }
}
