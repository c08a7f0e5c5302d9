package dev.concerto.player.core;

import dev.concerto.protocol.RejectReason;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a player sounds, and when: the accepted messages (plain integers and timed tones), the
 * sequence state per source, and the changes they imply, handed to the generator as
 * {@link ToneChange}s through {@link PlayerEffects} (only the differences when something changes).
 * The rules (also in PROTOCOL.md, "Player rules"):
 *
 * <ul>
 *   <li>What sounds at player time {@code t} is the message with the <b>highest sequence number</b>
 *       among the accepted messages of the current source whose start is at or before {@code t} — its
 *       frequency until its lease end, silence after. A plain integer sounds from its arrival until
 *       something else is accepted.</li>
 *   <li><b>duplicate</b>: the sequence number is among the last {@value #SEEN_WINDOW} accepted from that
 *       source. <b>stale</b>: the source was retired (with a key), or not after (RFC 1982) the sequence
 *       number of the message sounding now, or a message with a later sequence number starts no later —
 *       either way it could never sound. <b>expired</b>: its (capped) lease end is at or before the
 *       receive time. <b>late</b>: accepted with {@code at} before the receive time: it starts at once.</li>
 *   <li>A message from another source takes over: the other source's future messages are withdrawn;
 *       with a key (sources are signers) the other source is <b>retired</b> for good.</li>
 *   <li>The <b>guard</b> ({@code --watchdog}): nothing sounds later than the watchdog interval after
 *       the last news. The cut is planned like any change, at its exact frame, and when its time has
 *       passed every scheduled change is withdrawn and the messages are forgotten.</li>
 * </ul>
 *
 * <p>Not thread-safe: owned by one {@link PlayerCore}. No sockets, threads or clocks: every method
 * takes the time.
 */
final class ToneSchedule {

    /** Sequence numbers remembered per source to recognize duplicates. */
    static final int SEEN_WINDOW = 64;
    /** Future (not yet started) messages held. */
    static final int MAX_FUTURE = 64;
    /** Sources whose sequence state is remembered. */
    static final int MAX_SOURCES = 16;
    /** Retired signers remembered (with a key). */
    static final int MAX_RETIRED = 1024;

    /** The source of plain-integer messages (they carry no sequence number). */
    private static final Object PLAIN = new Object() {
        @Override
        public String toString() {
            return "plain";
        }
    };

    /** An accepted message; its frames are mapped once, on arrival, so a plan never moves them. */
    private record Message(long id, Object source, long seq, double hz, long atMicros, long startMicros,
            long endMicros, long startFrame, long endFrame) {
        boolean endless() {
            return endMicros == Long.MAX_VALUE;
        }
    }

    /** What a planned change is; equal keys are the same change. */
    private record Key(long message, ToneChange.Cause cause, long micros) {
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

    private final FrameMap frames;
    private final boolean keyed;
    private final long watchdogMicros;
    private final Map<Object, SourceState> sources = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, SourceState> eldest) {
            return size() > MAX_SOURCES;
        }
    };
    private final Set<Object> retired = new LinkedHashSet<>();
    private final List<Message> future = new ArrayList<>();
    private final Map<Key, ToneChange> scheduled = new HashMap<>();
    private Message current;
    private Object lastSource;
    private long nextMessageId;
    private long nextChangeId;
    private long lastNewsMicros;
    private boolean guardPassed = true;

    /**
     * @param keyed          sources are signers, and a source taken over from is retired
     * @param watchdogMicros the guard interval after the last news, µs; 0 = no guard
     */
    ToneSchedule(FrameMap frames, boolean keyed, long watchdogMicros) {
        this.frames = frames;
        this.keyed = keyed;
        this.watchdogMicros = watchdogMicros;
    }

    /** Why a timed message would be refused, or null when it can be accepted (nothing changes). */
    RejectReason check(Object source, TimedMessage.Tone t, long leaseEndMicros, long nowMicros) {
        SourceState state = sources.get(source);
        if (state != null && state.seen.contains(t.seq())) {
            return RejectReason.DUPLICATE;
        }
        if (retired.contains(source)) {
            return RejectReason.STALE;
        }
        advance(nowMicros);
        long start = Math.max(t.atMicros(), nowMicros);
        if (current != null && current.source.equals(source) && !TimedCodec.seqAfter(t.seq(), current.seq)) {
            return RejectReason.STALE;
        }
        for (Message f : future) {
            if (f.source.equals(source) && TimedCodec.seqAfter(f.seq, t.seq()) && f.startMicros <= start) {
                return RejectReason.STALE;
            }
        }
        if (leaseEndMicros <= nowMicros) {
            return RejectReason.EXPIRED;
        }
        return null;
    }

    /** Accepts a timed message that passed {@link #check}; plans what changes. */
    void acceptTimed(Object source, TimedMessage.Tone t, long leaseEndMicros, long nowMicros, PlayerEffects fx) {
        sources.computeIfAbsent(source, s -> new SourceState()).remember(t.seq());
        takeOver(source);
        long start = Math.max(t.atMicros(), nowMicros);
        Message m = new Message(++nextMessageId, source, t.seq(), t.hz(), t.atMicros(), start, leaseEndMicros,
                frames.frameAt(start), frames.frameAt(leaseEndMicros));
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
        news(nowMicros, fx);
    }

    /** A plain integer: sounds at once until told otherwise, and withdraws every scheduled timed change. */
    void acceptPlain(double hz, long nowMicros, PlayerEffects fx) {
        takeOver(PLAIN);
        future.clear();
        current = new Message(++nextMessageId, PLAIN, -1, hz, nowMicros, nowMicros, Long.MAX_VALUE,
                ToneChange.AT_ONCE, Long.MAX_VALUE);
        news(nowMicros, fx);
    }

    /** Other news (an answered sync): moves the guard. */
    void news(long nowMicros, PlayerEffects fx) {
        lastNewsMicros = nowMicros;
        guardPassed = false;
        replan(nowMicros, fx);
    }

    /**
     * Lets time pass: when the guard's time has come, withdraws everything and forgets the messages.
     *
     * @return the silence the watchdog imposed, µs of no news, or -1 when it cut no tone
     */
    long passTime(long nowMicros, PlayerEffects fx) {
        if (guardPassed || watchdogMicros <= 0 || nowMicros < guard()) {
            return -1;
        }
        guardPassed = true;
        boolean cut = false;
        for (Map.Entry<Key, ToneChange> e : scheduled.entrySet()) {
            if (e.getKey().cause == ToneChange.Cause.WATCHDOG) {
                cut = true;
            } else if (e.getKey().micros > nowMicros) {
                fx.withdraw(e.getValue()); // cannot happen with a consistent plan; belt and braces
            }
        }
        scheduled.clear();
        future.clear();
        current = null;
        return cut ? nowMicros - lastNewsMicros : -1;
    }

    /** Withdraws every scheduled change and forgets the messages (sequence state is kept). */
    void clear(long nowMicros, PlayerEffects fx) {
        for (Map.Entry<Key, ToneChange> e : scheduled.entrySet()) {
            if (e.getKey().micros >= nowMicros && e.getValue().frame() != ToneChange.AT_ONCE) {
                fx.withdraw(e.getValue());
            }
        }
        scheduled.clear();
        future.clear();
        current = null;
    }

    /** A new change id (for changes the core makes outside a plan). */
    long nextChangeId() {
        return ++nextChangeId;
    }

    private long guard() {
        return watchdogMicros <= 0 ? Long.MAX_VALUE : lastNewsMicros + watchdogMicros;
    }

    private void takeOver(Object source) {
        if (lastSource != null && !lastSource.equals(source)) {
            future.removeIf(f -> !f.source.equals(source)); // another director took over
            if (keyed && lastSource != PLAIN) {
                retired.add(lastSource);
                sources.remove(lastSource);
                if (retired.size() > MAX_RETIRED) {
                    Iterator<Object> it = retired.iterator();
                    it.next();
                    it.remove();
                }
            }
        }
        lastSource = source;
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
     * audio thread may not have rendered it yet (and news only ever changes what happens from
     * now on).
     */
    private void replan(long nowMicros, PlayerEffects fx) {
        future.sort(Comparator.comparingLong(Message::startMicros).thenComparingLong(Message::id));
        long guard = guard();
        Map<Key, ToneChange> plan = new HashMap<>();
        Message w = current;
        if (w != null) {
            put(plan, w, ToneChange.Cause.START, w.startMicros, w.startFrame, w.hz);
        }
        for (Message f : future) {
            if (f.startMicros >= guard) {
                break; // the guard silences before it would start
            }
            if (!wins(f, w)) {
                continue;
            }
            if (w != null && w.endFrame < f.startFrame) {
                put(plan, w, ToneChange.Cause.LEASE_END, w.endMicros, w.endFrame, 0); // ran out before f starts
            }
            put(plan, f, ToneChange.Cause.START, f.startMicros, f.startFrame, f.hz);
            w = f;
        }
        if (w != null) {
            if (w.endMicros > guard) {
                if (w.hz > 0) {
                    put(plan, w, ToneChange.Cause.WATCHDOG, guard, frames.frameAt(guard), 0);
                }
            } else if (!w.endless()) {
                put(plan, w, ToneChange.Cause.LEASE_END, w.endMicros, w.endFrame, 0);
            }
        }
        for (Iterator<Map.Entry<Key, ToneChange>> it = scheduled.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, ToneChange> old = it.next();
            if (!plan.containsKey(old.getKey())) {
                it.remove();
                if (old.getKey().micros >= nowMicros && old.getValue().frame() != ToneChange.AT_ONCE) {
                    fx.withdraw(old.getValue());
                }
            }
        }
        List<ToneChange> added = new ArrayList<>();
        for (Map.Entry<Key, ToneChange> e : plan.entrySet()) {
            if (!scheduled.containsKey(e.getKey())) {
                scheduled.put(e.getKey(), e.getValue());
                added.add(e.getValue());
            }
        }
        added.sort(Comparator.comparingLong(ToneChange::id)); // same frame: in plan order
        for (ToneChange c : added) {
            fx.sound(c);
        }
    }

    private void put(Map<Key, ToneChange> plan, Message m, ToneChange.Cause cause, long micros, long frame, double hz) {
        Key key = new Key(m.id, cause, micros);
        ToneChange existing = scheduled.get(key);
        if (existing != null) {
            plan.put(key, existing);
            return;
        }
        boolean late = cause == ToneChange.Cause.START && m.startMicros > m.atMicros;
        long at = cause == ToneChange.Cause.START ? m.atMicros : micros;
        boolean plain = m.source == PLAIN && cause == ToneChange.Cause.START;
        plan.put(key, new ToneChange(++nextChangeId, plain ? ToneChange.Cause.PLAIN : cause, hz,
                plain ? ToneChange.AT_ONCE : frame, at, m.seq, late));
    }
}
