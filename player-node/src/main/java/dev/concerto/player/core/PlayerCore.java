package dev.concerto.player.core;

import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.LegacyCodec;
import dev.concerto.protocol.OutputLatencyToken;
import dev.concerto.protocol.RejectReason;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import dev.concerto.protocol.ToneCommand;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A player's protocol logic without sockets or threads (the sans-I/O shape): it takes each datagram
 * with its source and receive time and answers with effects — tone changes at their audio frame
 * (each a {@link ToneChange}, the tag that comes back from the generator), replies to send, event
 * records — and counts. Both wire formats share the port, told apart by the first byte
 * ({@link TimedCodec#isTimed}). The rules are in PROTOCOL.md ("Player rules") and {@link ToneSchedule};
 * in order, for every datagram: the allow-list, then the codec (with a key: signature), then the
 * guards: for a timed tone duplicate, stale, expired, too-old (keyed), too-early, the generator's
 * range; the lease cut to {@link PlayerLimits#maxLeaseMillis()}.
 *
 * <p>Time: the player's clock is monotonic µs ({@code nanoTime / 1000} of the injected {@link Clock});
 * {@code receivedMicros} is read by the shell right after the datagram arrived (the {@code t2} of a
 * sync exchange) and the clock only for {@code t3}, just before a reply is handed over.
 *
 * <p>Thread-safety: {@link #receive}, {@link #tick} and {@link #stop} must be called by one thread at
 * a time (the receive thread owns the core); {@link #counters()} may be read from any thread, and
 * sees a datagram's effects once it sees it counted.
 */
public final class PlayerCore {

    private static final Logger LOG = LoggerFactory.getLogger(PlayerCore.class);

    /** The protocols a player speaks, as its sync replies list them. */
    public static final List<String> VERSIONS = List.of(TimedCodec.VERSION_LEGACY, TimedCodec.VERSION_TIMED_1);
    /** How often each kind of rejection may be logged, µs. */
    static final long REJECTION_LOG_INTERVAL_MICROS = 10_000_000L;
    /** Bytes of a datagram kept in an event. */
    static final int EVENT_RAW_BYTES = 64;

    private final Settings settings;
    private final Clock clock;
    private final ToneSchedule schedule;
    private final RejectionLog rejectionLog;
    private final RejectionSummary summary = new RejectionSummary();
    private final AtomicLong datagrams = new AtomicLong();
    private final AtomicLong toneChanges = new AtomicLong();
    private final AtomicLong watchdogSilences = new AtomicLong();
    private final AtomicLongArray drops = new AtomicLongArray(RejectReason.values().length);
    private final AtomicLong timedTones = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong syncReplies = new AtomicLong();
    private final AtomicLong leasesClamped = new AtomicLong();
    /** What the sync replies list: {@link #VERSIONS}, and the output latency once it is known. */
    private volatile List<String> versions = VERSIONS;

    /**
     * What a core needs to know. Immutable.
     *
     * @param name            the player's name, for logs
     * @param allow           the sources accepted; others are {@code not-allowed}
     * @param auth            the shared key (and this player's signer for its replies), or null
     * @param watchdogSeconds nothing sounds later than this after the last accepted datagram; 0 = off
     * @param limits          the timed protocol's guards
     * @param maxHz           the highest frequency the generator can sound; above it a tone is
     *                        {@code out-of-range}
     * @param events          produce {@link PlayerEvent}s (an events file is written)
     */
    public record Settings(String name, SourceFilter allow, Authenticator auth, double watchdogSeconds,
            PlayerLimits limits, double maxHz, boolean events) {
        public Settings {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(allow, "allow");
            Objects.requireNonNull(limits, "limits");
            if (!(watchdogSeconds >= 0) || Double.isInfinite(watchdogSeconds)) {
                throw new IllegalArgumentException("watchdog must be >= 0 seconds, got " + watchdogSeconds);
            }
        }
    }

    public PlayerCore(Settings settings, Clock clock, FrameMap frames) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.schedule = new ToneSchedule(frames, settings.auth() != null,
                Math.round(settings.watchdogSeconds() * 1e6));
        this.rejectionLog = new RejectionLog(LOG, REJECTION_LOG_INTERVAL_MICROS, settings.name());
    }

    /**
     * Runs this core's protocol path {@code rounds} times on a throwaway copy ({@link CoreWarmUp}), so
     * the first real datagrams are handled as fast as the later ones. Changes nothing here.
     *
     * @return the tone changes the copy produced
     */
    public long warmUp(int rounds) {
        return CoreWarmUp.run(settings, rounds);
    }

    /** The player's clock: monotonic microseconds (never negative) of a {@code nanoTime()} reading. */
    public static long playerMicros(long nanoTime) {
        return Math.max(0, Math.floorDiv(nanoTime, 1000));
    }

    /**
     * States the output's latency in every sync reply from now on ({@code output-ms/16.1} after the
     * protocols), so the director can show it; NaN states none. Any thread.
     *
     * @param ms the latency estimated when the audio line became ready, ms (0 or more), or NaN
     */
    public void outputLatency(double ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("output latency must be >= 0 ms, got " + ms);
        }
        versions = Double.isNaN(ms) ? VERSIONS
                : java.util.stream.Stream.concat(VERSIONS.stream(), java.util.stream.Stream.of(
                        OutputLatencyToken.of(ms))).toList();
    }

    /**
     * Handles one datagram, {@code buf[offset .. offset+length)}.
     *
     * @param receivedMicros the player's clock right after it arrived
     */
    public void receive(byte[] buf, int offset, int length, Peer source, long receivedMicros, PlayerEffects fx) {
        try {
            tick(receivedMicros, fx);
            if (!settings.allow().allows(source.addressBytes())) {
                reject(RejectReason.NOT_ALLOWED, source, buf, offset, length,
                        source + " is not in the allow-list " + settings.allow(), receivedMicros, fx);
            } else if (length > 0 && TimedCodec.isTimed(buf[offset])) {
                timed(buf, offset, length, source, receivedMicros, fx);
            } else {
                plain(buf, offset, length, source, receivedMicros, fx);
            }
        } finally {
            // Counted once handled, so whoever sees the count also sees the datagram's effects.
            datagrams.incrementAndGet();
        }
    }

    /** Lets time pass with no datagram: the watchdog, and the per-second rejection summary. */
    public void tick(long nowMicros, PlayerEffects fx) {
        long silent = schedule.passTime(nowMicros, fx);
        if (silent >= 0) {
            watchdogSilences.incrementAndGet();
            LOG.info("player {}: no news for {} s, the watchdog silenced the tone", settings.name(),
                    settings.watchdogSeconds());
            if (settings.events()) {
                fx.event(new PlayerEvent.Watchdog(nowMicros, silent / 1e6));
            }
        }
        if (settings.events()) {
            summary.flushBefore(nowMicros, fx);
        }
    }

    /** Silence now, for good: withdraws every scheduled change and silences at once. */
    public void stop(long nowMicros, PlayerEffects fx) {
        schedule.clear(nowMicros, fx);
        fx.sound(new ToneChange(schedule.nextChangeId(), ToneChange.Cause.STOP, 0, ToneChange.AT_ONCE, nowMicros,
                -1, false));
        if (settings.events()) {
            summary.flushBefore(Long.MAX_VALUE, fx);
        }
    }

    /** A consistent-enough snapshot of the counters (each counter is read atomically). Any thread. */
    public PlayerCounters counters() {
        Map<RejectReason, Long> m = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            m.put(r, drops.get(r.ordinal()));
        }
        return new PlayerCounters(datagrams.get(), toneChanges.get(), watchdogSilences.get(), m, timedTones.get(),
                late.get(), syncReplies.get(), leasesClamped.get());
    }

    private void plain(byte[] buf, int offset, int length, Peer source, long now, PlayerEffects fx) {
        if (settings.auth() != null) {
            reject(RejectReason.UNAUTHENTICATED, source, buf, offset, length,
                    "a key is configured: plain integers carry no MAC and are refused", now, fx);
            return;
        }
        DecodeResult<ToneCommand> result = LegacyCodec.decode(buf, offset, length);
        if (result instanceof DecodeResult.Rejected<ToneCommand> r) {
            reject(r.reason(), source, buf, offset, length, r.detail(), now, fx);
            return;
        }
        int hz = ((DecodeResult.Accepted<ToneCommand>) result).value().hz();
        if (hz > settings.maxHz()) {
            reject(RejectReason.OUT_OF_RANGE, source, buf, offset, length,
                    hz + " Hz is above what this generator sounds (" + settings.maxHz() + " Hz)", now, fx);
            return;
        }
        toneChanges.incrementAndGet();
        schedule.acceptPlain(hz, now, fx);
        if (settings.events()) {
            fx.event(new PlayerEvent.Accepted(now, source.toString(), raw(buf, offset, length), length, "plain", -1,
                    -1, hz, -1, false, false));
        }
    }

    private void timed(byte[] buf, int offset, int length, Peer source, long now, PlayerEffects fx) {
        DecodeResult<TimedCodec.Envelope> result = TimedCodec.decodeSigned(buf, offset, length, settings.auth());
        if (result instanceof DecodeResult.Rejected<TimedCodec.Envelope> r) {
            reject(r.reason(), source, buf, offset, length, r.detail(), now, fx);
            return;
        }
        TimedCodec.Envelope envelope = ((DecodeResult.Accepted<TimedCodec.Envelope>) result).value();
        TimedMessage message = envelope.message();
        if (message instanceof TimedMessage.SyncRequest sync) {
            long t3 = Math.max(now, playerMicros(clock.nanoTime())); // just before the reply leaves
            byte[] reply = TimedCodec.encode(new TimedMessage.SyncReply(sync.seq(), sync.t1Micros(), now, t3, versions),
                    settings.auth());
            syncReplies.incrementAndGet(); // before it leaves: whoever has the reply sees it counted
            fx.reply(reply);
            schedule.news(now, fx);
            if (settings.events()) {
                fx.event(new PlayerEvent.Accepted(now, source.toString(), raw(buf, offset, length), length, "sync",
                        sync.seq(), -1, -1, -1, false, false));
            }
        } else if (message instanceof TimedMessage.Tone tone) {
            tone(tone, settings.auth() != null ? (Object) envelope.signer() : source, buf, offset, length, source, now,
                    fx);
        } else {
            reject(RejectReason.BAD_SYNTAX, source, buf, offset, length,
                    "a sync reply ('R') is for a director, not a player", now, fx);
        }
    }

    private void tone(TimedMessage.Tone tone, Object identity, byte[] buf, int offset, int length, Peer source,
            long now, PlayerEffects fx) {
        PlayerLimits limits = settings.limits();
        boolean clamped = tone.leaseMillis() > limits.maxLeaseMillis();
        long leaseMillis = Math.min(tone.leaseMillis(), limits.maxLeaseMillis());
        long leaseEnd = tone.atMicros() + leaseMillis * 1000L;
        RejectReason refused = schedule.check(identity, tone, leaseEnd, now);
        String why = null;
        if (refused == null && settings.auth() != null && tone.atMicros() < now - limits.maxAgeMillis() * 1000L) {
            refused = RejectReason.TOO_OLD;
            why = "starts " + (now - tone.atMicros()) / 1000 + " ms before it arrived; signed messages may be at most "
                    + limits.maxAgeMillis() + " ms old";
        }
        if (refused == null && tone.atMicros() > now + limits.maxAheadMillis() * 1000L) {
            refused = RejectReason.TOO_EARLY;
            why = "starts " + (tone.atMicros() - now) / 1000 + " ms after it arrived, more than the "
                    + limits.maxAheadMillis() + " ms allowed (--max-ahead-ms)";
        }
        if (refused == null && tone.hz() > settings.maxHz()) {
            refused = RejectReason.OUT_OF_RANGE;
            why = tone.hz() + " Hz is above what this generator sounds (" + settings.maxHz() + " Hz)";
        }
        if (refused != null) {
            reject(refused, source, buf, offset, length,
                    "timed tone " + tone.seq() + ": " + (why != null ? why : refused.key()), now, fx);
            return;
        }
        boolean isLate = tone.atMicros() < now;
        timedTones.incrementAndGet();
        toneChanges.incrementAndGet();
        if (isLate) {
            late.incrementAndGet();
        }
        if (clamped) {
            leasesClamped.incrementAndGet();
        }
        schedule.acceptTimed(identity, tone, leaseEnd, now, fx);
        if (settings.events()) {
            fx.event(new PlayerEvent.Accepted(now, source.toString(), raw(buf, offset, length), length, "tone",
                    tone.seq(), tone.atMicros(), tone.hz(), leaseMillis, clamped, isLate));
        }
    }

    private void reject(RejectReason reason, Peer source, byte[] buf, int offset, int length, String detail,
            long now, PlayerEffects fx) {
        drops.incrementAndGet(reason.ordinal());
        rejectionLog.rejected(reason, source, detail, now);
        if (settings.events()) {
            summary.add(reason, source, buf, offset, length, now, fx);
        }
    }

    private static String raw(byte[] buf, int offset, int length) {
        return LegacyCodec.printable(buf, offset, offset + Math.min(length, EVENT_RAW_BYTES));
    }

    /** Rejections per reason per second of the player's clock, reported as one event each. */
    private static final class RejectionSummary {
        private static final long SECOND = 1_000_000L;
        private final long[] counts = new long[RejectReason.values().length];
        private final Peer[] lastSource = new Peer[counts.length];
        private final String[] lastRaw = new String[counts.length];
        private long secondStart = Long.MIN_VALUE;
        private boolean any;

        void add(RejectReason reason, Peer source, byte[] buf, int offset, int length, long now, PlayerEffects fx) {
            flushBefore(now, fx);
            if (!any) {
                secondStart = now - Math.floorMod(now, SECOND);
                any = true;
            }
            int i = reason.ordinal();
            counts[i]++;
            lastSource[i] = source;
            if (counts[i] == 1 || lastRaw[i] == null) {
                lastRaw[i] = raw(buf, offset, length);
            }
        }

        /** Reports the second that ended before {@code now}, if any rejection fell in it. */
        void flushBefore(long now, PlayerEffects fx) {
            if (!any || now < secondStart + SECOND) {
                return;
            }
            for (RejectReason r : RejectReason.values()) {
                int i = r.ordinal();
                if (counts[i] > 0) {
                    fx.event(new PlayerEvent.Rejected(secondStart, r, counts[i], lastSource[i].toString(), lastRaw[i]));
                    counts[i] = 0;
                    lastSource[i] = null;
                    lastRaw[i] = null;
                }
            }
            any = false;
        }
    }
}
