package dev.concerto.player.cli;

import dev.concerto.player.AddressText;
import dev.concerto.player.Ensemble;
import dev.concerto.player.PlayerBindException;
import dev.concerto.player.PlayerNode;
import dev.concerto.player.synth.AudioUnavailableException;
import dev.concerto.player.synth.FrameTimer;
import dev.concerto.player.synth.NullGenerator;
import dev.concerto.player.synth.SynthOutput;
import dev.concerto.player.synth.ToneGenerator;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.Wire;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code concerto ensemble}: N players in one process on consecutive ports, mixed into one audio
 * line and/or one WAV. Exit codes as {@link PlayerMain}.
 */
@Command(name = "ensemble", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = PlayerMain.Version.class,
        description = {
            "Run N Concerto players in one process on ports BASEPORT..BASEPORT+N-1, all mixed into one audio"
                    + " line and/or one WAV: one laptop plays every voice.",
            "Stop with Ctrl-C or SIGTERM."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.STOPPED_TEXT, ExitCodes.FAILED_TEXT, ExitCodes.USAGE_TEXT})
public final class EnsembleMain implements Callable<Integer> {

    static final String PROG = "concerto ensemble";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--count", paramLabel = "N", required = true,
            description = "Number of players, 1..256.")
    int count;

    @Option(names = "--bind", paramLabel = "HOST:BASEPORT", defaultValue = "127.0.0.1:" + Wire.DEFAULT_PORT,
            description = "Address of all players and the port of the first; player i gets BASEPORT+i. BASEPORT 0 ="
                    + " each player on any free port (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--name", paramLabel = "PREFIX", defaultValue = "voice-",
            description = "Player i is named PREFIX(i+1) (default: ${DEFAULT-VALUE}).")
    String namePrefix;

    @Mixin
    GeneratorOptions gen;

    @Option(names = "--events", paramLabel = "FILE",
            description = "Per-player events files (JSON lines, as for player). '{port}' or '{index}' in FILE is"
                    + " replaced; otherwise '-PORT' is inserted before the extension, e.g. ev.jsonl -> ev-10001.jsonl.")
    String events;

    final CountDownLatch stop = new CountDownLatch(1);
    volatile Ensemble ensemble;

    public static void main(String[] args) {
        EnsembleMain main = new EnsembleMain();
        CommandLine cl = PlayerMain.commandLine(main);
        Signals.onTerminate(main.stop);
        System.exit(cl.execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InetSocketAddress base;
        try {
            gen.validate();
            base = Addresses.parse(bind, Wire.DEFAULT_PORT);
            if (gen.synth == SynthKind.PI4J) {
                throw new IllegalArgumentException("--synth pi4j drives one pin: run one 'player' per Pi instead");
            }
            if (count < 1 || count > 256) {
                throw new IllegalArgumentException("--count must be 1..256, got " + count);
            }
            if (base.getPort() != 0 && base.getPort() + count - 1 > 65_535) {
                throw new IllegalArgumentException("ports " + base.getPort() + ".." + (base.getPort() + count - 1)
                        + " do not all exist");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Ensemble.Config config = new Ensemble.Config(base.getAddress(), base.getPort(), count, namePrefix,
                gen.allowList(), gen.watchdog, eventsFiles(base.getPort()), Clock.SYSTEM, gen.authenticator(), gen.limits());
        Ensemble e;
        try {
            if (gen.synth == SynthKind.NULL) {
                // One timer thread applies every player's scheduled changes: a chord is one wake-up.
                FrameTimer timer = new FrameTimer("ensemble", Clock.SYSTEM);
                List<ToneGenerator> gens = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    gens.add(new NullGenerator(Clock.SYSTEM, timer));
                }
                e = Ensemble.start(config, gens, timer, "null (no sound)");
            } else {
                SynthOutput output = Generators.mixed(gen, count, w -> {
                    err.println(PROG + ": warning: " + w);
                    err.flush();
                });
                e = Ensemble.start(config, output);
            }
        } catch (AudioUnavailableException ex) {
            err.println(PROG + ": " + ex.getMessage());
            return ExitCodes.USAGE;
        } catch (PlayerBindException ex) {
            err.println(PROG + ": " + ex.getMessage());
            return ExitCodes.USAGE;
        } catch (IOException ex) {
            err.println(PROG + ": " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        ensemble = e;
        try {
            out.println("ensemble of " + count + " players, output: " + e.outputDescription()
                    + (gen.keyFile != null ? ", timed messages signed with " + gen.keyFile : ""));
            for (PlayerNode p : e.players()) {
                out.println("player '" + p.name() + "' listening on udp " + AddressText.of(p.localAddress()));
            }
            out.flush();
            e.players().forEach(PlayerNode::reportStamps); // one line for the process, at INFO
            try {
                stop.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        } finally {
            e.close();
        }
        for (PlayerNode p : e.players()) {
            out.println("player '" + p.name() + "' stopped: " + p.counters().format());
        }
        out.println("ensemble " + e.onsets().summary());
        out.flush();
        return ExitCodes.STOPPED;
    }

    private IntFunction<Path> eventsFiles(int basePort) {
        if (events == null) {
            return null;
        }
        return i -> {
            String port = basePort == 0 ? "p" + i : Integer.toString(basePort + i);
            String f = events;
            if (f.contains("{port}") || f.contains("{index}")) {
                return Path.of(f.replace("{port}", port).replace("{index}", Integer.toString(i)));
            }
            int slash = f.lastIndexOf('/');
            int dot = f.lastIndexOf('.');
            return dot > slash + 1 ? Path.of(f.substring(0, dot) + "-" + port + f.substring(dot))
                    : Path.of(f + "-" + port);
        };
    }
}
