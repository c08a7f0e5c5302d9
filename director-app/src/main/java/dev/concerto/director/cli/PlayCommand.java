package dev.concerto.director.cli;

import static dev.concerto.director.cli.ExitCodes.BAD_INPUT;
import static dev.concerto.director.cli.ExitCodes.ENVIRONMENT;
import static dev.concerto.director.cli.ExitCodes.OK;

import dev.concerto.director.engine.DirectorEngine;
import dev.concerto.director.engine.EventLog;
import dev.concerto.director.engine.LocalPlayers;
import dev.concerto.director.engine.PlayState;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterException;
import dev.concerto.director.engine.ScheduleAccuracy;
import dev.concerto.director.engine.Sender;
import dev.concerto.director.engine.TransportState;
import dev.concerto.director.score.ScoreException;
import dev.concerto.director.score.Scores;
import dev.concerto.director.score.TempoRange;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.engine.PlayerSyncException;
import dev.concerto.director.engine.TimedOptions;
import dev.concerto.director.engine.TimedSender;
import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.ClockSync;
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
                "Exit codes: 0 played to the end, 1 bad score or roster (the message names file and field), "
                        + "2 usage or environment error (a port in use, a socket that cannot open)."})
public final class PlayCommand implements Callable<Integer> {


    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SCORE", description = "the score to play (.json, or .mid/.midi)")
    Path score;

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
            description = "loop from the start measure (--from) to the end until Ctrl-C")
    boolean loop;

    @Option(names = "--events", paramLabel = "FILE",
            description = "write one JSON line per datagram sent: t_us, player, dst, hz, deadline_us "
                    + "(times in wall-clock epoch microseconds)")
    Path events;

    @Option(names = "--lead-ms", paramLabel = "MS", defaultValue = "" + TimedOptions.DEFAULT_LEAD_MILLIS,
            description = "timed players: send each note this long ahead, stamped with the time it must sound "
                    + "(default: ${DEFAULT-VALUE} ms, for loopback and wired LANs; use at least 300 on Wi-Fi)")
    int leadMs;

    @Option(names = "--redundancy", paramLabel = "K", defaultValue = "1",
            description = "timed players: send every message K times, 1..10 (players apply the first copy; "
                    + "default: ${DEFAULT-VALUE})")
    int redundancy;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "timed players: sign every message with this shared key (HMAC-SHA256, at least 16 bytes; "
                    + "the file's bytes as they are) and accept only signed clock-sync replies")
    Path keyFile;

    @Option(names = "--sync-timeout-ms", paramLabel = "MS", defaultValue = "1500",
            description = "how long to wait for the first clock-sync answers of timed and auto players before "
                    + "playing (default: ${DEFAULT-VALUE} ms); a timed player that does not answer stops play "
                    + "with exit code 2, an auto player falls back to the plain integer")
    int syncTimeoutMs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Timeline timeline;
        try {
            timeline = Scores.loadTimeline(score);
        } catch (ScoreException e) {
            err.println("concerto play: " + e.getMessage());
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
            Authenticator auth = null;
            if (keyFile != null) {
                auth = new Authenticator(java.nio.file.Files.readAllBytes(keyFile));
            }
            if (syncTimeoutMs < 1) {
                throw new IllegalArgumentException("--sync-timeout-ms must be positive");
            }
            timedOptions = TimedOptions.defaults().withLead(leadMs).withRedundancy(redundancy).withAuthenticator(auth)
                    .withSyncTimeout(Duration.ofMillis(syncTimeoutMs));
        } catch (IOException e) {
            err.println("concerto play: cannot read the key file " + keyFile + ": " + e.getMessage());
            return ENVIRONMENT;
        } catch (IllegalArgumentException e) {
            err.println("concerto play: " + (keyFile != null && e.getMessage().contains("key") ? keyFile + ": " : "")
                    + e.getMessage().replace("lead ", "--lead-ms ").replace("redundancy ", "--redundancy "));
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

        List<Sender> senders;
        try {
            senders = DirectorEngine.openSenders(roster, timedOptions, Clock.SYSTEM);
        } catch (RosterException e) {
            err.println("concerto play: " + e.getMessage());
            closeQuietly(local);
            return BAD_INPUT;
        } catch (IOException e) {
            err.println("concerto play: cannot open a UDP socket: " + e.getMessage());
            closeQuietly(local);
            return ENVIRONMENT;
        }
        EventLog log = null;
        if (events != null) {
            try {
                log = new EventLog(events, senders, Clock.SYSTEM);
            } catch (IOException e) {
                err.println("concerto play: cannot write the events file " + events + ": " + e.getMessage());
                senders.forEach(Sender::close);
                closeQuietly(local);
                return ENVIRONMENT;
            }
        }

        DirectorEngine.Builder builder = DirectorEngine.builder(timeline, senders).observer(log)
                .syncTimeout(timedOptions.syncTimeout())
                // This command's own hook below closes the engine first (which silences every player),
                // then the event log and the local players, in that order.
                .shutdownHook(false);
        if (tempo != null) {
            builder.tempo(tempo);
        }
        DirectorEngine engine;
        try {
            engine = builder.build();
        } catch (IllegalArgumentException e) {
            err.println("concerto play: " + score + ": " + e.getMessage());
            senders.forEach(Sender::close);
            closeQuietly(log);
            closeQuietly(local);
            return BAD_INPUT;
        } catch (PlayerSyncException | java.io.UncheckedIOException e) {
            err.println("concerto play: " + e.getMessage());
            senders.forEach(Sender::close);
            closeQuietly(log);
            closeQuietly(local);
            return ENVIRONMENT;
        }
        Session session = new Session(engine, log, local, out, err);
        Thread hook = new Thread(() -> session.finish(true), "concerto-play-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        for (Sender s : engine.senders()) {
            String protocol = s.entry().protocol().key().equals(s.protocolInUse()) ? s.protocolInUse()
                    : s.entry().protocol() + " -> " + s.protocolInUse();
            err.println("  " + s.entry().name() + " (voice " + s.entry().voice() + ") -> " + s.destination()
                    + " [" + protocol + "]");
        }
        if (engine.leadNanos() > 0) {
            err.printf(Locale.ROOT, "timed players get every note %d ms ahead (--lead-ms)%s%n", leadMs,
                    redundancy > 1 ? ", each message " + redundancy + " times" : "");
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

    /** What to close and report once, at the end or on Ctrl-C. */
    private static final class Session {
        private final DirectorEngine engine;
        private final EventLog log;
        private final LocalPlayers local;
        private final PrintWriter out;
        private final PrintWriter err;
        private final AtomicBoolean finished = new AtomicBoolean();

        Session(DirectorEngine engine, EventLog log, LocalPlayers local, PrintWriter out, PrintWriter err) {
            this.engine = engine;
            this.log = log;
            this.local = local;
            this.out = out;
            this.err = err;
        }

        boolean finishing() {
            return finished.get();
        }

        void finish(boolean interrupted) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            engine.close(); // silences every player, three times
            if (interrupted) {
                out.println();
                out.println("interrupted: every player silenced");
            }
            ScheduleAccuracy a = engine.accuracy();
            out.printf(Locale.ROOT, "schedule accuracy (send - deadline, %d scheduled datagrams): p50 %d us, p99 %d us, max %d us%n",
                    a.count(), a.p50Micros(), a.p99Micros(), a.maxMicros());
            out.printf(Locale.ROOT, "drift at the end (last send - its deadline): %d us%n", a.lastMicros());
            ScheduleAccuracy w = engine.wakeAccuracy();
            out.printf(Locale.ROOT, "  of which the scheduler's wake-up (send call start - deadline): p50 %d us, p99 %d us, max %d us; "
                    + "the rest is the operating system taking the datagram%n", w.p50Micros(), w.p99Micros(), w.maxMicros());
            printClockSync(out, engine.senders());
            long unreachable = engine.unreachableCount();
            long dropped = engine.senders().stream().mapToLong(Sender::droppedCount).sum();
            if (unreachable > 0 || dropped > 0) {
                out.printf(Locale.ROOT, "network: %d datagrams dropped, %d port-unreachable reports (is every player listening?)%n",
                        dropped, unreachable);
            }
            if (log != null) {
                log.close();
                out.printf(Locale.ROOT, "events: %d lines written%s%n", log.written(),
                        log.lost() > 0 ? ", " + log.lost() + " lost (queue full)" : "");
            }
            if (local != null) {
                local.close();
            }
            out.flush();
            err.flush();
        }
    }

    /** One line per player: the clock-sync figures of timed players, the protocol of the others. */
    static void printClockSync(PrintWriter out, List<Sender> senders) {
        for (Sender s : senders) {
            ClockSync.Estimate e = s.clockEstimate();
            if (e == null) {
                out.printf(Locale.ROOT, "player %s: %s, no clock sync%n", s.entry().name(), s.protocolInUse());
                continue;
            }
            String extra = "";
            if (s instanceof TimedSender t) {
                extra = String.format(Locale.ROOT, "; %d/%d sync answers, %d tone messages (%d lease extensions)",
                        t.syncReplyCount(), t.syncRequestCount(), t.toneCount(), t.extensionCount());
            }
            out.printf(Locale.ROOT, "player %s: timed, clock offset %+.3f ms, RTT %.3f ms, jitter %.3f ms, drift %+.1f ppm "
                    + "(%d samples)%s%n", s.entry().name(), e.offsetMicros() / 1000.0, e.rttMicros() / 1000.0,
                    e.jitterMicros() / 1000.0, e.driftPpm(), e.samples(), extra);
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
