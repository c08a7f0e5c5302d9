package dev.concerto.director.net;

import dev.concerto.director.engine.ClockSyncClient;
import dev.concerto.director.engine.PlayerStream;
import dev.concerto.director.engine.PlayerSyncException;
import dev.concerto.director.engine.Protocol;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.engine.RosterException;
import dev.concerto.director.engine.ScheduleAccuracy;
import dev.concerto.director.engine.ScheduleMeter;
import dev.concerto.director.engine.Scheduler;
import dev.concerto.director.engine.SendObserver;
import dev.concerto.director.engine.SendPathWarmUp;
import dev.concerto.director.engine.TimedOptions;
import dev.concerto.director.engine.Transport;
import dev.concerto.director.engine.TransportState;
import dev.concerto.director.engine.Waiter;
import dev.concerto.director.score.TempoRange;
import dev.concerto.director.score.Timeline;
import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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

    /** Clock-sync answers wanted from each timed player before playing (of the first burst). */
    static final int WANTED_ANSWERS = 4;
    /**
     * Then, answers wanted from each before the first note: the burst's and 24 of the fast requests
     * ({@link ClockSyncClient#FAST_INTERVAL_NANOS} apart), about a second. A note stamped
     * on the burst alone carries its errors: replayed on the network suite's exchanges, the stamping
     * error in the first 0.2 s reached 3.9 ms on loopback and 39 ms on {@code wifi-busy}, after 1–1.5 s
     * at most 0.12 and 0.9 ms (with one settling request per 100 ms; one per 40 ms, as now, gives the
     * line two and a half times as many exchanges by then: simulated, 394 µs p99 instead of 722).
     */
    static final int SETTLED_ANSWERS = ClockSyncClient.BURST + 24;
    /** The longest play waits for {@link #SETTLED_ANSWERS} once the bursts are out, ns (a large roster settles slower). */
    static final long SETTLE_WAIT_NANOS = 1_500_000_000L;

    private final Timeline timeline;
    private final Scheduler scheduler;
    private final List<PlayerStream> streams;
    private final List<UdpLink> links;
    private final ReplyReceiver receiver;
    private final EventLog eventLog;
    private final Clock clock;
    private final ScheduleMeter meter = new ScheduleMeter();
    final SchedulerThread thread;
    final Thread shutdownHook;
    /** What the start-up's warm-up wrote into its throwaway streams (none of it sent or counted here). */
    final SendPathWarmUp.Result warmUp;

    DirectorEngine(DirectorEngineBuilder b, List<PlayerStream> streams, List<UdpLink> links, EventLog eventLog,
                   SendPathWarmUp.Result warmUp) throws IOException {
        this.warmUp = warmUp;
        this.timeline = b.timeline;
        this.streams = List.copyOf(streams);
        this.links = links;
        this.eventLog = eventLog;
        this.clock = b.clock;
        SendObserver observer = b.observer;
        if (eventLog != null) {
            observer = observer == null ? eventLog : observer.andThen(eventLog);
        }
        this.scheduler = new Scheduler(timeline, streams, clock, meter, observer, b.startLeadNanos, b.tempoBpm,
                b.optionalVoices);
        this.thread = new SchedulerThread(scheduler, timeline, clock, b.waiter != null ? b.waiter : new PreciseWaiter(b.clock),
                streams.stream().anyMatch(s -> s.clockSync() != null));
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
                    indices.stream().mapToInt(Integer::intValue).toArray(), thread::received);
        } else {
            this.receiver = null;
        }
        this.shutdownHook = b.shutdownHook ? new Thread(this::silenceOnExit, "concerto-silence-on-exit") : null;
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
    public static DirectorEngineBuilder builder(Timeline timeline, Roster roster) {
        return new DirectorEngineBuilder(timeline, roster);
    }

    /** Polls {@code condition} every 5 ms until it holds or {@code untilNanos} (System.nanoTime) passed. */
    private static void await(BooleanSupplier condition, long untilNanos) throws InterruptedException {
        while (System.nanoTime() < untilNanos && !condition.getAsBoolean()) {
            Thread.sleep(5);
        }
    }

    /** Waits for the first sync answers, then settles every stream's protocol on the scheduler thread. */
    void probe(Duration timeout) {
        if (streams.stream().noneMatch(s -> s.clockSync() != null)) {
            return;
        }
        long end = System.nanoTime() + timeout.toNanos();
        try {
            await(() -> scheduler.answeredAtLeast(WANTED_ANSWERS), end);
            if (links != null) {
                // Play only once every player's first burst of requests is out (its rounds are spread
                // over the burst: ClockSyncClient.Schedule) and its last replies had a spacing to come
                // back: with a thousand players the burst's last rounds and their replies took the
                // scheduler thread ~0.1 s, which the first notes would otherwise wait behind.
                await(() -> scheduler.askedAtLeast(ClockSyncClient.BURST), end);
                long grace = Math.min(ClockSyncClient.BURST_SPACING_NANOS, Math.max(0, end - System.nanoTime()));
                Thread.sleep(grace / 1_000_000);
                await(() -> scheduler.answeredAtLeast(SETTLED_ANSWERS),
                        Math.min(end, System.nanoTime() + SETTLE_WAIT_NANOS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CompletableFuture<List<PlayerStream>> settled = new CompletableFuture<>();
        thread.submit((s, now) -> {
            List<PlayerStream> silentOnes = s.settle();
            thread.publish(); // the state shows each player's clock and protocol from the start
            settled.complete(silentOnes);
        });
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
            if (s.entry().protocol() == Protocol.AUTO
                    && s.protocolInUse() == Protocol.LEGACY) {
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

    static double checkedBpm(double bpm) {
        if (!TempoRange.contains(bpm)) {
            throw new IllegalArgumentException("tempo " + bpm + " bpm is outside " + TempoRange.text());
        }
        return bpm;
    }

    // ---------------------------------------------------------------- Transport (any thread)

    @Override
    public void play() {
        thread.submit((s, now) -> s.play(now));
    }

    @Override
    public void pause() {
        thread.submit((s, now) -> s.pause(now));
    }

    @Override
    public void resume() {
        thread.submit((s, now) -> s.resume(now));
    }

    @Override
    public void stop() {
        thread.submit((s, now) -> s.stop(now));
    }

    /** @throws IllegalArgumentException unless {@code 1 <= measure <= measureCount} */
    @Override
    public void seekToMeasure(int measure) {
        checkMeasure(measure);
        thread.submit((s, now) -> s.seek(measure, now));
    }

    /** @throws IllegalArgumentException unless {@code 1 <= fromMeasure <= toMeasure <= measureCount} */
    @Override
    public void setLoop(int fromMeasure, int toMeasure) {
        checkMeasure(fromMeasure);
        checkMeasure(toMeasure);
        if (fromMeasure > toMeasure) {
            throw new IllegalArgumentException("loop from measure " + fromMeasure + " to " + toMeasure + " runs backwards");
        }
        thread.submit((s, now) -> s.setLoop(fromMeasure, toMeasure));
    }

    @Override
    public void clearLoop() {
        thread.submit((s, now) -> s.clearLoop());
    }

    /** @throws IllegalArgumentException unless the tempo is within {@link TempoRange} */
    @Override
    public void setTempo(double bpm) {
        double checked = checkedBpm(bpm);
        thread.submit((s, now) -> s.setTempo(checked, now));
    }

    /**
     * A live note: player {@code player} (roster index) sounds {@code hz} (exact; 0 for silence)
     * from {@code dueNanos} (the engine clock's monotonic scale) until told otherwise. Queued for
     * the scheduler thread, which writes it ({@link Scheduler#liveChange}) and renews a held note's
     * lease; hand it over one lead before it is due for a timed player. Any thread, never blocks.
     *
     * @throws IllegalStateException when the engine is closed
     */
    public void liveNote(int player, double hz, long dueNanos) {
        Objects.checkIndex(player, streams.size());
        thread.submit((s, now) -> s.liveChange(player, hz, dueNanos, now));
    }

    /** Every player silent at once, the transport unchanged (live panic). Any thread. */
    public void silenceAll() {
        thread.submit((s, now) -> s.silenceAll(now));
    }

    @Override
    public TransportState state() {
        return thread.state();
    }

    @Override
    public void addListener(Consumer<TransportState> listener) {
        thread.addListener(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(Consumer<TransportState> listener) {
        thread.removeListener(listener);
    }

    /**
     * Hands in a datagram that arrived from player {@code player} (roster index) at
     * {@code arrivalNanos} on the engine's clock: the receive loop calls it, and tests on
     * {@link Builder#sinks in-memory sinks}. Thread-safe, lock-free; the scheduler thread takes it.
     */
    public void received(int player, byte[] datagram, long arrivalNanos) {
        thread.received(player, datagram, arrivalNanos);
    }

    /**
     * Stops (silencing every player), ends the scheduler thread (waiting up to 2 s for it, unless
     * called on that thread), then closes the receive loop, the links and the event log. Idempotent.
     */
    @Override
    public void close() {
        thread.close(true);
        finishClose();
    }

    /** Closes without silencing anyone (a build that failed before anything was played). */
    void abandon() {
        thread.close(false);
        finishClose();
    }

    private void finishClose() {
        if (!thread.isCurrent()) {
            if (!thread.join(2_000)) {
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
        return thread.lastError();
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

    /**
     * CPU time the scheduler thread spent writing datagrams since the engine was built, ns (see
     * {@link ScheduleMeter#sendCpuNanos()}). Thread-safe.
     */
    public long sendCpuNanos() {
        return meter.sendCpuNanos();
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
            return condition.test(thread.state()) || latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            removeListener(l);
        }
    }

    private void checkMeasure(int measure) {
        if (measure < 1 || measure > timeline.measureCount()) {
            throw new IllegalArgumentException("measure " + measure + " is outside 1.." + timeline.measureCount());
        }
    }
}
