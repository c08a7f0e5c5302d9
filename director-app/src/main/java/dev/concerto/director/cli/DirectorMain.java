package dev.concerto.director.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The director's command line: {@code java -jar director-app-*-all.jar SUBCOMMAND ...}, normally
 * reached through the repository's {@code ./concerto} launcher. Each subcommand is its own class.
 */
@Command(name = "concerto",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Concerto director: load a score and send its notes to player nodes over UDP.",
        subcommands = {
                CommandLine.HelpCommand.class,
                ScoreCommand.class,
                GuiCommand.class,
                PlayCommand.class,
                LiveCommand.class,
                RenderCommand.class,
                PlayersCommand.class,
                CalibrateCommand.class,
        })
public final class DirectorMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new DirectorMain());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
