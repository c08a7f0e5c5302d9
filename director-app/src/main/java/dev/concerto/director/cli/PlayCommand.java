package dev.concerto.director.cli;

import static dev.concerto.director.cli.ExitCodes.BAD_INPUT;
import static dev.concerto.director.cli.ExitCodes.ENVIRONMENT;
import static dev.concerto.director.cli.ExitCodes.OK;

import dev.concerto.director.engine.PlayerStream;
import dev.concerto.director.engine.PlayState;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterException;
import dev.concerto.director.engine.TransportState;
import dev.concerto.director.score.TempoRange;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.net.DirectorEngine;
import dev.concerto.director.net.DirectorEngineBuilder;
import dev.concerto.director.net.LocalPlayers;
import dev.concerto.director.engine.PlayerSyncException;
import dev.concerto.director.engine.TimedOptions;
import dev.concerto.protocol.Authenticator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code concerto play SCORE [--roster FILE | --local] ...}: plays a score headless, to a roster of
 * players or to local players started in this process, with a one-line progress display, and
 * prints the schedule accuracy at the end. Ctrl-C silences every player.
 */
@Command(name = "play",
        mixinStandardHelpOptions = true,
        description = {"Play a score headless: to the players of a roster, or (the default) to local players "
                + "started in this process, one per voice (real UDP on 127.0.0.1; the sound card when there is "
                + "one, a silent virtual output otherwise).",
                "Shows measure, time and datagrams sent while playing and the schedule accuracy at the end. "
                        + "Ctrl-C silences every player and exits.",
                "Players of protocol timed (or auto, when they answer clock sync) get every note ahead, stamped with "
                        + "the time it must sound in their own clock (PROTOCOL.md); the end shows each one's clock offset, "
                        + "round-trip time and jitter.",
                "Exit codes: 0 played to the end (or, with --loop, stopped by Ctrl-C/SIGTERM; with --dry-run, every"
                        + " timed/auto player answered), 1 bad score or roster (the message names file and field), "
                        + "2 usage or environment error (a port in use, a socket that cannot open), 3 with --dry-run:"
                        + " a timed or auto player did not answer."})
public final class PlayCommand implements Callable<Integer> {

    /** How long {@code --dry-run} probes (every timed player is decided well within it), ms. */
    private static final long DRY_RUN_PROBE_MILLIS = 1_000;

    /**
     * From Play to the first note of the piece, ns: longer than a window's Play button
     * ({@link dev.concerto.director.engine.Scheduler#DEFAULT_START_LEAD_NANOS}), because this command
     * plays right after its JVM started. Players on the same machine (local players, the bench's) spend
     * the director's start-up burst catching up with their audio lines (a sound server stream that ran
     * dry is rebuilt, 0.1-0.3 s); a first chord inside that burst was heard 60-130 ms late or smeared.
     */
    static final long START_LEAD_NANOS = 500_000_000L;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SCORE", description = "the score to play (.json, .mid/.midi, or MusicXML .musicxml/.xml/.mxl)")
    Path score;

    @Mixin
    PlacementOptions placement = new PlacementOptions();

    static final class Target {
        @Option(names = "--roster", paramLabel = "FILE",
                description = "a roster file (JSON) naming the players: name, host, port, protocol, voice. "
                        + "See docs/director.md and docs/roster-example.json.")
        Path roster;

        @Option(names = "--local",
                description = "play to local players started in this process, one per voice (the default without --roster)")
        boolean local;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Target target;

    @Option(names = "--tempo", paramLabel = "BPM",
            description = "tempo in beats per minute of the score's beat unit (default: the score's own)")
    Double tempo;

    @Option(names = "--from", paramLabel = "MEASURE", defaultValue = "1",
            description = "start at this 1-based measure (default: ${DEFAULT-VALUE})")
    int from;

    @Option(names = "--loop",
            description = "loop from the start measure (--from) to the end until Ctrl-C or SIGTERM, which silence "
                    + "every player and exit 0")
    boolean loop;

    @Option(names = "--events", paramLabel = "FILE",
            description = "write one JSON line per datagram sent: t_us, player, dst, hz, deadline_us "
                    + "(times in wall-clock epoch microseconds)")
    Path events;

    @Option(names = "--events-sync",
            description = "with --events: also one line per clock-sync exchange (event sync: t1..t4 as on the wire,"
                    + " each side's monotonic µs; the estimator's outcome; stamped_offset_us, the player's offset notes"
                    + " are stamped with), to diagnose clock estimates")
    boolean eventsSync;

    @Option(names = "--lead-ms", paramLabel = "MS",
            description = "timed players: send each note this long ahead, stamped with the time it must sound, the same"
                    + " for every player (default: chosen per player from its measured path, 50..1000 ms)")
    Integer leadMs;

    @Option(names = "--redundancy", paramLabel = "K",
            description = "timed players: send every message K times, 1..10 (players apply the first copy; default:"
                    + " chosen per player from its measured loss, 1..4)")
    Integer redundancy;

    @picocli.CommandLine.Mixin
    KeyOption key = new KeyOption();

    @Option(names = "--dry-run",
            description = "play nothing: load the score and the roster, probe every timed and auto player with the"
                    + " clock-sync exchange and print its status (reachable or silent, RTT, offset, the protocols it"
                    + " speaks; a plain-integer player's presence cannot be known), as 'concerto players --roster' does;"
                    + " exit 3 when a timed or auto player does not answer")
    boolean dryRun;

    @Option(names = "--sync-timeout-ms", paramLabel = "MS", defaultValue = "1500",
            description = "how long to wait for the first clock-sync answers of timed and auto players, and "
                    + "then for their clocks to settle (about a second), before playing (default: ${DEFAULT-VALUE} "
                    + "ms); a timed player that does not answer stops play with exit code 2, an auto player falls "
                    + "back to the plain integer")
    int syncTimeoutMs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Timeline timeline = placement.compileOrReport(score, spec);
        if (timeline == null) {
            return BAD_INPUT;
        }
        if (from < 1 || from > timeline.measureCount()) {
            err.println("concerto play: --from " + from + " is outside the score's measures 1.." + timeline.measureCount());
            return ENVIRONMENT;
        }
        if (tempo != null && !TempoRange.contains(tempo)) {
            err.println("concerto play: --tempo " + tempo + " is outside " + TempoRange.text());
            return ENVIRONMENT;
        }

        TimedOptions timedOptions;
        try {
            Authenticator auth = key.authenticator();
            if (syncTimeoutMs < 1) {
                throw new IllegalArgumentException("--sync-timeout-ms must be positive");
            }
            timedOptions = TimedOptions.defaults().withAuthenticator(auth).withSyncTimeout(Duration.ofMillis(syncTimeoutMs));
            if (leadMs != null) {
                timedOptions = timedOptions.withLead(leadMs);
            }
            if (redundancy != null) {
                timedOptions = timedOptions.withRedundancy(redundancy);
            }
        } catch (IllegalArgumentException e) {
            err.println("concerto play: " + e.getMessage().replace("lead ", "--lead-ms ").replace("redundancy ", "--redundancy "));
            return ENVIRONMENT;
        }

        Roster roster;
        LocalPlayers local = null;
        if (target != null && target.roster != null) {
            try {
                roster = Roster.load(target.roster);
                roster.validateFor(timeline);
            } catch (RosterException e) {
                err.println("concerto play: " + e.getMessage());
                return BAD_INPUT;
            }
        } else if (dryRun) {
            out.println("--dry-run: " + score + " (" + timeline.measureCount() + " measures) would play to local players"
                    + " started by play itself on 127.0.0.1, one per voice: nothing to probe beforehand");
            return OK;
        } else {
            try {
                local = LocalPlayers.start(timeline, timedOptions.authenticator());
            } catch (IOException | RuntimeException e) {
                err.println("concerto play: cannot start the local players: " + e.getMessage()
                        + " (use --roster FILE to play to other players)");
                return ENVIRONMENT;
            }
            roster = local.roster();
            err.println("local players: " + roster.entries().size() + " on 127.0.0.1, sounding through "
                    + local.outputDescription());
        }

        if (dryRun) {
            return dryRun(timeline, roster, timedOptions, out, err);
        }

        DirectorEngineBuilder builder = DirectorEngine.builder(timeline, roster).options(timedOptions)
                .eventLog(events)
                .syncEvents(eventsSync)
                // This command's own hook below closes the engine first (which silences every player),
                // then the local players.
                .shutdownHook(false)
                .startLead(START_LEAD_NANOS);
        if (tempo != null) {
            builder.tempo(tempo);
        }
        DirectorEngine engine;
        try {
            engine = builder.build();
        } catch (RosterException e) {
            err.println("concerto play: " + e.getMessage());
            closeQuietly(local);
            return BAD_INPUT;
        } catch (IllegalArgumentException e) {
            err.println("concerto play: " + score + ": " + e.getMessage());
            closeQuietly(local);
            return BAD_INPUT;
        } catch (java.nio.file.FileSystemException e) {
            err.println("concerto play: cannot write the events file " + events + ": " + e.getMessage());
            closeQuietly(local);
            return ENVIRONMENT;
        } catch (IOException e) {
            err.println("concerto play: cannot open a UDP socket: " + e.getMessage());
            closeQuietly(local);
            return ENVIRONMENT;
        } catch (PlayerSyncException | java.io.UncheckedIOException e) {
            err.println("concerto play: " + e.getMessage());
            closeQuietly(local);
            return ENVIRONMENT;
        }
        Session session = new Session(engine, local, out, err, loop);
        Thread hook = new Thread(() -> session.finish(true), "concerto-play-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        for (PlayerStream s : engine.streams()) {
            String protocol = s.entry().protocol() == s.protocolInUse() ? s.protocolInUse().key()
                    : s.entry().protocol().key() + " -> " + s.protocolInUse().key();
            err.println("  " + s.entry().name() + " (voice " + s.entry().voice() + ") -> " + s.destination()
                    + " [" + protocol + "]");
        }
        if (engine.leadNanos() > 0) {
            err.printf(Locale.ROOT, "timed players get every note %s, each message %s%n",
                    leadMs != null ? leadMs + " ms ahead (--lead-ms)" : "ahead by a lead chosen from its path",
                    redundancy != null ? redundancy + (redundancy == 1 ? " time" : " times") + " (--redundancy)"
                            : "as many times as its loss calls for");
        }

        Progress progress = new Progress(out, System.console() != null, timeline);
        try {
            if (from > 1) {
                engine.seekToMeasure(from);
            }
            if (loop) {
                engine.setLoop(from, timeline.measureCount());
            }
            engine.play();
            while (!engine.awaitState(PlayCommand::ended, Duration.ofMillis(progress.intervalMillis()))) {
                progress.show(engine.state());
            }
            if (session.finishing()) {
                return 130; // Ctrl-C: the shutdown hook reports and exits
            }
            progress.done(engine.state());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int code = engine.lastError().isPresent() ? BAD_INPUT : OK;
        engine.lastError().ifPresent(e -> err.println("concerto play: stopped by an error: " + e));
        session.finish(false);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // shutting down already
        }
        return code;
    }

    /** {@code --dry-run}: what would be played to whom, and each player's status before Play; sends no note. */
    private int dryRun(Timeline timeline, Roster roster, TimedOptions options, PrintWriter out, PrintWriter err) {
        out.printf(Locale.ROOT, "--dry-run: %s, %d measures, would play to %d players (nothing is played):%n",
                score, timeline.measureCount(), roster.entries().size());
        try {
            List<RosterStatus.Row> rows = RosterStatus.probe(roster.entries(), options, null, DRY_RUN_PROBE_MILLIS);
            RosterStatus.print(rows, false, out, err, "concerto play");
            return RosterStatus.missing(rows) ? ExitCodes.PLAYERS_MISSING : OK;
        } catch (IOException e) {
            err.println("concerto play: cannot open a UDP socket to probe the players: " + e.getMessage());
            return ENVIRONMENT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ENVIRONMENT;
        }
    }

    private static boolean ended(TransportState s) {
        return s.state() == PlayState.STOPPED && s.notesSent() > 0;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing on an error path: the first error is the one reported
            }
        }
    }

    /** What to close and report once, at the end or on Ctrl-C / SIGTERM. */
    private static final class Session {
        private final DirectorEngine engine;
        private final LocalPlayers local;
        private final PrintWriter out;
        private final PrintWriter err;
        private final boolean loop;
        private final AtomicBoolean finished = new AtomicBoolean();

        Session(DirectorEngine engine, LocalPlayers local, PrintWriter out, PrintWriter err, boolean loop) {
            this.engine = engine;
            this.local = local;
            this.out = out;
            this.err = err;
            this.loop = loop;
        }

        boolean finishing() {
            return finished.get();
        }

        void finish(boolean interrupted) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            engine.close(); // silences every player, three times; closes the sockets and the events file
            if (interrupted) {
                out.println();
                out.println(loop ? "stopped: every player silenced" : "interrupted: every player silenced");
            }
            PlaySummary.print(out, engine);
            if (local != null) {
                local.close();
            }
            out.flush();
            err.flush();
            if (interrupted && loop) {
                // --loop only ends this way, so a clean stop is success; the JVM would exit 130/143 for the signal.
                Runtime.getRuntime().halt(OK);
            }
        }
    }

    /** The one-line progress display: carriage-return updates on a console, sparse lines otherwise. */
    static final class Progress {
        private final PrintWriter out;
        private final boolean console;
        private final Timeline timeline;
        private int lastMeasurePrinted = -1;
        private long lastPrintNanos;

        Progress(PrintWriter out, boolean console, Timeline timeline) {
            this.out = out;
            this.console = console;
            this.timeline = timeline;
        }

        long intervalMillis() {
            return console ? 100 : 500;
        }

        static String line(TransportState s, Timeline t) {
            double scale = t.bpm() / s.tempoBpm();
            return String.format(Locale.ROOT, "%-7s measure %3d/%d  %s / %s  %d datagrams sent%s",
                    s.state().name().toLowerCase(Locale.ROOT), s.measure(), s.measureCount(),
                    clock(s.positionSeconds() * scale), clock(t.totalSeconds() * scale), s.notesSent(),
                    s.looping() ? "  (loop " + s.loopFromMeasure() + "-" + s.loopToMeasure() + ")" : "");
        }

        private static String clock(double seconds) {
            long tenths = Math.round(seconds * 10);
            return String.format(Locale.ROOT, "%d:%02d.%d", tenths / 600, (tenths / 10) % 60, tenths % 10);
        }

        void show(TransportState s) {
            if (console) {
                out.print("\r" + line(s, timeline) + "   ");
                out.flush();
                return;
            }
            long now = System.nanoTime();
            // Plain output (a pipe, a log): a line every 4 measures or 10 s, whichever is sooner.
            if (s.measure() != lastMeasurePrinted && (s.measure() % 4 == 1 || now - lastPrintNanos > 10_000_000_000L)) {
                lastMeasurePrinted = s.measure();
                lastPrintNanos = now;
                out.println(line(s, timeline));
                out.flush();
            }
        }

        void done(TransportState s) {
            if (console) {
                out.print("\r");
            }
            out.println(String.format(Locale.ROOT, "finished: %d measures, %d datagrams sent",
                    s.measureCount(), s.notesSent()));
            out.flush();
        }
    }
}
