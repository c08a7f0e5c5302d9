package dev.concerto.director.engine;

import dev.concerto.director.score.Timeline;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs the director's send path — the {@link Scheduler} handing a score's changes to timed
 * {@link PlayerStream}s, their clock-sync requests and the replies' handling — on a throwaway roster
 * before the real one plays, so the first notes of a piece are not sent by interpreted code while
 * the JIT compiles it. Measured on the scale bench (1,000 timed players in four ensemble JVMs and
 * the director on 2 cores): without it the director's first second of notes went out 0.3–0.4 s
 * behind their send times (the compilers and the cold code shared the cores with the players'
 * own start), later ones 10–20 ms.
 *
 * <p>The throwaway streams answer their own sync requests in memory on a simulated clock; nothing
 * reaches a socket, an events file or the real roster's counters. Pure (no thread, no socket);
 * each call has its own state.
 */
public final class SendPathWarmUp {

    /** Datagrams the director's warm-up sends into memory: enough for the JIT's tiers to compile the path. */
    public static final int DEFAULT_DATAGRAMS = 30_000;
    /** Throwaway players, at most (a roster's voices are spread over them). */
    static final int MAX_PLAYERS = 64;
    /** The simulated one-way delay of the throwaway players' replies, µs. */
    private static final long ONE_WAY_MICROS = 100;

    private SendPathWarmUp() {
    }

    /**
     * Plays {@code timeline} (looped, at {@code tempoBpm}) to up to {@value #MAX_PLAYERS} throwaway timed players with
     * {@code options} until {@code datagrams} datagrams were written, or the simulated time ran a
     * generous bound out.
     *
     * @return the datagrams written (for tests: the path ran)
     */
    public static long run(Timeline timeline, double tempoBpm, TimedOptions options, int players, int datagrams) {
        SimulatedClock clock = new SimulatedClock();
        Echo sink = new Echo(options);
        int n = Math.max(1, Math.min(MAX_PLAYERS, players));
        List<PlayerStream> streams = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            String voice = timeline.voices().isEmpty() ? "-" : timeline.voices().get(p % timeline.voices().size()).name();
            RosterEntry entry = new RosterEntry("warm-up " + p, "127.0.0.1", 9, Protocol.TIMED, voice);
            streams.add(new PlayerStream(entry, "127.0.0.1:9", sink.forPlayer(p), options, 1, clock.nanos, true,
                    ClockSyncClient.Schedule.forRoster(Math.max(n, players), p)));
        }
        Scheduler scheduler = new Scheduler(timeline, streams, clock, new ScheduleMeter(), (p, hz, due, sendAt, sent) -> { },
                0, tempoBpm, Set.copyOf(timeline.voices().stream().map(v -> v.name()).toList()));
        // The first sync burst, answered, so every stream speaks the timed protocol.
        long bound = clock.nanos + 600_000_000_000L; // ten simulated minutes at most
        while (!scheduler.answeredAtLeast(ClockSyncClient.BURST) && clock.nanos < bound) {
            step(scheduler, sink, clock);
        }
        scheduler.settle();
        if (timeline.measureCount() > 0) {
            scheduler.setLoop(1, timeline.measureCount());
        }
        scheduler.play(clock.nanos);
        while (sink.written < datagrams && clock.nanos < bound) {
            step(scheduler, sink, clock);
        }
        scheduler.stop(clock.nanos);
        while (scheduler.silencing() && clock.nanos < bound) {
            step(scheduler, sink, clock);
        }
        return sink.written;
    }

    /** Moves the simulated clock to the scheduler's next work (replies arrive first) and runs it. */
    private static void step(Scheduler scheduler, Echo sink, SimulatedClock clock) {
        long next = Math.min(scheduler.nextPreciseNanos(), scheduler.nextRoughNanos());
        long reply = sink.nextReplyNanos();
        if (reply <= next) {
            clock.nanos = Math.max(clock.nanos, reply);
            sink.deliver(scheduler, clock.nanos);
        } else {
            clock.nanos = Math.max(clock.nanos + 1_000, next == Long.MIN_VALUE ? clock.nanos : next);
            scheduler.runDue(clock.nanos);
        }
    }

    /** The simulated clock: time moves only when the warm-up moves it. */
    private static final class SimulatedClock implements Clock {
        long nanos = 1_000_000_000_000L;

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public long epochMicros() {
            return nanos / 1_000;
        }
    }

    /**
     * The throwaway players: every datagram is counted and dropped, a sync request is answered by a
     * player whose clock is the director's, {@value #ONE_WAY_MICROS} µs each way.
     */
    private static final class Echo {
        private final TimedOptions options;
        private final List<long[]> pending = new ArrayList<>(); // {player, seq, t1, arrival ns}
        long written;

        Echo(TimedOptions options) {
            this.options = options;
        }

        DatagramSink forPlayer(int player) {
            return (datagram, length) -> {
                written++;
                if (datagram[0] == 'S') {
                    DecodeResult<TimedMessage> r = TimedCodec.decode(datagram, 0, length, options.authenticator());
                    if (r instanceof DecodeResult.Accepted<TimedMessage> a && a.value() instanceof TimedMessage.SyncRequest s) {
                        pending.add(new long[] {player, s.seq(), s.t1Micros(), (s.t1Micros() + 2 * ONE_WAY_MICROS) * 1_000});
                    }
                }
                return true;
            };
        }

        long nextReplyNanos() {
            return pending.isEmpty() ? Long.MAX_VALUE : pending.get(0)[3];
        }

        void deliver(Scheduler scheduler, long nowNanos) {
            while (!pending.isEmpty() && pending.get(0)[3] <= nowNanos) {
                long[] q = pending.remove(0);
                long t2 = q[2] + ONE_WAY_MICROS;
                byte[] reply = TimedCodec.encode(new TimedMessage.SyncReply(q[1], q[2], t2, t2 + 10,
                        List.of("legacy", "timed/1")), options.authenticator());
                scheduler.onDatagram((int) q[0], reply, reply.length, nowNanos);
            }
        }
    }
}
