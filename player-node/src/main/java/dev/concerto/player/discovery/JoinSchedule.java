package dev.concerto.player.discovery;

import dev.concerto.protocol.TimedMessage;

/**
 * When a player sends its join announces; pure (every call takes "now", monotonic nanoseconds).
 * Every announce expects an ack: unanswered, the next goes after a retry delay that starts at
 * {@value #RETRY_MIN_MILLIS} ms and doubles up to {@value #RETRY_MAX_MILLIS} ms; answered, the next
 * is a refresh one third of the ttl later, so two lost refreshes still leave the player on the
 * director's list. The player counts as <em>joined</em> while its last ack is younger than the ttl.
 * Not thread-safe (one announcer thread owns it).
 */
public final class JoinSchedule {

    /** The first retry delay. */
    public static final long RETRY_MIN_MILLIS = 250;
    /** The longest retry delay. */
    public static final long RETRY_MAX_MILLIS = 2_000;
    /** The default ttl: a stopped player that could not say goodbye is forgotten within it. */
    public static final int DEFAULT_TTL_SECONDS = 6;
    private static final int REMEMBERED = 8;

    private final int ttlSeconds;
    private final long[] sentSeq = new long[REMEMBERED];
    private final long[] sentAt = new long[REMEMBERED];
    private int sent;
    private long nextSeq;
    private long nextSendNanos;
    private long retryNanos = RETRY_MIN_MILLIS * 1_000_000;
    private long lastAckNanos;
    private boolean everAcked;

    /**
     * @param ttlSeconds the ttl announced, 1..600
     * @param firstSeq   the first sequence number (e.g. the wall clock in ms, so a restarted player is new)
     * @param nowNanos   now: the first announce is due at once
     */
    public JoinSchedule(int ttlSeconds, long firstSeq, long nowNanos) {
        if (ttlSeconds < 1 || ttlSeconds > 600) {
            throw new IllegalArgumentException("ttl " + ttlSeconds + " s outside 1..600");
        }
        this.ttlSeconds = ttlSeconds;
        this.nextSeq = firstSeq & TimedMessage.MAX_SEQ;
        this.nextSendNanos = nowNanos;
    }

    public int ttlSeconds() {
        return ttlSeconds;
    }

    /** When the next announce is due. */
    public long nextSendNanos() {
        return nextSendNanos;
    }

    /** Records an announce sent now and returns its sequence number. */
    public long send(long nowNanos) {
        long seq = nextSeq;
        nextSeq = (nextSeq + 1) & TimedMessage.MAX_SEQ;
        int slot = sent++ % REMEMBERED;
        sentSeq[slot] = seq;
        sentAt[slot] = nowNanos;
        nextSendNanos = nowNanos + retryNanos;
        retryNanos = Math.min(retryNanos * 2, RETRY_MAX_MILLIS * 1_000_000);
        return seq;
    }

    /**
     * An ack arrived for {@code seq}.
     *
     * @return whether it answered one of the last announces (otherwise it is ignored)
     */
    public boolean onAck(long seq, long nowNanos) {
        for (int i = 0; i < Math.min(sent, REMEMBERED); i++) {
            if (sentSeq[i] == seq) {
                lastAckNanos = nowNanos;
                everAcked = true;
                retryNanos = RETRY_MIN_MILLIS * 1_000_000;
                nextSendNanos = sentAt[i] + ttlSeconds * 1_000_000_000L / 3;
                return true;
            }
        }
        return false;
    }

    /** Whether the director acknowledged an announce within the last ttl. */
    public boolean joined(long nowNanos) {
        return everAcked && nowNanos - lastAckNanos < ttlSeconds * 1_000_000_000L;
    }
}
