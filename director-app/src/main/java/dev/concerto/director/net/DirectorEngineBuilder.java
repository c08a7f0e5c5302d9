package dev.concerto.director.net;

import dev.concerto.director.engine.ClockSyncClient;
import dev.concerto.director.engine.DatagramSink;
import dev.concerto.director.engine.PlayerStream;
import dev.concerto.director.engine.PlayerSyncException;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterException;
import dev.concerto.director.engine.Scheduler;
import dev.concerto.director.engine.SendObserver;
import dev.concerto.director.engine.SendPathWarmUp;
import dev.concerto.director.engine.TimedOptions;
import dev.concerto.director.engine.Waiter;
import dev.concerto.director.score.Timeline;
import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Options of a {@link DirectorEngine}, and the way to build one ({@link DirectorEngine#builder}); not thread-safe. */
public final class DirectorEngineBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(DirectorEngineBuilder.class);

    final Timeline timeline;
    final Roster roster;
    TimedOptions options = TimedOptions.defaults();
    Clock clock = Clock.SYSTEM;
    Waiter waiter;
    SendObserver observer;
    Path eventLog;
    boolean syncEvents;
    double tempoBpm;
    boolean shutdownHook = true;
    long startLeadNanos = Scheduler.DEFAULT_START_LEAD_NANOS;
    Set<String> optionalVoices = Set.of();
    List<? extends DatagramSink> sinks;
    int warmUpSends = SendPathWarmUp.DEFAULT_SENDS;

    DirectorEngineBuilder(Timeline timeline, Roster roster) {
        this.timeline = Objects.requireNonNull(timeline, "timeline");
        this.roster = Objects.requireNonNull(roster, "roster");
    }

    /** How timed and auto players are spoken to, and how long to wait for their first sync answers. */
    public DirectorEngineBuilder options(TimedOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return this;
    }

    /** The clock deadlines are read on (default {@link Clock#SYSTEM}). */
    public DirectorEngineBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** How the scheduler waits (default a {@link PreciseWaiter} on the clock). */
    public DirectorEngineBuilder waiter(Waiter waiter) {
        this.waiter = Objects.requireNonNull(waiter, "waiter");
        return this;
    }

    /** Told of every datagram sent, on the scheduler thread. */
    public DirectorEngineBuilder observer(SendObserver observer) {
        this.observer = observer;
        return this;
    }

    /** Writes one JSON line per datagram sent to this file ({@link EventLog}); the engine closes it. */
    public DirectorEngineBuilder eventLog(Path file) {
        this.eventLog = file;
        return this;
    }

    /**
     * Also writes each clock-sync exchange to the events file ({@code "event": "sync"}: its four
     * stamps, what the estimator made of it, the offset notes are stamped with), for diagnosing clock
     * estimates. Off by default: an exchange per player every half second.
     */
    public DirectorEngineBuilder syncEvents(boolean on) {
        this.syncEvents = on;
        return this;
    }

    /** The starting tempo in beats per minute (default: the score's). */
    public DirectorEngineBuilder tempo(double bpm) {
        this.tempoBpm = DirectorEngine.checkedBpm(bpm);
        return this;
    }

    /**
     * Delay from a play, resume or seek to the first datagram it schedules, ns, &ge; 0 (default
     * {@value Scheduler#DEFAULT_START_LEAD_NANOS}).
     */
    public DirectorEngineBuilder startLead(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("negative start lead");
        }
        this.startLeadNanos = nanos;
        return this;
    }

    /** Whether a JVM shutdown hook silences every player (default true). */
    public DirectorEngineBuilder shutdownHook(boolean enabled) {
        this.shutdownHook = enabled;
        return this;
    }

    /** Voices that may go without a player without a warning (extra voices of a final chord). */
    public DirectorEngineBuilder optionalVoices(Set<String> voices) {
        this.optionalVoices = Set.copyOf(voices);
        return this;
    }

    /**
     * How many datagrams the start-up writes into throwaway streams before the real engine starts
     * ({@link SendPathWarmUp}; default {@value SendPathWarmUp#DEFAULT_SENDS}, 0: none). Nothing of it is
     * sent or counted.
     */
    public DirectorEngineBuilder warmUp(int sends) {
        if (sends < 0) {
            throw new IllegalArgumentException("negative warm-up");
        }
        this.warmUpSends = sends;
        return this;
    }

    /**
     * Where each player's datagrams go instead of UDP (tests, in memory): one sink per roster
     * entry; replies are then handed in with {@link DirectorEngine#received}.
     */
    public DirectorEngineBuilder sinks(List<? extends DatagramSink> sinks) {
        this.sinks = List.copyOf(sinks);
        return this;
    }

    /**
     * Opens the links (unless {@link #sinks} were given), starts the scheduler and receive
     * threads and, with timed or auto players, waits (up to the options' sync timeout) until
     * each has answered {@value DirectorEngine#WANTED_ANSWERS} sync requests: an {@code auto}
     * player that never answers is played with the plain integer. Then, so that the first notes are
     * stamped with a settled clock estimate, until each has answered
     * {@value DirectorEngine#SETTLED_ANSWERS} (about a second; at most 1.5 s). On failure nothing is left
     * open or running.
     *
     * @throws RosterException          when the roster is invalid or a host does not resolve
     * @throws IOException              when a socket or the event log cannot be opened
     * @throws IllegalArgumentException when a note's frequency cannot go on the wire
     * @throws PlayerSyncException      when a {@code timed} player does not answer clock sync
     */
    public DirectorEngine build() throws RosterException, IOException {
        roster.validate();
        SendPathWarmUp.Result warm = warmUp();
        long now = clock.nanoTime();
        long firstSeq = PlayerStream.firstSeq(clock.epochMicros());
        List<UdpLink> links = null;
        List<DatagramSink> targets = new ArrayList<>();
        List<String> destinations = new ArrayList<>();
        List<Boolean> sameHost = new ArrayList<>();
        if (sinks != null) {
            if (sinks.size() != roster.entries().size()) {
                throw new IllegalArgumentException(sinks.size() + " sinks for " + roster.entries().size() + " players");
            }
            targets.addAll(sinks);
            roster.entries().forEach(e -> {
                destinations.add(e.host() + ":" + e.port());
                sameHost.add(false); // in memory: judged by the exchanges alone
            });
        } else {
            links = openLinks(ResolvedPlayer.resolve(roster), clock);
            targets.addAll(links);
            links.forEach(l -> {
                destinations.add(l.player().destination());
                sameHost.add(l.player().onThisMachine());
            });
        }
        List<PlayerStream> streams = new ArrayList<>();
        for (int p = 0; p < roster.entries().size(); p++) {
            streams.add(new PlayerStream(roster.entries().get(p), destinations.get(p), targets.get(p), options,
                    firstSeq, now, sameHost.get(p), ClockSyncClient.Schedule.forRoster(roster.entries().size(), p)));
        }
        EventLog log = null;
        DirectorEngine engine = null;
        try {
            if (eventLog != null) {
                log = new EventLog(eventLog, streams.stream().map(s -> s.entry().name()).toList(), destinations,
                        clock, syncEvents);
            }
            engine = new DirectorEngine(this, streams, links, log, warm);
            engine.thread.start();
            engine.probe(options.syncTimeout());
        } catch (IOException | RuntimeException e) {
            if (engine != null) {
                engine.abandon(); // nothing was played: no silence to send
            } else {
                if (log != null) {
                    log.close();
                }
                if (links != null) {
                    links.forEach(UdpLink::close);
                }
            }
            throw e;
        }
        if (engine.shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(engine.shutdownHook);
        }
        return engine;
    }

    /** Runs the send path's warm-up; a failure is logged, never thrown (not worth failing a piece for). */
    private SendPathWarmUp.Result warmUp() {
        if (warmUpSends == 0) {
            return SendPathWarmUp.Result.NONE;
        }
        long t0 = System.nanoTime();
        try {
            // The scheduler reads its thread's CPU time around every burst of notes (SendBudget); the real
            // clock looks its reader up at the first read, 50-60 ms of JMX start-up on the 2-core VM, which
            // made the first notes of a piece leave 13-110 ms late. Looked up here, before anything is due.
            clock.threadCpuNanos();
            SendPathWarmUp.Result r = SendPathWarmUp.run(timeline, roster.entries(), options, warmUpSends);
            LOG.debug("send path warmed up in {} ms: {} datagrams into throwaway streams, none sent",
                    (System.nanoTime() - t0) / 1_000_000, r.datagrams());
            return r;
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("warming up the send path: {}", e.toString());
            return SendPathWarmUp.Result.NONE;
        }
    }

    private static List<UdpLink> openLinks(List<ResolvedPlayer> players, Clock clock) throws IOException {
        List<UdpLink> links = new ArrayList<>();
        try {
            for (ResolvedPlayer p : players) {
                links.add(UdpLink.open(p, clock));
            }
        } catch (IOException | RuntimeException e) {
            links.forEach(UdpLink::close);
            throw e;
        }
        return links;
    }
}
