package dev.concerto.director.cli;

import dev.concerto.director.ui.DefaultScore;
import dev.concerto.director.ui.DirectorApp;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javafx.application.Application;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code concerto gui [SCORE]}: opens the director's window. The JavaFX application class is not
 * the jar's main class (this CLI is), so the toolkit starts here through
 * {@link Application#launch(Class, String...)}, which returns when the window closes.
 */
@Command(name = "gui",
        mixinStandardHelpOptions = true,
        description = {"Open the director window: a score, its players, a transport and a piano roll.",
                "Without SCORE it opens the score you had open last time, or BWV 846 (scores/bwv846.json).",
                "Without --roster it uses the roster you used last time, or local players: one simulated "
                        + "player per voice on 127.0.0.1, sounding through this machine's audio.",
                "Settings (recent scores, roster, window size) live in $XDG_CONFIG_HOME/concerto "
                        + "(default ~/.config/concerto)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the window was closed", "1:SCORE or the roster file does not exist",
                "2:no display to open a window on, or the key file cannot be used"})
public final class GuiCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCORE",
            description = "a score to open: JSON (.json) or MIDI (.mid, .midi)")
    Path score;

    @Option(names = "--roster", paramLabel = "FILE",
            description = "a roster file (JSON: players with name, host, port, protocol, voice) to use instead of "
                    + "the remembered roster or local players")
    Path roster;

    @Option(names = "--play", description = "start playing as soon as the score and the players are ready")
    boolean play;

    @picocli.CommandLine.Mixin
    DiscoveryOptions discovery;

    @picocli.CommandLine.Mixin
    KeyOption key = new KeyOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (score != null && !Files.isRegularFile(score)) {
            err.println("concerto gui: no such score file: " + score);
            return ExitCodes.BAD_INPUT;
        }
        if (roster != null && !Files.isRegularFile(roster)) {
            err.println("concerto gui: no such roster file: " + roster);
            return ExitCodes.BAD_INPUT;
        }
        try {
            key.authenticator(); // a bad key file is said here, not in the window
        } catch (IllegalArgumentException e) {
            err.println("concerto gui: " + e.getMessage());
            return ExitCodes.ENVIRONMENT;
        }
        List<String> args = new ArrayList<>();
        if (score != null) {
            args.add(score.toAbsolutePath().toString());
        }
        if (roster != null) {
            args.add("--roster=" + roster.toAbsolutePath());
        }
        if (play) {
            args.add("--play=true");
        }
        if (key.keyFile != null) {
            args.add("--key-file=" + key.keyFile.toAbsolutePath());
        }
        args.addAll(discovery.toNamedParameters(key.keyFile == null ? null : key.keyFile.toAbsolutePath()));
        DefaultScore.locate(Path.of(""), codeLocation())
                .ifPresent(p -> args.add("--default-score=" + p.toAbsolutePath()));
        try {
            Application.launch(DirectorApp.class, args.toArray(String[]::new));
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            err.println("concerto gui: cannot open a window: " + why);
            err.println("  A display is needed (a desktop session, or DISPLAY set; over SSH use 'ssh -X'"
                    + " or run it under 'xvfb-run'). Without one, play headless with './concerto play'.");
            return ExitCodes.ENVIRONMENT;
        }
        return ExitCodes.OK;
    }

    /** The jar or classes directory, to find the repository's scores from wherever it is run. */
    private static Path codeLocation() {
        try {
            return Path.of(GuiCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            return null;
        }
    }
}
