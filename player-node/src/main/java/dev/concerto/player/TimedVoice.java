package dev.concerto.player;

import dev.concerto.player.synth.ToneGenerator;
import dev.concerto.protocol.RejectReason;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A player's timed-protocol state: sequence numbers per source, the accepted tone messages, and the
 * changes they schedule on the {@link ToneGenerator} (start and lease end of each message, at exact
 * frames). The rules (also in PROTOCOL.md, "Player rules"):
 *
 * <ul>
 *   <li>What sounds at player time {@code t} is the message with the <b>highest sequence number</b>
 *       among the accepted messages of the current source whose start is at or before {@code t} — its
 *       frequency until its lease end, silence after. So a later message replaces the tone from its own
 *       start, and a resent note with a later lease end extends it; arrival order does not matter.</li>
 *   <li><b>duplicate</b>: the sequence number is among the last {@value #SEEN_WINDOW} accepted from that
 *       source.</li>
 *   <li><b>stale</b>: not after (RFC 1982) the sequence number of the message sounding now, or a message
 *       with a later sequence number starts no later than this one — either way it could never sound.
 *       Messages older than a merely scheduled (future) one are accepted: reordering in flight is
 *       tolerated.</li>
 *   <li><b>expired</b>: its lease end ({@code at + lease}) is at or before the receive time.</li>
 *   <li><b>late</b>: accepted with {@code at} before the receive time: it starts at once.</li>
 *   <li>A message from another source (a restarted director) takes over: the other source's future
 *       messages are withdrawn; each source keeps its own sequence state (at most
 *       {@value #MAX_SOURCES} sources are remembered).</li>
 *   <li>At most {@value #MAX_FUTURE} future messages are held; beyond that the one with the oldest
 *       sequence number is forgotten.</li>
 * </ul>
 *
 * <p>Thread-safety: owned by the player's receive thread, except {@link #takeApplied}, which the
 * generator's listener calls from the audio (or scheduler) thread.
 */
final class TimedVoice {

    /** Sequence numbers remembered per source to recognize duplicates. */
    static final int SEEN_WINDOW = 64;
    /** Future (not yet started) messages held. */
    static final int MAX_FUTURE = 64;
    /** Sources whose sequence state is remembered. */
    static final int MAX_SOURCES = 16;

    /** What a scheduled change is for. */
    enum Kind {
        START, END;

        String key() {
            return this == START ? "start" : "lease-end";
        }
    }

    /**
     * A change handed to the generator, for the events file.
     *
     * @param atMicros       the scheduled time in the player's clock, µs (for a late start: the message's
     *                       {@code at}, although it was scheduled at once)
     * @param frame          the generator frame of {@code atMicros}
     * @param epochMicros    the wall-clock time of {@code atMicros}, epoch µs
     * @param late           a late start, applied at once
     */
    record Scheduled(long handle, Kind kind, long seq, double hz, long atMicros, long frame, long epochMicros,
            boolean late) {
    }

    /** The outcome of {@link #offer}: accepted (maybe late) or rejected for a reason. */
    record Outcome(RejectReason rejected, boolean late) {
        static final Outcome ON_TIME = new Outcome(null, false);
        static final Outcome LATE = new Outcome(null, true);

        boolean accepted() {
            return rejected == null;
        }
    }

    /** An accepted message; its frames are mapped once, on arrival, so a plan never moves them. */
    private record Message(long id, InetSocketAddress source, long seq, double hz, long atMicros, long startMicros,
            long endMicros, long atFrame, long startFrame, long endFrame) {
    }

    private record Change(long key, Kind kind, Message message, long micros, long frame, double hz) {
    }

    private static final class SourceState {
        final ArrayDeque<Long> order = new ArrayDeque<>();
        final Set<Long> seen = new HashSet<>();

        void remember(long seq) {
            if (seen.add(seq)) {
                order.addLast(seq);
                if (order.size() > SEEN_WINDOW) {
                    seen.remove(order.removeFirst());
                }
            }
        }
    }

    private final ToneGenerator generator;
    private final Map<InetSocketAddress, SourceState> sources = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, SourceState> eldest) {
            return size() > MAX_SOURCES;
        }
    };
    private final List<Message> future = new ArrayList<>();
    private final Map<Long, Change> planned = new HashMap<>();
    private final Map<Long, Long> handles = new HashMap<>();
    private final Map<Long, Scheduled> info = new ConcurrentHashMap<>();
    private Message current;
    private long nextId;
    private long epochMinusPlayerMicros;

    private final boolean keepInfo;

    /**
     * @param keepInfo remember each scheduled change for {@link #takeApplied} (an events file is written)
     */
    TimedVoice(ToneGenerator generator, boolean keepInfo) {
        this.generator = generator;
        this.keepInfo = keepInfo;
    }

    /**
     * Applies the rules to one tone message received at player time {@code nowMicros}.
     *
     * @param nowEpochMicros the wall clock at the same instant, for the events file
     */
    Outcome offer(InetSocketAddress source, TimedMessage.Tone t, long nowMicros, long nowEpochMicros) {
        epochMinusPlayerMicros = nowEpochMicros - nowMicros;
        SourceState state = sources.computeIfAbsent(source, s -> new SourceState());
        if (state.seen.contains(t.seq())) {
            return new Outcome(RejectReason.DUPLICATE, false);
        }
        advance(nowMicros);
        long start = Math.max(t.atMicros(), nowMicros);
        if (current != null && current.source.equals(source) && !TimedCodec.seqAfter(t.seq(), current.seq)) {
            return new Outcome(RejectReason.STALE, false);
        }
        for (Message f : future) {
            if (f.source.equals(source) && TimedCodec.seqAfter(f.seq, t.seq()) && f.startMicros <= start) {
                return new Outcome(RejectReason.STALE, false);
            }
        }
        if (t.leaseEndMicros() <= nowMicros) {
            return new Outcome(RejectReason.EXPIRED, false);
        }
        state.remember(t.seq());
        future.removeIf(f -> !f.source.equals(source)); // another director took over
        Message m = new Message(++nextId, source, t.seq(), t.hz(), t.atMicros(), start, t.leaseEndMicros(),
                frameOf(t.atMicros()), frameOf(start), frameOf(t.leaseEndMicros()));
        boolean late = t.atMicros() < nowMicros;
        Message previous = current;
        if (start <= nowMicros) {
            current = m; // not stale, so it wins over what sounds now
        } else {
            future.add(m);
            if (future.size() > MAX_FUTURE) {
                Message oldest = future.get(0);
                for (Message f : future) {
                    if (TimedCodec.seqAfter(oldest.seq, f.seq)) {
                        oldest = f;
                    }
                }
                future.remove(oldest);
            }
        }
        try {
            replan(nowMicros);
        } catch (IllegalArgumentException e) {
            // The generator refused the frequency (above its range): forget the message, keep the rest.
            future.remove(m);
            current = previous;
            replan(nowMicros);
            throw e;
        }
        return late ? Outcome.LATE : Outcome.ON_TIME;
    }

    /** Withdraws every scheduled change and forgets the messages (sequence state is kept). */
    void clear() {
        for (Long handle : handles.values()) {
            generator.cancel(handle);
            info.remove(handle);
        }
        handles.clear();
        planned.clear();
        future.clear();
        current = null;
    }

    /** The scheduling details of an applied change (removed: each is reported once), or null. Any thread. */
    Scheduled takeApplied(long handle) {
        synchronized (info) { // waits for a registration in progress (replan) to finish
            return info.remove(handle);
        }
    }

    /** Changes currently planned (for tests). */
    int plannedChanges() {
        return planned.size();
    }

    /** Moves messages whose start has come into {@code current} when they win. */
    private void advance(long nowMicros) {
        future.sort(Comparator.comparingLong(Message::startMicros).thenComparingLong(Message::id));
        while (!future.isEmpty() && future.get(0).startMicros <= nowMicros) {
            Message f = future.remove(0);
            if (wins(f, current)) {
                current = f;
            }
        }
    }

    private static boolean wins(Message f, Message w) {
        return w == null || !w.source.equals(f.source) || TimedCodec.seqAfter(f.seq, w.seq);
    }

    /**
     * Recomputes the changes the messages imply and tells the generator only the differences. A
     * change whose time has passed is history: it is forgotten, never withdrawn, because a busy
     * audio thread may not have rendered it yet (and a new message only ever changes what
     * happens from its own start, which is now or later).
     */
    private void replan(long nowMicros) {
        future.sort(Comparator.comparingLong(Message::startMicros).thenComparingLong(Message::id));
        Map<Long, Change> plan = new HashMap<>();
        Message w = current;
        if (w != null) {
            put(plan, start(w));
        }
        for (Message f : future) {
            if (!wins(f, w)) {
                continue;
            }
            Change s = start(f);
            if (w != null) {
                Change e = end(w);
                if (e.frame < s.frame) {
                    put(plan, e); // w's lease ran out before f starts
                }
            }
            put(plan, s);
            w = f;
        }
        if (w != null) {
            put(plan, end(w));
        }
        for (java.util.Iterator<Map.Entry<Long, Long>> it = handles.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Long> old = it.next();
            if (!plan.containsKey(old.getKey())) {
                it.remove();
                Change was = planned.get(old.getKey());
                if (was == null || was.micros >= nowMicros) {
                    generator.cancel(old.getValue());
                    info.remove(old.getValue());
                }
            }
        }
        for (Change c : plan.values()) {
            if (!handles.containsKey(c.key)) {
                long handle;
                // Registered before scheduling: the audio thread may apply it at once.
                Scheduled s;
                synchronized (info) {
                    handle = generator.schedule(c.hz, Math.max(0, c.frame));
                    boolean lateStart = c.kind == Kind.START && c.message.startMicros > c.message.atMicros;
                    long at = c.kind == Kind.START ? c.message.atMicros : c.message.endMicros;
                    s = new Scheduled(handle, c.kind, c.message.seq, c.hz, at,
                            lateStart ? c.message.atFrame : c.frame, at + epochMinusPlayerMicros, lateStart);
                    if (keepInfo) {
                        info.put(handle, s);
                    }
                }
                handles.put(c.key, handle);
            }
        }
        planned.clear();
        planned.putAll(plan);
    }

    private static void put(Map<Long, Change> plan, Change c) {
        plan.put(c.key, c);
    }

    private Change start(Message m) {
        return new Change(m.id * 2, Kind.START, m, m.startMicros, m.startFrame, m.hz);
    }

    private Change end(Message m) {
        return new Change(m.id * 2 + 1, Kind.END, m, m.endMicros, m.endFrame, 0);
    }

    private long frameOf(long playerMicros) {
        return generator.frameAt(playerMicros * 1000);
    }
}
