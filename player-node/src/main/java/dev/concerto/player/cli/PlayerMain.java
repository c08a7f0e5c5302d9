package dev.concerto.player.cli;

import dev.concerto.player.AddressText;
import dev.concerto.player.EventLog;
import dev.concerto.player.PlayerBindException;
import dev.concerto.player.PlayerConfig;
import dev.concerto.player.PlayerNode;
import dev.concerto.player.discovery.PlayerAdvert;
import dev.concerto.player.synth.AudioUnavailableException;
import dev.concerto.player.synth.ToneGenerator;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.Wire;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code concerto player}: one player node. Exit codes: 0 after SIGTERM/Ctrl-C (clean stop), 2 for
 * a usage or environment error (bad option, port in use, address not on this machine, no sound
 * card, no PWM).
 */
@Command(name = "player", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = PlayerMain.Version.class,
        // Options not on the command line may come from a properties file ("bind=0.0.0.0:10001"): the
        // Debian package's /etc/concerto/player.conf, named by -Dpicocli.defaults.player.path.
        defaultValueProvider = CommandLine.PropertiesDefaultProvider.class,
        description = {
            "Run one Concerto player node: bind a UDP address, and sound each frequency (ASCII digits, Hz; 0 ="
                    + " silence) that arrives, exactly as the original ESP8266 players did.",
            "It also speaks the timed protocol (see PROTOCOL.md) on the same port: it answers clock-sync requests"
                    + " ('S seq t1') and plays 'T seq at hz lease' at the exact audio frame of 'at' (its monotonic"
                    + " clock, µs), silent again when the lease runs out.",
            "Stop with Ctrl-C or SIGTERM: the tone is silenced, the WAV finished and the counters printed."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.STOPPED_TEXT, ExitCodes.FAILED_TEXT, ExitCodes.USAGE_TEXT})
public final class PlayerMain implements Callable<Integer> {

    static final String PROG = "concerto player";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bind", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:" + Wire.DEFAULT_PORT,
            description = "UDP address to bind, IPv4 or IPv6 ([::1]:10001); port 0 = any free port"
                    + " (default: ${DEFAULT-VALUE}, as the original players).")
    String bind;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "player",
            description = "This player's name, for the start line and logs (default: ${DEFAULT-VALUE}).")
    String name;

    @Mixin
    GeneratorOptions gen;

    @Mixin
    ClockSkewOptions clockSkew;

    @Mixin
    DiscoveryOptions discovery;

    @Option(names = "--events", paramLabel = "FILE",
            description = "Write JSON lines: one per accepted datagram (t_us, src, raw, kind; timed tones also seq,"
                    + " at_us, lease_ms, late), one per reason and second for rejected ones (reason, count), and"
                    + " one per tone change applied (t_us, hz, frame, cause; timed ones also"
                    + " at_us, scheduled_t_us, scheduled_frame); wav-start first when recording a WAV.")
    Path events;

    @Option(names = "--events-max-mb", paramLabel = "MB", defaultValue = "64",
            description = "Size limit of the --events file; when reached, one line says so and nothing more is"
                    + " written (default: ${DEFAULT-VALUE}).")
    long eventsMaxMb;

    /** Counted down to stop (by SIGTERM/SIGINT, or by a test). */
    final CountDownLatch stop = new CountDownLatch(1);
    /** Set once the node is listening (for tests). */
    volatile PlayerNode node;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs with the process's streams and signal handling; returns the exit code. */
    static int run(String[] args) {
        PlayerMain main = new PlayerMain();
        CommandLine cl = commandLine(main);
        Signals.onTerminate(main.stop);
        return cl.execute(args);
    }

    static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println(PROG + ": " + ex);
            return ExitCodes.FAILED;
        });
        return cl;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InetSocketAddress address;
        Clock clock;
        try {
            gen.validate();
            if (eventsMaxMb < 1) {
                throw new IllegalArgumentException("--events-max-mb must be at least 1, got " + eventsMaxMb);
            }
            address = Addresses.parse(bind, Wire.DEFAULT_PORT);
            clock = clockSkew.clock(Clock.SYSTEM);
            discovery.joinTarget();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ToneGenerator generator;
        try {
            generator = Generators.single(gen, w -> {
                err.println(PROG + ": warning: " + w);
                err.flush();
            });
        } catch (AudioUnavailableException e) {
            err.println(PROG + ": " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (IOException e) {
            err.println(PROG + ": cannot open the output: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        EventLog eventLog = null;
        try {
            if (events != null) {
                eventLog = EventLog.open(events, eventsMaxMb << 20);
            }
            PlayerConfig config = PlayerConfig.of(ClockSkewOptions.view(generator, clock)).withBind(address).withName(name)
                    .withAllow(gen.allowList()).withWatchdogSeconds(gen.watchdog).withEvents(eventLog)
                    .withClock(clock).withAuth(gen.authenticator()).withLimits(gen.limits());
            PlayerNode n = new PlayerNode(config);
            // The first datagrams of a piece must not meet cold code; warmed beside the start, so
            // "listening" is not delayed (the copy shares nothing with the real core). Then the garbage
            // of start-up is collected at once, while nothing plays: left to the first collections,
            // they stopped the audio thread (all threads) 17-115 ms in the players' first seconds, in
            // all the players at about the same moment (bench listen with -Xlog:gc), and a line stopped
            // that long must skip audio to be back in time. After this one, none came in a 30 s run.
            Thread warmUp = new Thread(() -> {
                n.warmUp();
                System.gc();
            }, "player-warm-up");
            warmUp.setDaemon(true);
            warmUp.setPriority(Thread.MIN_PRIORITY);
            warmUp.start();
            try {
                n.start();
            } catch (PlayerBindException e) {
                err.println(PROG + ": " + e.getMessage());
                return ExitCodes.USAGE;
            }
            node = n;
            // The address is followed by a space so scripts can take it with "listening on udp (\\S+)".
            out.println("player '" + name + "' listening on udp " + AddressText.of(n.localAddress())
                    + " (generator: " + generator.description()
                    + (gen.allow.isEmpty() ? "" : ", allow " + gen.allowList())
                    + (gen.watchdog > 0 ? ", watchdog " + gen.watchdog + " s" : ", watchdog off")
                    + (gen.keyFile != null ? ", key " + gen.keyFile : "")
                    + (clockSkew.active() ? ", testing aid: " + clock : "") + ")");
            out.flush();
            n.reportStamps();
            List<AutoCloseable> announcers = discovery.start(
                    PlayerAdvert.of(name, n.localAddress().getPort(), generator.description().split(" ")[0], discovery.voice),
                    n.localAddress(), gen.authenticator(), Clock.SYSTEM, m -> {
                        out.println(PROG + ": " + m);
                        out.flush();
                    }, w -> {
                        err.println(PROG + ": warning: " + w);
                        err.flush();
                    });
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (AutoCloseable a : announcers) {
                closeQuietly(a);
            }
            n.close();
            generator.close();
            out.println("player '" + name + "' stopped: " + n.counters().format()
                    + generator.lineTiming().map(t -> String.format(java.util.Locale.ROOT,
                            "; audio line: %d time corrections (%.1f ms skipped, %.1f ms of silence inserted), rate %+.0f ppm",
                            t.corrections(), t.droppedMs(), t.insertedMs(), t.driftPpm())).orElse(""));
            out.flush();
            return ExitCodes.STOPPED;
        } catch (IOException e) {
            err.println(PROG + ": cannot write the events file " + events + ": " + e.getMessage());
            return ExitCodes.USAGE;
        } finally {
            generator.close();
            if (eventLog != null) {
                eventLog.close();
            }
        }
    }

    private static void closeQuietly(AutoCloseable a) {
        try {
            a.close();
        } catch (Exception e) {
            // closing announcers never fails the player's exit
        }
    }

    /** The jar's version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PlayerMain.class.getPackage().getImplementationVersion();
            return new String[] {"Concerto player " + (v == null ? "(development build)" : v)};
        }
    }
}
