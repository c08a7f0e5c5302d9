package dev.concerto.director.cli;

import static dev.concerto.director.cli.ExitCodes.BAD_INPUT;
import static dev.concerto.director.cli.ExitCodes.ENVIRONMENT;
import static dev.concerto.director.cli.ExitCodes.INCOMPLETE;
import static dev.concerto.director.cli.ExitCodes.OK;

import dev.concerto.director.calibrate.Calibration;
import dev.concerto.director.calibrate.Microphone;
import dev.concerto.director.calibrate.MicrophoneCalibrator;
import dev.concerto.director.calibrate.ProbePlan;
import dev.concerto.director.calibrate.ProbeRunner;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.engine.RosterException;
import dev.concerto.director.engine.TimedOptions;
import dev.concerto.director.session.EngineProbeRunner;
import dev.concerto.protocol.Authenticator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code concerto calibrate --roster R.json}: measures each timed player's output latency with a
 * microphone and writes the differences into the roster's {@code latencyOffsetMs}, so every player
 * sounds together in the room.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Calibrate the players of a roster by microphone: each timed player in turn sounds a short"
                    + " pseudo-random pattern (31 chips of 6 ms at 1 kHz), five rounds of all players; the"
                    + " microphone's recording shows when each probe arrived; a player's arrival is the mean of its"
                    + " probes that agree (within 1 ms of their median); the earliest player keeps offset 0 and every"
                    + " later one gets a negative latencyOffsetMs of its lateness, written into the roster after you"
                    + " confirm. About 2.4 s per player.",
            "Place the microphone where the audience sits, at about the same distance from every player."
                    + " Plain-integer players cannot be calibrated (they sound when a datagram arrives)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every timed player was heard and calibrated", "1:the roster does not load",
                "2:no microphone, no player reachable, or bad options",
                "3:some players were not heard clearly (the others were calibrated)"})
public final class CalibrateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--roster", paramLabel = "FILE", description = "The roster to calibrate (written back after you confirm).")
    Path roster;

    @Option(names = "--mic", paramLabel = "NAME",
            description = "The capture device whose name contains NAME (see --list-mics); default: the first one.")
    String mic;

    @Option(names = "--list-mics", description = "List the capture devices and exit.")
    boolean listMics;

    @Option(names = "--yes", description = "Write the new offsets without asking.")
    boolean yes;

    @Option(names = "--dry-run", description = "Measure and show the offsets, but never write the roster.")
    boolean dryRun;

    @Option(names = "--key-file", paramLabel = "FILE", description = "Shared key of the timed protocol, as for play.")
    Path keyFile;

    /** How the probes are played (the engine; tests may replace it). */
    ProbeRunner runner;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (listMics) {
            List<String> mics = Microphone.list();
            if (mics.isEmpty()) {
                out.println("no capture device: javax.sound finds no microphone for 48000 Hz 16-bit mono");
            }
            mics.forEach(out::println);
            out.flush();
            return mics.isEmpty() ? ENVIRONMENT : OK;
        }
        if (roster == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give the roster to calibrate: --roster FILE");
        }
        if (yes && dryRun) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--yes and --dry-run contradict each other");
        }
        Roster loaded;
        try {
            loaded = Roster.load(roster);
        } catch (RosterException e) {
            err.println("concerto calibrate: " + e.getMessage());
            return BAD_INPUT;
        }
        ProbePlan plan;
        try {
            plan = ProbePlan.of(loaded, ProbePlan.DEFAULT_CHIPS, ProbePlan.DEFAULT_HZ);
        } catch (IllegalArgumentException e) {
            err.println("concerto calibrate: " + roster + ": " + e.getMessage());
            return BAD_INPUT;
        }
        for (RosterEntry skipped : ProbePlan.skipped(loaded)) {
            err.println("  " + skipped.name() + ": plain integer, cannot be calibrated (skipped)");
        }
        TimedOptions options = TimedOptions.defaults();
        if (keyFile != null) {
            try {
                options = options.withAuthenticator(new Authenticator(Files.readAllBytes(keyFile)));
            } catch (IOException | IllegalArgumentException e) {
                err.println("concerto calibrate: --key-file " + keyFile + ": " + e.getMessage());
                return ENVIRONMENT;
            }
        }
        ProbeRunner probes = runner != null ? runner : new EngineProbeRunner(options);
        List<Calibration.PlayerResult> results;
        String advice;
        try {
            MicrophoneCalibrator.Outcome outcome = new MicrophoneCalibrator(probes, mic).run(loaded, line -> {
                err.println(line);
                err.flush();
            });
            results = outcome.results();
            advice = outcome.advice();
        } catch (Microphone.MicrophoneException e) {
            err.println("concerto calibrate: " + e.getMessage());
            return ENVIRONMENT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ENVIRONMENT;
        } catch (Exception e) {
            err.println("concerto calibrate: the probes could not be played: " + e.getMessage());
            return ENVIRONMENT;
        }
        out.println("arrival after the deadline (as the microphone hears it) and latency offset before -> after:");
        results.forEach(r -> out.println("  " + r.describe()));
        long heard = results.stream().filter(r -> r.outcome() == Calibration.Outcome.HEARD).count();
        boolean changed = results.stream().anyMatch(r -> r.outcome() == Calibration.Outcome.HEARD
                && Math.abs(r.newOffsetMs() - r.entry().latencyOffsetMs()) >= 0.05);
        if (heard == 0) {
            out.println("no player was heard: nothing to write. " + (advice != null ? advice
                    : "Is the microphone near the speakers, and are the players' outputs audible?"));
            out.flush();
            return INCOMPLETE;
        }
        if (!changed) {
            out.println("the roster's offsets already match: nothing to write");
        } else if (dryRun) {
            out.println("--dry-run: " + roster + " not written");
        } else if (yes || confirm(out)) {
            try {
                Calibration.apply(loaded, results).save(roster);
                out.println("wrote the new offsets into " + roster);
            } catch (IOException e) {
                err.println("concerto calibrate: cannot write " + roster + ": " + e.getMessage());
                return ENVIRONMENT;
            }
        } else {
            out.println(roster + " not written (run again with --yes to write without asking)");
        }
        out.flush();
        return heard == results.size() ? OK : INCOMPLETE;
    }

    /** Asks on the terminal; without one (a script), the answer is no. */
    private static boolean confirm(PrintWriter out) {
        if (System.console() == null) {
            return false;
        }
        out.print("write these offsets into the roster? [y/N] ");
        out.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y");
        } catch (IOException e) {
            return false;
        }
    }
}
