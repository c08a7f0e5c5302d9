package dev.concerto.director.engine;

import dev.concerto.director.score.TempoRange;
import dev.concerto.director.score.Timeline;
import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The director's engine: plays one {@link Timeline} to one roster of {@link Sender}s, and is the
 * {@link Transport} the CLI and the GUI drive.
 *
 * <h2>Timing</h2>
 * Every datagram has an absolute deadline computed from one monotonic anchor (the clock reading
 * at which a given score position was due), never "send, then sleep a note's length", so lateness
 * does not accumulate. The scheduler thread waits with the injected {@link Waiter} (park, then a
 * short spin). A tempo change or a pause moves the anchor, keeping the musical position.
 *
 * <h2>Timed players</h2>
 * A {@link Sender} may want each change ahead of its due time ({@link Sender#leadNanos()}: a
 * {@link TimedSender} stamps it with the time it must sound in the player's clock). The scheduler
 * then hands every change to every sender that lead before it is due, with its due time and the
 * voice's next change ({@link Sender#send(int, long, long)}); it stays protocol-agnostic. In a
 * roster mixing both kinds, plain-integer senders are wrapped in a {@link DelayedSender} that sends
 * at the due time. Pause, stop and seek silence at once what was handed over ahead
 * ({@link Sender#silenceNow()}).
 *
 * <h2>Threads</h2>
 * One scheduler thread, started by {@link Builder#build()} and stopped by {@link #close()}, does
 * all the sending; transport methods put a command on a lock-free queue and wake it, so they are
 * thread-safe and return at once. Listeners are called on the scheduler thread. With timed or auto
 * players, one clock-sync thread ({@link ClockSyncService}) exchanges sync messages with them,
 * extends long notes' leases and asks for a fresh snapshot about once a second; it is stopped
 * with the scheduler thread, before the senders are closed.
 *
 * <h2>Silence</h2>
 * On stop, pause, the end of the piece, an error in the scheduler, {@link #close()} and JVM
 * shutdown (a shutdown hook), every player of the roster is sent 0, {@value #SILENCE_REPEATS}
 * times a few milliseconds apart (a datagram can be lost).
 */
public final class DirectorEngine implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(DirectorEngine.class);

    /** How many times a silence is sent to every player. */
    public static final int SILENCE_REPEATS = 3;
    /** Space between repeated silences, in nanoseconds. */
    public static final long SILENCE_SPACING_NANOS = 3_000_000;
    /** The slowest and fastest tempo accepted, in beats per minute: the one {@link TempoRange}. */
    public static final double MIN_BPM = TempoRange.MIN_BPM;
    public static final double MAX_BPM = TempoRange.MAX_BPM;
    /**
     * Default delay between a play, resume or seek command and the first datagram it schedules, in
     * nanoseconds: room for the first deadline to be met instead of being late by the command's
     * own handling.
     */
    public static final long DEFAULT_START_LEAD_NANOS = 20_000_000;
    /** A wrap or catch-up due longer ago than this re-anchors at "now" instead of bursting. */
    private static final long MAX_CATCH_UP_NANOS = 5_000_000;

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

    /** Publishes a fresh snapshot (new clock-sync figures) without changing anything. */
    private record Refresh() implements Command {
    }

    private final SendPlan plan;
    private final Timeline timeline;
    private final List<Sender> senders;
    private final int[][] playersOfVoice;
    private final Clock clock;
    private final Waiter waiter;
    private final SendObserver observer;
    private final Queue<Command> commands = new ConcurrentLinkedQueue<>();
    private final List<Consumer<TransportState>> listeners = new CopyOnWriteArrayList<>();
    private final Recorder recorder = new Recorder(3);
    private final Recorder callRecorder = new Recorder(3);
    private final Thread thread;
    private final Thread shutdownHook;
    private final long startLeadNanos;
    /** How far ahead of its due time each change is handed to the senders (0 without timed players). */
    private final long leadNanos;
    private final ClockSyncService sync;
    private volatile TransportState state;
    private volatile Throwable lastError;
    private volatile long lastLatenessNanos;
    private volatile long lastCallLatenessNanos;
    private volatile boolean closed;

    // Scheduler-thread state: touched only by the scheduler thread after start.
    private PlayState playState = PlayState.STOPPED;
    private double tempoBpm;
    private double positionSeconds;
    private long anchorNanos;
    private double anchorSeconds;
    private int next;
    private int loopFrom;
    private int loopTo;
    private long notesSent;
    private final int[] voiceHz;
    private final int[] playerHz;
    private final String[] playerNote;
    /** Listeners that have thrown once (logged in full once only). */
    private final java.util.Set<Consumer<TransportState>> failedListeners =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    // Accuracy totals: guarded by this engine's monitor (see accuracy()); the scheduler thread
    // records into the wait-free recorder instead.
    private final Histogram total = new Histogram(3);
    private Histogram interval;
    private final Histogram callTotal = new Histogram(3);
    private Histogram callInterval;

    private DirectorEngine(Builder b, List<Sender> senders, ClockSyncService sync, long leadNanos) {
        this.timeline = b.timeline;
        this.plan = new SendPlan(b.timeline);
        this.senders = List.copyOf(senders);
        this.sync = sync;
        this.leadNanos = leadNanos;
        this.clock = b.clock;
        this.waiter = b.waiter != null ? b.waiter : new PreciseWaiter(b.clock);
        this.observer = b.observer;
        this.startLeadNanos = b.startLeadNanos;
        this.tempoBpm = b.tempoBpm > 0 ? checkedBpm(b.tempoBpm) : timeline.bpm();
        this.voiceHz = new int[timeline.voices().size()];
        this.playerHz = new int[senders.size()];
        this.playerNote = new String[senders.size()];
        java.util.Arrays.fill(playerNote, "");
        this.playersOfVoice = new int[timeline.voices().size()][];
        for (int v = 0; v < timeline.voices().size(); v++) {
            String voice = timeline.voices().get(v).name();
            List<Integer> players = new ArrayList<>();
            for (int p = 0; p < senders.size(); p++) {
                if (senders.get(p).entry().voice().equals(voice)) {
                    players.add(p);
                }
            }
            playersOfVoice[v] = players.stream().mapToInt(Integer::intValue).toArray();
            if (players.isEmpty() && !timeline.voices().get(v).optional() && !b.optionalVoices.contains(voice)) {
                LOG.warn("voice '{}' of '{}' has no player in the roster: it will not be heard", voice, timeline.title());
            }
        }
        for (Sender s : senders) {
            if (timeline.voice(s.entry().voice()) == null) {
                LOG.warn("player '{}' plays voice '{}', which '{}' does not have: it only receives silences",
                        s.entry().name(), s.entry().voice(), timeline.title());
            }
        }
        this.state = snapshot();
        this.thread = new Thread(this::run, "concerto-scheduler");
        thread.setDaemon(true);
        this.shutdownHook = b.shutdownHook ? new Thread(this::silenceOnExit, "concerto-silence-on-exit") : null;
    }

    /**
     * Opens a legacy sender for every player of a roster (resolving each host once) and builds an
     * engine on the system clock with a shutdown hook; the engine owns and closes the senders.
     *
     * @throws RosterException when the roster is invalid or a host does not resolve
     * @throws IOException     when a socket cannot be opened
     */
    public static DirectorEngine open(Timeline timeline, Roster roster) throws RosterException, IOException {
        return open(timeline, roster, TimedOptions.defaults());
    }

    /**
     * As {@link #open(Timeline, Roster)}, with the options of the timed protocol for the roster's
     * {@code timed} and {@code auto} players. Waits (up to {@link TimedOptions#syncTimeout()}) for
     * their first clock-sync answers.
     *
     * @throws PlayerSyncException when a {@code timed} player does not answer clock sync
     */
    public static DirectorEngine open(Timeline timeline, Roster roster, TimedOptions options)
            throws RosterException, IOException {
        List<Sender> senders = openSenders(roster, options, Clock.SYSTEM);
        try {
            return builder(timeline, senders).syncTimeout(options.syncTimeout()).build();
        } catch (RuntimeException e) {
            senders.forEach(Sender::close);
            throw e;
        }
    }

    /**
     * Validates and resolves a roster and opens one sender per player.
     *
     * @throws RosterException when the roster is invalid or a host does not resolve
     * @throws IOException     when a socket cannot be opened (the ones opened are closed)
     */
    public static List<Sender> openSenders(Roster roster) throws RosterException, IOException {
        return openSenders(roster, TimedOptions.defaults(), Clock.SYSTEM);
    }

    /**
     * Validates and resolves a roster and opens one sender per player: a {@link LegacySender} for
     * {@code legacy}, a {@link TimedSender} for {@code timed} and {@code auto} (which the engine
     * then syncs before playing).
     *
     * @param clock the clock of the engine these senders will serve
     * @throws RosterException when the roster is invalid or a host does not resolve
     * @throws IOException     when a socket cannot be opened (the ones opened are closed)
     */
    public static List<Sender> openSenders(Roster roster, TimedOptions options, Clock clock)
            throws RosterException, IOException {
        roster.validate();
        List<ResolvedPlayer> resolved = roster.resolve();
        List<Sender> senders = new ArrayList<>();
        try {
            for (ResolvedPlayer p : resolved) {
                senders.add(p.entry().protocol() == Protocol.LEGACY ? LegacySender.open(p)
                        : TimedSender.open(p, options, clock));
            }
        } catch (IOException | RuntimeException e) {
            senders.forEach(Sender::close);
            throw e;
        }
        return senders;
    }

    /** Starts building an engine for a timeline and the senders of its roster (in roster order). */
    public static Builder builder(Timeline timeline, List<? extends Sender> senders) {
        return new Builder(timeline, senders);
    }

    /** Options of an engine; not thread-safe. */
    public static final class Builder {
        private final Timeline timeline;
        private final List<? extends Sender> senders;
        private Clock clock = Clock.SYSTEM;
        private Waiter waiter;
        private SendObserver observer;
        private double tempoBpm;
        private boolean shutdownHook = true;
        private long startLeadNanos = DEFAULT_START_LEAD_NANOS;
        private Set<String> optionalVoices = Set.of();
        private Duration syncTimeout = TimedOptions.DEFAULT_SYNC_TIMEOUT;

        private Builder(Timeline timeline, List<? extends Sender> senders) {
            this.timeline = Objects.requireNonNull(timeline, "timeline");
            this.senders = Objects.requireNonNull(senders, "senders");
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

        /** Told of every datagram sent, on the scheduler thread (e.g. an event log). */
        public Builder observer(SendObserver observer) {
            this.observer = observer;
            return this;
        }

        /** The starting tempo in beats per minute (default: the score's). */
        public Builder tempo(double bpm) {
            this.tempoBpm = checkedBpm(bpm);
            return this;
        }

        /**
         * Delay from a play, resume or seek to the first datagram it schedules, in nanoseconds, &ge; 0
         * (default {@value DirectorEngine#DEFAULT_START_LEAD_NANOS}). Notes held across the position
         * are sounded again at once; only the schedule starts later.
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
         * How long {@link #build()} waits for the first clock-sync answers of the roster's timed
         * and auto players (default {@link TimedOptions#DEFAULT_SYNC_TIMEOUT}).
         */
        public Builder syncTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("sync timeout must be positive");
            }
            this.syncTimeout = timeout;
            return this;
        }

        /**
         * Builds the engine and starts its scheduler thread, stopped at the start of the piece.
         * With {@link TimedSender}s among the senders it first starts the clock-sync thread and
         * waits (up to the sync timeout) until each has answered {@value #WANTED_ANSWERS} requests:
         * an {@code auto} player that never answers is played with the plain integer. Plain-integer
         * senders in a roster with timed players are wrapped so that they still send each change
         * at its due time ({@link DelayedSender}). On failure nothing is left running and the
         * senders are the caller's to close.
         *
         * @throws IllegalArgumentException when a note's frequency cannot go on the wire
         * @throws PlayerSyncException      when a {@code timed} player does not answer clock sync
         * @throws java.io.UncheckedIOException when the clock-sync thread's selector cannot open
         */
        public DirectorEngine build() {
            new SendPlan(timeline); // validates every frequency before any thread starts
            List<TimedSender> timed = new ArrayList<>();
            for (Sender s : senders) {
                if (s instanceof TimedSender t) {
                    timed.add(t);
                }
            }
            ClockSyncService sync = null;
            if (!timed.isEmpty()) {
                try {
                    sync = new ClockSyncService(timed, clock).start();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot start clock sync: " + e.getMessage(), e);
                }
                try {
                    sync.awaitAnswers(WANTED_ANSWERS, syncTimeout);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                List<String> silent = new ArrayList<>();
                for (TimedSender t : timed) {
                    if (!t.settleAfterProbe()) {
                        silent.add("'" + t.entry().name() + "' at " + t.destination() + (t.rejectedReplyCount() > 0
                                ? " (" + t.rejectedReplyCount() + " replies rejected: unsigned, forged or malformed; "
                                        + "does it hold the same key?)" : ""));
                    }
                }
                if (!silent.isEmpty()) {
                    sync.close();
                    throw new PlayerSyncException("no clock-sync answer within " + syncTimeout.toMillis() + " ms from "
                            + String.join(", ", silent) + " (protocol timed): is a timed-protocol player running there? "
                            + "Use protocol auto to fall back to the plain integer, or legacy for an ESP8266");
                }
            }
            long lead = 0;
            for (Sender s : senders) {
                lead = Math.max(lead, s.leadNanos());
            }
            List<Sender> effective = new ArrayList<>(senders.size());
            for (Sender s : senders) {
                effective.add(s.leadNanos() < lead ? new DelayedSender(s, lead, clock) : s);
            }
            DirectorEngine engine = new DirectorEngine(this, effective, sync, lead);
            if (sync != null) {
                sync.onRefresh(engine::refresh);
            }
            engine.thread.start();
            if (engine.shutdownHook != null) {
                Runtime.getRuntime().addShutdownHook(engine.shutdownHook);
            }
            return engine;
        }
    }

    /** Clock-sync answers wanted from each timed player before playing (of the first burst). */
    static final int WANTED_ANSWERS = 4;

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
     * Stops (silencing every player), ends the scheduler thread (waiting up to 2 s for it, unless
     * called on that thread) and closes the senders. Idempotent.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            commands.add(new Close());
            waiter.wake();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("the scheduler thread did not stop within 2 s; silencing from {}", Thread.currentThread().getName());
                silenceFromHere();
                if (sync != null) {
                    sync.close();
                }
                senders.forEach(Sender::close);
            }
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running or has run
            }
        }
    }

    // ---------------------------------------------------------------- extras for CLI and GUI

    /** The roster this engine plays to, in order. */
    public List<RosterEntry> roster() {
        return senders.stream().map(Sender::entry).toList();
    }

    /** The senders (destinations and error counters), in roster order. */
    public List<Sender> senders() {
        return senders;
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
        return senders.stream().mapToLong(Sender::unreachableCount).sum();
    }

    /**
     * Schedule accuracy since the engine was built: when each scheduled send call returned, minus
     * its deadline (what a player can at best see). Thread-safe.
     */
    public synchronized ScheduleAccuracy accuracy() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return summary(total, lastLatenessNanos);
    }

    /**
     * As {@link #accuracy()}, but measured when each send call started: how precisely the
     * scheduler woke, without the operating system's time to take the datagram. Thread-safe.
     */
    public synchronized ScheduleAccuracy wakeAccuracy() {
        callInterval = callRecorder.getIntervalHistogram(callInterval);
        callTotal.add(callInterval);
        return summary(callTotal, lastCallLatenessNanos);
    }

    private static ScheduleAccuracy summary(Histogram h, long lastNanos) {
        long count = h.getTotalCount();
        return new ScheduleAccuracy(count,
                count == 0 ? 0 : h.getValueAtPercentile(50) / 1_000,
                count == 0 ? 0 : h.getValueAtPercentile(99) / 1_000,
                count == 0 ? 0 : h.getMaxValue() / 1_000,
                lastNanos / 1_000);
    }

    /**
     * Waits until the state satisfies a condition (for example, a piece has ended: state STOPPED
     * after PLAYING). Returns at once when it already does.
     *
     * @return whether it did within the timeout
     */
    public boolean awaitState(java.util.function.Predicate<TransportState> condition, Duration timeout)
            throws InterruptedException {
        java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
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

    /** Asks the scheduler thread to publish a fresh snapshot (called by the clock-sync thread). */
    private void refresh() {
        if (!closed) {
            commands.add(new Refresh());
            waiter.wake();
        }
    }

    /** How far ahead of its due time each change is handed to the senders, in nanoseconds. */
    public long leadNanos() {
        return leadNanos;
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
        try {
            while (true) {
                try {
                    if (drainCommands()) {
                        return;
                    }
                    if (playState == PlayState.PLAYING) {
                        step();
                    } else {
                        waiter.awaitWake();
                    }
                } catch (RuntimeException | Error e) {
                    lastError = e;
                    LOG.error("the scheduler failed at {}s (measure {}); silencing every player",
                            String.format("%.3f", positionSeconds), timeline.measureAt(positionSeconds), e);
                    playState = PlayState.STOPPED;
                    silenceAll();
                    publish();
                    if (e instanceof VirtualMachineError) {
                        throw e;
                    }
                }
            }
        } finally {
            playState = PlayState.STOPPED;
            silenceAll();
            publish();
            if (sync != null) {
                sync.close();
            }
            senders.forEach(Sender::close); // the scheduler thread owns the senders to the end
        }
    }

    /** @return true when the engine is to close */
    private boolean drainCommands() {
        Command c;
        while ((c = commands.poll()) != null) {
            if (c instanceof Close) {
                return true;
            }
            apply(c);
            publish();
        }
        return false;
    }

    private void apply(Command c) {
        if (c instanceof Play || c instanceof Resume) {
            if (playState == PlayState.PLAYING || (c instanceof Resume && playState != PlayState.PAUSED)) {
                return;
            }
            if (playState == PlayState.STOPPED) {
                notesSent = 0;
            }
            playState = PlayState.PLAYING;
            anchor(clock.nanoTime() + startLeadNanos + leadNanos, positionSeconds);
            articulate(positionSeconds);
        } else if (c instanceof Pause) {
            if (playState == PlayState.PLAYING) {
                positionSeconds = positionAt(clock.nanoTime());
                playState = PlayState.PAUSED; // next stays: the events before it were sent
                if (leadNanos > 0) {
                    // Changes handed over ahead but not yet heard are silenced below: resume sends them again.
                    next = plan.firstAtOrAfter(positionSeconds);
                }
                silenceAll();
            }
        } else if (c instanceof Stop) {
            playState = PlayState.STOPPED;
            silenceAll();
            positionSeconds = loopFrom > 0 ? measureStart(loopFrom) : 0;
            next = plan.firstAtOrAfter(positionSeconds);
        } else if (c instanceof Seek s) {
            positionSeconds = measureStart(s.measure());
            next = plan.firstAtOrAfter(positionSeconds);
            if (playState == PlayState.PLAYING) {
                if (leadNanos > 0) {
                    silenceAll(); // what was handed over ahead belongs to the old position
                }
                anchor(clock.nanoTime() + startLeadNanos + leadNanos, positionSeconds);
                articulate(positionSeconds);
            }
        } else if (c instanceof SetLoop l) {
            loopFrom = l.from();
            loopTo = l.to();
        } else if (c instanceof ClearLoop) {
            loopFrom = 0;
            loopTo = 0;
        } else if (c instanceof SetTempo t) {
            if (playState == PlayState.PLAYING) {
                // Changes up to one lead ahead were handed over at the old tempo: the new one starts after them.
                long at = clock.nanoTime() + leadNanos;
                positionSeconds = positionAt(at);
                tempoBpm = t.bpm();
                anchor(at, positionSeconds);
            } else {
                tempoBpm = t.bpm();
            }
        }
    }

    /** Sends the next due event, wraps a loop or ends the piece; returns early on a command. */
    private void step() {
        double loopEnd = loopFrom > 0 ? measureEnd(loopTo) : Double.POSITIVE_INFINITY;
        if (next < plan.size() && plan.event(next).scoreSeconds() < loopEnd) {
            SendPlan.Event e = plan.event(next);
            long deadline = deadlineOf(e.scoreSeconds());
            if (!waiter.awaitDeadline(deadline - leadNanos)) {
                return; // a command arrived
            }
            next++;
            positionSeconds = e.scoreSeconds();
            sendScheduled(e, deadline);
            if (next >= plan.size() || plan.event(next).scoreSeconds() != e.scoreSeconds()) {
                publish(); // once per instant, after all the datagrams due then
            }
        } else if (loopFrom > 0) {
            long deadline = deadlineOf(loopEnd);
            if (!waiter.awaitDeadline(deadline - leadNanos)) {
                return;
            }
            double start = measureStart(loopFrom);
            long now = clock.nanoTime();
            anchor(now - (deadline - leadNanos) > MAX_CATCH_UP_NANOS ? now + leadNanos : deadline, start);
            positionSeconds = start;
            next = plan.firstAtOrAfter(start);
            articulate(start);
            publish();
        } else {
            // The end of the piece: once the last change handed over ahead is due.
            if (leadNanos > 0 && plan.size() > 0
                    && !waiter.awaitDeadline(deadlineOf(plan.event(plan.size() - 1).scoreSeconds()))) {
                return;
            }
            playState = PlayState.STOPPED;
            silenceAll();
            positionSeconds = 0;
            next = 0;
            publish();
        }
    }

    private void anchor(long nanos, double scoreSeconds) {
        anchorNanos = nanos;
        anchorSeconds = scoreSeconds;
    }

    private long deadlineOf(double scoreSeconds) {
        double realSeconds = (scoreSeconds - anchorSeconds) * timeline.bpm() / tempoBpm;
        return anchorNanos + Math.round(realSeconds * 1e9);
    }

    /** The musical position heard at {@code nanos} while playing, never past the next unsent event. */
    private double positionAt(long nanos) {
        double elapsed = (nanos - anchorNanos) / 1e9 * tempoBpm / timeline.bpm();
        double pos = anchorSeconds + Math.max(0, elapsed);
        double limit = next < plan.size() ? plan.event(next).scoreSeconds() : timeline.totalSeconds();
        if (loopFrom > 0) {
            limit = Math.min(limit, measureEnd(loopTo));
        }
        return Math.max(anchorSeconds, Math.min(pos, limit));
    }

    private double measureStart(int measure) {
        return timeline.measureStartSeconds().get(measure - 1);
    }

    private double measureEnd(int measure) {
        return measure < timeline.measureCount() ? measureStart(measure + 1) : timeline.totalSeconds();
    }

    /**
     * Makes every voice sound what it would after all the events before {@link #next} (a note held
     * across the position is sounded again; a voice that should be quiet is silenced), leaving a
     * voice with an event due exactly at {@code scoreSeconds} to that event.
     */
    private void articulate(double scoreSeconds) {
        for (int v = 0; v < voiceHz.length; v++) {
            if (plan.voiceHasEventAt(v, next, scoreSeconds)) {
                continue;
            }
            SendPlan.Event last = plan.lastOfVoiceBefore(v, next);
            int hz = last == null ? 0 : last.hz();
            if (hz != voiceHz[v]) {
                sendToVoice(v, hz, last == null ? "" : last.name(), Long.MIN_VALUE,
                        last == null ? Double.POSITIVE_INFINITY : last.endSeconds());
            }
        }
    }

    private void sendScheduled(SendPlan.Event e, long deadline) {
        sendToVoice(e.voice(), e.hz(), e.name(), deadline, e.endSeconds());
    }

    /**
     * @param deadline   when the change is due (sounds), or {@code Long.MIN_VALUE} for an unscheduled
     *                   send (a note sounded again on play, resume or seek: due at the anchor)
     * @param endSeconds score time of the voice's next change, or infinity
     */
    private void sendToVoice(int voice, int hz, String name, long deadline, double endSeconds) {
        voiceHz[voice] = hz;
        long due = deadline == Long.MIN_VALUE ? Math.max(anchorNanos, clock.nanoTime()) : deadline;
        long end = Double.isInfinite(endSeconds) ? Long.MAX_VALUE : Math.max(due, deadlineOf(endSeconds));
        for (int p : playersOfVoice[voice]) {
            long call = clock.nanoTime();
            senders.get(p).send(hz, due, end);
            long sent = clock.nanoTime();
            notesSent++;
            playerHz[p] = hz;
            playerNote[p] = name;
            if (deadline != Long.MIN_VALUE) {
                // Accuracy of the send itself: against when it was to be sent (one lead before it sounds).
                long late = sent - (deadline - leadNanos);
                lastLatenessNanos = late;
                recorder.recordValue(Math.max(0, late));
                lastCallLatenessNanos = call - (deadline - leadNanos);
                callRecorder.recordValue(Math.max(0, call - (deadline - leadNanos)));
            }
            if (observer != null) {
                observer.onSend(p, hz, deadline == Long.MIN_VALUE ? (leadNanos > 0 ? due : sent) : deadline, sent);
            }
        }
    }

    /** Sends 0 to every player of the roster, several times; one failing sender does not stop the rest. */
    private void silenceAll() {
        java.util.Arrays.fill(voiceHz, 0);
        for (int r = 0; r < SILENCE_REPEATS; r++) {
            if (r > 0) {
                long until = clock.nanoTime() + SILENCE_SPACING_NANOS;
                boolean woken = false;
                while (!waiter.awaitDeadline(until)) {
                    woken = true; // a command arrived: it waits in the queue until the silence is complete
                }
                if (woken) {
                    waiter.wake(); // hand the wake on to the command loop
                }
            }
            for (int p = 0; p < senders.size(); p++) {
                try {
                    senders.get(p).silenceNow();
                    long sent = clock.nanoTime();
                    notesSent++;
                    if (observer != null) {
                        observer.onSend(p, 0, sent, sent);
                    }
                } catch (RuntimeException e) {
                    LOG.error("could not silence player '{}'", senders.get(p).entry().name(), e);
                }
                playerHz[p] = 0;
                playerNote[p] = "";
            }
        }
    }

    /** Used when the scheduler thread cannot: sends silence from the calling thread. */
    private void silenceFromHere() {
        for (int r = 0; r < SILENCE_REPEATS; r++) {
            for (Sender s : senders) {
                try {
                    s.silenceNow();
                } catch (RuntimeException e) {
                    LOG.error("could not silence player '{}'", s.entry().name(), e);
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(SILENCE_SPACING_NANOS);
        }
    }

    /** The shutdown hook: stop the scheduler (which silences everyone); silence directly if it cannot. */
    void silenceOnExit() {
        if (!thread.isAlive()) {
            silenceFromHere();
            return;
        }
        close();
    }

    private void publish() {
        TransportState s = snapshot();
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

    private TransportState snapshot() {
        List<PlayerActivity> players = new ArrayList<>(senders.size());
        for (int p = 0; p < senders.size(); p++) {
            Sender s = senders.get(p);
            dev.concerto.protocol.ClockSync.Estimate e = s.clockEstimate();
            players.add(new PlayerActivity(s.entry().name(), s.entry().voice(), playerHz[p], playerNote[p],
                    s.liveness(), e == null ? -1 : e.rttMicros(), e == null ? 0 : Math.round(e.offsetMicros())));
        }
        return new TransportState(playState, positionSeconds, timeline.measureAt(positionSeconds),
                timeline.measureCount(), tempoBpm, loopFrom, loopTo, notesSent, players);
    }
}
