package dev.concerto.player.core;

import dev.concerto.protocol.RejectReason;
import dev.concerto.protocol.log.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The player's line about a dropped datagram, at most once per reason per interval
 * ({@link RateLimitedLog} keyed by {@link RejectReason}), with the number suppressed since, so a
 * flood of bad packets cannot flood the log. Time is the caller's (player-clock µs of each
 * rejection), so it runs on a fake clock in tests. Owned by a core (the limiter itself is
 * thread-safe).
 */
final class RejectionLog {

    private final RateLimitedLog<RejectReason> limiter;
    private final String player;

    RejectionLog(Logger log, long intervalMicros, String player) {
        this.limiter = RateLimitedLog.perKey(log, RejectReason.class, intervalMicros * 1_000L);
        this.player = player;
    }

    /**
     * Records one rejection; logs it if this reason was quiet for an interval. A suppressed one
     * costs no allocation: the source is only turned into text for a line.
     */
    void rejected(RejectReason reason, Object source, String detail, long nowMicros) {
        long more = limiter.admit(reason, nowMicros * 1_000L);
        if (more == RateLimitedLog.SUPPRESSED) {
            return;
        }
        // Duplicates are what a director's --redundancy sends on purpose: counted, but only DEBUG.
        Level level = reason == RejectReason.DUPLICATE ? Level.DEBUG : Level.WARN;
        limiter.logger().atLevel(level).log("{}: dropped a datagram from {}: {}: {}{}; further {} drops are reported at most every {} s",
                player, source, reason.key(), detail, RateLimitedLog.moreSince(more), reason.key(),
                limiter.intervalSeconds());
    }
}
