package dev.concerto.director.engine;

import dev.concerto.director.score.Timeline;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Plays the piece on throwaway streams before the real engine starts, so the first notes of a piece
 * are not the ones that pay for loading and first running the send path (the scheduler, the streams,
 * the codecs, a key's signing). On the {@code listen} bench (a director JVM starting on the 2 cores of
 * four players) the first notes of a piece left 13–110 ms after their send time; most of that was the
 * first read of the scheduler thread's CPU time (JMX start-up, which {@link
 * dev.concerto.director.net.DirectorEngineBuilder} now does before anything is due), and this covers
 * the rest of the path's first run. The player has the same kind of warm-up ({@code CoreWarmUp}).
 *
 * <p>It runs the real {@link Scheduler} over the real timeline with one throwaway {@link PlayerStream}
 * per roster entry (same protocol, options and key), on its own simulated clock, as fast as it
 * goes: timed streams get clock-sync answers from their in-memory sink (a player whose clock is the
 * director's), the piece loops until {@code sends} datagrams of the music went into the sinks, then stops. Its
 * sinks only count: nothing reaches a socket, no real stream, meter, observer or event log sees any
 * of it. Pure: no socket, thread or real clock; thread-safe (each call has its own objects).
 */
public final class SendPathWarmUp {

    /** Datagrams a director's start-up writes into the throwaway sinks: enough for the JIT's first tier. */
    public static final int DEFAULT_SENDS = 2000;
    /** Clock-sync answers each throwaway timed stream waits for before it plays (as the real engine does). */
    private static final int SYNC_ANSWERS = 4;
    /** Scheduler steps the warm-up may take per datagram wanted (a bound on its loops, whatever the piece). */
    private static final int MAX_STEPS_PER_SEND = 50;
    /** Simulated time the warm-up may take at most, ns (a bound on its loop, never reached by a piece that sounds). */
    private static final long MAX_SIMULATED_NANOS = 3_600_000_000_000L;

    private SendPathWarmUp() {
    }

    /**
     * What the warm-up did.
     *
     * @param datagrams  datagrams of the music written into the throwaway sinks (tones, silences, plain
     *                   integers; the clock-sync requests, ten a second while a clock settles, are not counted)
     * @param notes      changes of the piece the throwaway scheduler's observer was told of
     * @param timedTones of the datagrams, timed-protocol tones the throwaway sinks accepted (signed with
     *                   the key, when there is one)
     */
    public record Result(long datagrams, long notes, long timedTones) {
        /** Nothing warmed (no warm-up asked for, nothing to play, or it failed). */
        public static final Result NONE = new Result(0, 0, 0);
    }

    /**
     * Plays {@code timeline} to throwaway streams for {@code entries} (each entry's protocol; an
     * {@code auto} one as timed) until {@code sends} datagrams of the music were written.
     */
    public static Result run(Timeline timeline, List<RosterEntry> entries, TimedOptions options, int sends) {
        SimulatedClock clock = new SimulatedClock();
        long firstSeq = PlayerStream.firstSeq(clock.epochMicros());
        List<AnsweringSink> sinks = new ArrayList<>();
        List<PlayerStream> streams = new ArrayList<>();
        Set<String> everyVoice = new HashSet<>();
        timeline.voices().forEach(v -> everyVoice.add(v.name()));
        for (RosterEntry e : entries) {
            if (!everyVoice.contains(e.voice())) {
                continue; // it only ever gets silences (the real engine warns about it, once)
            }
            AnsweringSink sink = new AnsweringSink(clock, options);
            sinks.add(sink);
            streams.add(new PlayerStream(e, e.host() + ":" + e.port(), sink, options, firstSeq, clock.nanoTime()));
        }
        boolean anyNote = timeline.voices().stream().anyMatch(v -> !v.notes().isEmpty());
        if (streams.isEmpty() || !anyNote || timeline.totalSeconds() <= 0) {
            return Result.NONE; // nothing to play (a live session's empty timeline): nothing to warm
        }
        long[] notes = {0};
        // Every voice optional: a voice the roster leaves out is the real engine's to warn about.
        Scheduler s = new Scheduler(timeline, streams, clock, new ScheduleMeter(),
                (player, hz, deadline, sendAt, sent) -> notes[0]++, Scheduler.DEFAULT_START_LEAD_NANOS, 0, everyVoice);
        long end = clock.nanoTime() + options.syncTimeout().toNanos();
        int steps = 0;
        int maxSteps = MAX_STEPS_PER_SEND * sends + MAX_STEPS_PER_SEND;
        while (clock.nanoTime() < end && !s.answeredAtLeast(SYNC_ANSWERS) && steps++ < maxSteps) {
            step(s, sinks, clock, end);
        }
        s.settle();
        if (timeline.measureCount() > 0) {
            s.setLoop(1, timeline.measureCount());
        }
        s.play(clock.nanoTime());
        long limit = clock.nanoTime() + MAX_SIMULATED_NANOS;
        while (sent(sinks) < sends && clock.nanoTime() < limit && steps++ < maxSteps) {
            if (!step(s, sinks, clock, limit)) {
                break; // nothing left to send
            }
        }
        s.stop(clock.nanoTime());
        while (s.silencing() && clock.nanoTime() < limit && steps++ < maxSteps) {
            step(s, sinks, clock, limit);
        }
        long tones = 0;
        for (AnsweringSink k : sinks) {
            tones += k.timedTones;
        }
        return new Result(sent(sinks), notes[0], tones);
    }

    /** Moves the clock to the scheduler's next work (at most to {@code end}), runs it, hands the answers back. */
    private static boolean step(Scheduler s, List<AnsweringSink> sinks, SimulatedClock clock, long end) {
        long next = Math.min(s.nextPreciseNanos(), s.nextRoughNanos());
        if (next == Long.MAX_VALUE) {
            return false;
        }
        clock.nanos = Math.min(end, Math.max(clock.nanos, next));
        s.runDue(clock.nanos);
        if (s.takePublishRequest()) {
            s.snapshot(clock.nanos); // what the engine's thread publishes to its listeners
        }
        for (int p = 0; p < sinks.size(); p++) {
            for (byte[] reply : sinks.get(p).takeReplies()) {
                s.onDatagram(p, reply, reply.length, clock.nanos);
            }
        }
        return true;
    }

    private static long sent(List<AnsweringSink> sinks) {
        long n = 0;
        for (AnsweringSink k : sinks) {
            n += k.datagrams;
        }
        return n;
    }

    /** A throwaway player: counts what it is sent and answers clock-sync requests at once. */
    private static final class AnsweringSink implements DatagramSink {
        private final SimulatedClock clock;
        private final TimedOptions options;
        private final List<byte[]> replies = new ArrayList<>();
        long datagrams;
        long timedTones;

        AnsweringSink(SimulatedClock clock, TimedOptions options) {
            this.clock = clock;
            this.options = options;
        }

        @Override
        public boolean send(byte[] datagram, int length) {
            if (length == 0 || !TimedCodec.isTimed(datagram[0])) {
                datagrams++;
                return true; // a plain integer
            }
            if (TimedCodec.decode(Arrays.copyOf(datagram, length), options.authenticator())
                    instanceof DecodeResult.Accepted<TimedMessage> a) {
                if (!(a.value() instanceof TimedMessage.SyncRequest)) {
                    datagrams++; // the music's: the budget is not spent on the settling clock sync
                }
                if (a.value() instanceof TimedMessage.SyncRequest r) {
                    long t = clock.nanos / 1000;
                    replies.add(TimedCodec.encode(new TimedMessage.SyncReply(r.seq(), r.t1Micros(), t, t,
                            List.of(TimedCodec.VERSION_LEGACY, TimedCodec.VERSION_TIMED_1)), options.authenticator()));
                } else if (a.value() instanceof TimedMessage.Tone) {
                    timedTones++;
                }
            }
            return true;
        }

        List<byte[]> takeReplies() {
            if (replies.isEmpty()) {
                return List.of();
            }
            List<byte[]> r = List.copyOf(replies);
            replies.clear();
            return r;
        }
    }

    /** The warm-up's own time: where the loop has moved it, not the machine's. */
    private static final class SimulatedClock implements Clock {
        /** Starts an hour in, so no deadline or sequence number is near zero. */
        volatile long nanos = 3_600_000_000_000L;

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public long epochMicros() {
            return 1_700_000_000_000_000L + nanos / 1000;
        }
    }
}
