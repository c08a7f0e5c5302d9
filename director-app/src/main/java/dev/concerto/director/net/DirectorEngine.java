package dev.concerto.director.net;

import dev.concerto.director.engine.DatagramSink;
import dev.concerto.director.engine.PlayState;
import dev.concerto.director.engine.PlayerStream;
import dev.concerto.director.engine.PlayerSyncException;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.engine.RosterException;
import dev.concerto.director.engine.ScheduleAccuracy;
import dev.concerto.director.engine.ScheduleMeter;
import dev.concerto.director.engine.Scheduler;
import dev.concerto.director.engine.SendObserver;
import dev.concerto.director.engine.TimedOptions;
import dev.concerto.director.engine.Transport;
import dev.concerto.director.engine.TransportState;
import dev.concerto.director.engine.Waiter;
import dev.concerto.director.score.Timeline;
import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The director's engine, a thin composition the CLI and the GUI both use: one {@link UdpLink} per
 * roster player, the pure {@link Scheduler} with one {@link PlayerStream} per player, the
 * {@link ScheduleMeter}, an optional {@link EventLog}, and the {@link Transport} state published to
 * listeners.
 *
 * <h2>Threads</h2>
 * One scheduler thread (started by {@link Builder#build()}, ended by {@link #close()}) runs the
 * scheduler: it waits for the next deadline ({@link Waiter}: park, then spin for precise work;
 * park only for sync requests and lease renewals), writes every datagram of every player, and
 * applies transport commands, which any thread puts on a lock-free queue. One receive thread
 * ({@link ReplyReceiver}) reads clock-sync replies and hands them, stamped with their arrival
 * time, to another lock-free queue the scheduler thread drains. Listeners are called on the
 * scheduler thread.
 *
 * <h2>Silence</h2>
 * On stop, pause, the end, an error, {@link #close()} and JVM shutdown (a shutdown hook) every
 * player is silenced ({@link dev.concerto.director.engine.Silence}).
 */
public final class DirectorEngine implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(DirectorEngine.class);

    /** The slowest and fastest tempo accepted, in beats per minute. */
    public static final double MIN_BPM = 1;
    public static final double MAX_BPM = 2_000;
    /** Clock-sync answers wanted from each timed player before playing (of the first burst). */
    static final int WANTED_ANSWERS = 4;

    private sealed interface Command {
    }

    private record Play() implements Command {
    }

    private record Pause() implements Command {
    }

    private record Resume() implements Command {
    }

    private record Stop() implements Command {
    }

    private record Seek(int measure) implements Command {
    }

    private record SetLoop(int from, int to) implements Command {
    }

    private record ClearLoop() implements Command {
    }

    private record SetTempo(double bpm) implements Command {
    }

    private record Close() implements Command {
    }

    /** Runs on the scheduler thread (settling the probe, publishing fresh figures). */
    private record Task(Runnable run) implements Command {
    }

    /** A datagram from a player, with its arrival time on the engine's clock. */
    private record Arrival(int player, byte[] datagram, long nanos) {
    }

    /** How often a snapshot is published while nothing else publishes (new clock-sync figures), ns. */
    private static final long REFRESH_NANOS = 1_000_000_000L;

    private final Timeline timeline;
    private final Scheduler scheduler;
    private final List<PlayerStream> streams;
    private final List<UdpLink> links;
    private final ReplyReceiver receiver;
    private final EventLog eventLog;
    private final Clock clock;
    private final Waiter waiter;
    private final ScheduleMeter meter = new ScheduleMeter();
    private final Queue<Command> commands = new ConcurrentLinkedQueue<>();
    private final Queue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    private final List<Consumer<TransportState>> listeners = new CopyOnWriteArrayList<>();
    private final Set<Consumer<TransportState>> failedListeners = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Thread thread;
    private final Thread shutdownHook;
    private volatile TransportState state;
    private volatile Throwable lastError;
    private volatile boolean closed;
    private volatile boolean silenceOnClose = true;
    private long lastPublishNanos;
    /** Whether snapshots are refreshed now and then for new clock-sync figures (timed players only). */
    private final boolean refreshes;

    private DirectorEngine(Builder b, List<PlayerStream> streams, List<UdpLink> links, EventLog eventLog)
            throws IOException {
        this.timeline = b.timeline;
        this.streams = List.copyOf(streams);
        this.links = links;
        this.eventLog = eventLog;
        this.clock = b.clock;
        this.waiter = b.waiter != null ? b.waiter : new PreciseWaiter(b.clock);
        SendObserver observer = b.observer;
        if (eventLog != null) {
            observer = observer == null ? eventLog : both(observer, eventLog);
        }
        this.scheduler = new Scheduler(timeline, streams, clock, meter, observer, b.startLeadNanos, b.tempoBpm,
                b.optionalVoices);
        this.state = scheduler.snapshot(clock.nanoTime());
        this.refreshes = streams.stream().anyMatch(s -> s.clockSync() != null);
        if (links != null) {
            List<UdpLink> answering = new ArrayList<>();
            List<Integer> indices = new ArrayList<>();
            for (int p = 0; p < streams.size(); p++) {
                if (streams.get(p).clockSync() != null) {
                    answering.add(links.get(p));
                    indices.add(p);
                }
            }
            this.receiver = answering.isEmpty() ? null : new ReplyReceiver(answering,
                    indices.stream().mapToInt(Integer::intValue).toArray(), clock, this::received);
        } else {
            this.receiver = null;
        }
        this.thread = new Thread(this::run, "concerto-scheduler");
        thread.setDaemon(true);
        this.shutdownHook = b.shutdownHook ? new Thread(this::silenceOnExit, "concerto-silence-on-exit") : null;
    }

    private static SendObserver both(SendObserver a, SendObserver b) {
        return (player, hz, deadline, sent) -> {
            a.onSend(player, hz, deadline, sent);
            b.onSend(player, hz, deadline, sent);
        };
    }

    /**
     * Opens a UDP link to every player of a roster (resolving each host once) and builds an engine
     * on the system clock with a shutdown hook and default timed-protocol options.
     *
     * @throws RosterException     when the roster is invalid or a host does not resolve
     * @throws IOException         when a socket cannot be opened
     * @throws PlayerSyncException when a {@code timed} player does not answer clock sync
     */
    public static DirectorEngine open(Timeline timeline, Roster roster) throws RosterException, IOException {
        return builder(timeline, roster).build();
    }

    /** As {@link #open(Timeline, Roster)}, with the options of the timed protocol. */
    public static DirectorEngine open(Timeline timeline, Roster roster, TimedOptions options)
            throws RosterException, IOException {
        return builder(timeline, roster).options(options).build();
    }

    /** Starts building an engine that plays a timeline to the players of a roster. */
    public static Builder builder(Timeline timeline, Roster roster) {
        return new Builder(timeline, roster);
    }

    /** Options of an engine; not thread-safe. */
    public static final class Builder {
        private final Timeline timeline;
        private final Roster roster;
        private TimedOptions options = TimedOptions.defaults();
        private Clock clock = Clock.SYSTEM;
        private Waiter waiter;
        private SendObserver observer;
        private Path eventLog;
        private double tempoBpm;
        private boolean shutdownHook = true;
        private long startLeadNanos = Scheduler.DEFAULT_START_LEAD_NANOS;
        private Set<String> optionalVoices = Set.of();
        private List<? extends DatagramSink> sinks;

        private Builder(Timeline timeline, Roster roster) {
            this.timeline = Objects.requireNonNull(timeline, "timeline");
            this.roster = Objects.requireNonNull(roster, "roster");
        }

        /** How timed and auto players are spoken to, and how long to wait for their first sync answers. */
        public Builder options(TimedOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** The clock deadlines are read on (default {@link Clock#SYSTEM}). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How the scheduler waits (default a {@link PreciseWaiter} on the clock). */
        public Builder waiter(Waiter waiter) {
            this.waiter = Objects.requireNonNull(waiter, "waiter");
            return this;
        }

        /** Told of every datagram sent, on the scheduler thread. */
        public Builder observer(SendObserver observer) {
            this.observer = observer;
            return this;
        }

        /** Writes one JSON line per datagram sent to this file ({@link EventLog}); the engine closes it. */
        public Builder eventLog(Path file) {
            this.eventLog = file;
            return this;
        }

        /** The starting tempo in beats per minute (default: the score's). */
        public Builder tempo(double bpm) {
            this.tempoBpm = checkedBpm(bpm);
            return this;
        }

        /**
         * Delay from a play, resume or seek to the first datagram it schedules, ns, &ge; 0 (default
         * {@value Scheduler#DEFAULT_START_LEAD_NANOS}).
         */
        public Builder startLead(long nanos) {
            if (nanos < 0) {
                throw new IllegalArgumentException("negative start lead");
            }
            this.startLeadNanos = nanos;
            return this;
        }

        /** Whether a JVM shutdown hook silences every player (default true). */
        public Builder shutdownHook(boolean enabled) {
            this.shutdownHook = enabled;
            return this;
        }

        /** Voices that may go without a player without a warning (extra voices of a final chord). */
        public Builder optionalVoices(Set<String> voices) {
            this.optionalVoices = Set.copyOf(voices);
            return this;
        }

        /**
         * Where each player's datagrams go instead of UDP (tests, in memory): one sink per roster
         * entry; replies are then handed in with {@link DirectorEngine#received}.
         */
        public Builder sinks(List<? extends DatagramSink> sinks) {
            this.sinks = List.copyOf(sinks);
            return this;
        }

        /**
         * Opens the links (unless {@link #sinks} were given), starts the scheduler and receive
         * threads and, with timed or auto players, waits (up to the options' sync timeout) until
         * each has answered {@value DirectorEngine#WANTED_ANSWERS} sync requests: an {@code auto}
         * player that never answers is played with the plain integer. On failure nothing is left
         * open or running.
         *
         * @throws RosterException          when the roster is invalid or a host does not resolve
         * @throws IOException              when a socket or the event log cannot be opened
         * @throws IllegalArgumentException when a note's frequency cannot go on the wire
         * @throws PlayerSyncException      when a {@code timed} player does not answer clock sync
         */
        public DirectorEngine build() throws RosterException, IOException {
            roster.validate();
            long now = clock.nanoTime();
            long firstSeq = PlayerStream.firstSeq(clock.epochMicros());
            List<UdpLink> links = null;
            List<DatagramSink> targets = new ArrayList<>();
            List<String> destinations = new ArrayList<>();
            if (sinks != null) {
                if (sinks.size() != roster.entries().size()) {
                    throw new IllegalArgumentException(sinks.size() + " sinks for " + roster.entries().size() + " players");
                }
                targets.addAll(sinks);
                roster.entries().forEach(e -> destinations.add(e.host() + ":" + e.port()));
            } else {
                links = openLinks(ResolvedPlayer.resolve(roster), clock);
                targets.addAll(links);
                links.forEach(l -> destinations.add(l.player().destination()));
            }
            List<PlayerStream> streams = new ArrayList<>();
            for (int p = 0; p < roster.entries().size(); p++) {
                streams.add(new PlayerStream(roster.entries().get(p), destinations.get(p), targets.get(p), options,
                        firstSeq, now));
            }
            EventLog log = null;
            DirectorEngine engine = null;
            try {
                if (eventLog != null) {
                    log = new EventLog(eventLog, streams.stream().map(s -> s.entry().name()).toList(), destinations,
                            clock);
                }
                engine = new DirectorEngine(this, streams, links, log);
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

    /** Waits for the first sync answers, then settles every stream's protocol on the scheduler thread. */
    private void probe(Duration timeout) {
        if (streams.stream().noneMatch(s -> s.clockSync() != null)) {
            return;
        }
        long end = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < end && !scheduler.answeredAtLeast(WANTED_ANSWERS)) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CompletableFuture<List<PlayerStream>> settled = new CompletableFuture<>();
        submit(new Task(() -> {
            List<PlayerStream> silentOnes = scheduler.settle();
            publish(); // the state shows each player's clock and protocol from the start
            settled.complete(silentOnes);
        }));
        List<PlayerStream> silent;
        try {
            silent = settled.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while settling clock sync", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the scheduler did not settle clock sync", e);
        }
        for (PlayerStream s : streams) {
            if (s.entry().protocol() == dev.concerto.director.engine.Protocol.AUTO
                    && s.protocolInUse() == dev.concerto.director.engine.Protocol.LEGACY) {
                LOG.info("player '{}' at {} did not answer clock sync: playing it with the plain integer",
                        s.entry().name(), s.destination());
            }
        }
        if (!silent.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (PlayerStream s : silent) {
                long rejected = s.clockSync().rejectedCount();
                names.add("'" + s.entry().name() + "' at " + s.destination() + (rejected > 0
                        ? " (" + rejected + " replies rejected: unsigned, forged or malformed; does it hold the same key?)"
                        : ""));
            }
            throw new PlayerSyncException("no clock-sync answer within " + timeout.toMillis() + " ms from "
                    + String.join(", ", names) + " (protocol timed): is a timed-protocol player running there? "
                    + "Use protocol auto to fall back to the plain integer, or legacy for an ESP8266");
        }
    }

    private static double checkedBpm(double bpm) {
        if (!(bpm >= MIN_BPM && bpm <= MAX_BPM)) {
            throw new IllegalArgumentException("tempo " + bpm + " bpm is outside " + MIN_BPM + ".." + MAX_BPM);
        }
        return bpm;
    }

    // ---------------------------------------------------------------- Transport (any thread)

    @Override
    public void play() {
        submit(new Play());
    }

    @Override
    public void pause() {
        submit(new Pause());
    }

    @Override
    public void resume() {
        submit(new Resume());
    }

    @Override
    public void stop() {
        submit(new Stop());
    }

    /** @throws IllegalArgumentException unless {@code 1 <= measure <= measureCount} */
    @Override
    public void seekToMeasure(int measure) {
        checkMeasure(measure);
        submit(new Seek(measure));
    }

    /** @throws IllegalArgumentException unless {@code 1 <= fromMeasure <= toMeasure <= measureCount} */
    @Override
    public void setLoop(int fromMeasure, int toMeasure) {
        checkMeasure(fromMeasure);
        checkMeasure(toMeasure);
        if (fromMeasure > toMeasure) {
            throw new IllegalArgumentException("loop from measure " + fromMeasure + " to " + toMeasure + " runs backwards");
        }
        submit(new SetLoop(fromMeasure, toMeasure));
    }

    @Override
    public void clearLoop() {
        submit(new ClearLoop());
    }

    /** @throws IllegalArgumentException unless {@value #MIN_BPM} &le; bpm &le; {@value #MAX_BPM} */
    @Override
    public void setTempo(double bpm) {
        submit(new SetTempo(checkedBpm(bpm)));
    }

    @Override
    public TransportState state() {
        return state;
    }

    @Override
    public void addListener(Consumer<TransportState> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(Consumer<TransportState> listener) {
        listeners.remove(listener);
    }

    /**
     * Hands in a datagram that arrived from player {@code player} (roster index) at
     * {@code arrivalNanos} on the engine's clock: the receive loop calls it, and tests on
     * {@link Builder#sinks in-memory sinks}. Thread-safe, lock-free; the scheduler thread takes it.
     */
    public void received(int player, byte[] datagram, long arrivalNanos) {
        arrivals.add(new Arrival(player, datagram, arrivalNanos));
    }

    /**
     * Stops (silencing every player), ends the scheduler thread (waiting up to 2 s for it, unless
     * called on that thread), then closes the receive loop, the links and the event log. Idempotent.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            commands.add(new Close());
            waiter.wake();
        }
        if (Thread.currentThread() != thread) {
            if (thread.isAlive()) {
                try {
                    thread.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (thread.isAlive()) {
                LOG.warn("the scheduler thread did not stop within 2 s; closing the sockets without it");
            }
            release();
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running or has run
            }
        }
    }

    /** Closes without silencing anyone (a build that failed before anything was played). */
    private void abandon() {
        silenceOnClose = false;
        close();
    }

    private synchronized void release() {
        if (receiver != null) {
            receiver.close();
        }
        if (links != null) {
            links.forEach(UdpLink::close);
        }
        if (eventLog != null) {
            eventLog.close();
        }
    }

    /** The shutdown hook: stop the scheduler, which silences everyone, and release the sockets. */
    void silenceOnExit() {
        close();
    }

    // ---------------------------------------------------------------- extras for CLI and GUI

    /** The roster this engine plays to, in order. */
    public List<RosterEntry> roster() {
        return streams.stream().map(PlayerStream::entry).toList();
    }

    /** Each player's stream (protocol in use, counters, clock estimate), in roster order. */
    public List<PlayerStream> streams() {
        return streams;
    }

    /** Each player's UDP link (sent, dropped, unreachable), in roster order; empty with in-memory sinks. */
    public List<UdpLink> links() {
        return links == null ? List.of() : links;
    }

    /** The event log, when one was asked for. */
    public Optional<EventLog> eventLog() {
        return Optional.ofNullable(eventLog);
    }

    /** The timeline being played. */
    public Timeline timeline() {
        return timeline;
    }

    /** The last error that stopped the scheduler mid-piece, if any (it then silenced every player). */
    public Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Datagrams reported port-unreachable, summed over all players. */
    public long unreachableCount() {
        return links().stream().mapToLong(UdpLink::unreachableCount).sum();
    }

    /** Datagrams dropped (buffer full, errors, unreachable), summed over all players. */
    public long droppedCount() {
        return links().stream().mapToLong(UdpLink::droppedCount).sum();
    }

    /** Schedule accuracy since the engine was built (when each send returned). Thread-safe. */
    public ScheduleAccuracy accuracy() {
        return meter.accuracy();
    }

    /** As {@link #accuracy()}, measured when each send call started. Thread-safe. */
    public ScheduleAccuracy wakeAccuracy() {
        return meter.wakeAccuracy();
    }

    /** How far ahead of its due time each change is handed to the streams, ns. */
    public long leadNanos() {
        return scheduler.leadNanos();
    }

    /**
     * Waits until the state satisfies a condition. Returns at once when it already does.
     *
     * @return whether it did within the timeout
     */
    public boolean awaitState(Predicate<TransportState> condition, Duration timeout) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        Consumer<TransportState> l = s -> {
            if (condition.test(s)) {
                latch.countDown();
            }
        };
        addListener(l);
        try {
            return condition.test(state) || latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            removeListener(l);
        }
    }

    private void submit(Command c) {
        if (closed) {
            throw new IllegalStateException("the engine is closed");
        }
        commands.add(c);
        waiter.wake();
    }

    private void checkMeasure(int measure) {
        if (measure < 1 || measure > timeline.measureCount()) {
            throw new IllegalArgumentException("measure " + measure + " is outside 1.." + timeline.measureCount());
        }
    }

    // ---------------------------------------------------------------- the scheduler thread

    private void run() {
        boolean closing = false;
        try {
            while (!(closing && !scheduler.silencing())) {
                try {
                    drainArrivals();
                    if (!scheduler.silencing() && !closing) {
                        closing = drainCommands();
                    }
                    scheduler.runDue(clock.nanoTime());
                    publishIfWanted();
                    if (closing) {
                        if (scheduler.silencing()) {
                            waiter.awaitDeadline(scheduler.nextPreciseNanos());
                        }
                        continue;
                    }
                    long precise = scheduler.nextPreciseNanos();
                    long rough = refreshes ? Math.min(scheduler.nextRoughNanos(), lastPublishNanos + REFRESH_NANOS)
                            : scheduler.nextRoughNanos();
                    if (precise == Long.MAX_VALUE && rough == Long.MAX_VALUE) {
                        waiter.awaitWake();
                        continue;
                    }
                    if (precise <= rough) {
                        waiter.awaitDeadline(precise);
                    } else {
                        waiter.awaitRoughly(rough);
                    }
                } catch (RuntimeException | Error e) {
                    lastError = e;
                    LOG.error("the scheduler failed at {}s (measure {}); silencing every player",
                            String.format("%.3f", scheduler.positionSeconds()),
                            timeline.measureAt(scheduler.positionSeconds()), e);
                    scheduler.halt(clock.nanoTime());
                    if (e instanceof VirtualMachineError) {
                        throw e;
                    }
                }
            }
        } finally {
            publish();
        }
    }

    private void drainArrivals() {
        Arrival a;
        while ((a = arrivals.poll()) != null) {
            scheduler.onDatagram(a.player(), a.datagram(), a.datagram().length, a.nanos());
        }
    }

    /** @return true when the engine is to close (the scheduler then silences everyone) */
    private boolean drainCommands() {
        Command c;
        while ((c = commands.poll()) != null) {
            long now = clock.nanoTime();
            if (c instanceof Close) {
                if (silenceOnClose) {
                    scheduler.halt(now);
                }
                return true;
            }
            apply(c, now);
            if (scheduler.silencing()) {
                break; // the rest waits until the silence is complete
            }
        }
        return false;
    }

    private void apply(Command c, long now) {
        if (c instanceof Play) {
            scheduler.play(now);
        } else if (c instanceof Resume) {
            scheduler.resume(now);
        } else if (c instanceof Pause) {
            scheduler.pause(now);
        } else if (c instanceof Stop) {
            scheduler.stop(now);
        } else if (c instanceof Seek s) {
            scheduler.seek(s.measure(), now);
        } else if (c instanceof SetLoop l) {
            scheduler.setLoop(l.from(), l.to());
        } else if (c instanceof ClearLoop) {
            scheduler.clearLoop();
        } else if (c instanceof SetTempo t) {
            scheduler.setTempo(t.bpm(), now);
        } else if (c instanceof Task t) {
            t.run().run();
        }
    }

    /** Publishes when the scheduler asks, or now and then for fresh clock-sync figures; never mid-silence. */
    private void publishIfWanted() {
        if (scheduler.silencing()) {
            return; // a stop, pause or end is published once every player has been silenced
        }
        long now = clock.nanoTime();
        if (scheduler.takePublishRequest() || (refreshes && now - lastPublishNanos >= REFRESH_NANOS)) {
            publish();
        }
    }

    private void publish() {
        long now = clock.nanoTime();
        lastPublishNanos = now;
        TransportState s = scheduler.snapshot(now);
        state = s;
        for (Consumer<TransportState> l : listeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                if (failedListeners.add(l)) {
                    LOG.warn("a transport listener failed (ignored; playing goes on; further failures of it are logged at DEBUG)", e);
                } else {
                    LOG.debug("a transport listener failed again: {}", e.toString());
                }
            }
        }
    }
}
