package dev.concerto.protocol.log;

import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The one rate limiter for log lines about repeated problems (malformed datagrams, unreachable
 * players, a stalling audio line): per key, at most one line per interval, and that line says how
 * many events of its key were kept quiet since the previous one, so a flood of bad input can
 * neither flood the log nor go unseen.
 *
 * <p>Use: {@code long more = limiter.admit(key, nowNanos);} and, only when {@code more >= 0}, build
 * and write the line, ending it with {@link #moreSince(long) moreSince(more)} (or let
 * {@link #log(Enum, long, Level, String, Object...)} do both for arguments that are at hand anyway).
 * {@link #admit} allocates nothing, so a suppressed event costs two atomic operations and the
 * caller's own argument-building is skipped with it.
 *
 * <p>Time is the caller's: a monotonic count of nanoseconds ({@code System.nanoTime()} or
 * {@code Clock.nanoTime()}; player-clock microseconds times 1,000 serve too), so the limiter runs on
 * a fake clock in tests. Keys are the constants of an enum (one counter and one time each); a
 * single-subject log uses {@link Only#ONE} through {@link #single}.
 *
 * <p>Thread-safety: thread-safe and lock-free. Events racing with a line are never lost: each one
 * is either the event that writes a line or counted in the next line of its key (it may be
 * counted in the line being written, as concurrent events have no order).
 *
 * @param <K> the enum whose constants are the keys
 */
public final class RateLimitedLog<K extends Enum<K>> {

    /** What {@link #admit} returns for an event that must not be logged now. */
    public static final long SUPPRESSED = -1;

    /** The key of a log with one subject. */
    public enum Only { ONE }

    private static final long NEVER = Long.MIN_VALUE;

    private final Logger logger;
    private final long intervalNanos;
    private final AtomicLongArray lastLineNanos;
    private final AtomicLongArray suppressed;

    private RateLimitedLog(Logger logger, int keys, long intervalNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be > 0 ns, not " + intervalNanos);
        }
        this.logger = logger;
        this.intervalNanos = intervalNanos;
        this.lastLineNanos = new AtomicLongArray(keys);
        this.suppressed = new AtomicLongArray(keys);
        for (int i = 0; i < keys; i++) {
            lastLineNanos.set(i, NEVER);
        }
    }

    /**
     * A limiter with one counter per constant of {@code keys}.
     *
     * @param logger        where {@link #log} writes (the caller's own logger, so lines keep its name)
     * @param intervalNanos the least time between two lines of one key, ns (&gt; 0)
     */
    public static <K extends Enum<K>> RateLimitedLog<K> perKey(Logger logger, Class<K> keys, long intervalNanos) {
        return new RateLimitedLog<>(logger, keys.getEnumConstants().length, intervalNanos);
    }

    /** A limiter for one subject (key {@link Only#ONE}). */
    public static RateLimitedLog<Only> single(Logger logger, long intervalNanos) {
        return new RateLimitedLog<>(logger, 1, intervalNanos);
    }

    /** The least time between two lines of one key, ns. */
    public long intervalNanos() {
        return intervalNanos;
    }

    /** The interval in whole seconds, for messages ("at most every 10 s"). */
    public long intervalSeconds() {
        return intervalNanos / 1_000_000_000L;
    }

    /** The logger lines go to. */
    public Logger logger() {
        return logger;
    }

    /**
     * Records one event of {@code key} at {@code nowNanos} and says whether to log it.
     *
     * @return {@link #SUPPRESSED} (-1) when a line of this key was written less than an interval
     *         ago (the event is counted); otherwise the number of events of this key suppressed since
     *         its previous line (0 for the first), and the caller writes one line now
     */
    public long admit(K key, long nowNanos) {
        int i = key.ordinal();
        long last = lastLineNanos.get(i);
        if ((last != NEVER && nowNanos - last < intervalNanos) || !lastLineNanos.compareAndSet(i, last, nowNanos)) {
            suppressed.incrementAndGet(i);
            return SUPPRESSED;
        }
        return suppressed.getAndSet(i, 0);
    }

    /** {@link #admit(Enum, long)} for a {@link #single} log. */
    @SuppressWarnings("unchecked")
    public long admit(long nowNanos) {
        return admit((K) Only.ONE, nowNanos);
    }

    /**
     * Admits the event and, if admitted, writes {@code format} (SLF4J {@code {}} placeholders) at
     * {@code level} followed by {@link #moreSince}. The arguments (and their varargs array) are built
     * by the caller even when the event is suppressed: on a hot path use {@link #admit} instead.
     *
     * @return whether a line was written (or would have been, had the level been enabled)
     */
    public boolean log(K key, long nowNanos, Level level, String format, Object... args) {
        long more = admit(key, nowNanos);
        if (more == SUPPRESSED) {
            return false;
        }
        if (logger.isEnabledForLevel(level)) {
            logger.atLevel(level).log(format + moreSince(more), args);
        }
        return true;
    }

    /** {@link #log(Enum, long, Level, String, Object...)} at WARN for a {@link #single} log. */
    @SuppressWarnings("unchecked")
    public boolean warn(long nowNanos, String format, Object... args) {
        return log((K) Only.ONE, nowNanos, Level.WARN, format, args);
    }

    /**
     * The end of a line that was admitted with {@code suppressed} events kept quiet before it:
     * {@code ""} for none, else {@code " (N more since the last report)"}.
     */
    public static String moreSince(long suppressed) {
        return suppressed > 0 ? " (" + suppressed + " more since the last report)" : "";
    }
}
