package dev.concerto.player.core;

import dev.concerto.protocol.RejectReason;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Logs dropped datagrams at most once per reason per interval, with the number suppressed since,
 * so a flood of bad packets cannot flood the log. Time is the caller's (player-clock µs of each
 * rejection), so it runs on a fake clock in tests. Not thread-safe: owned by a core.
 */
final class RejectionLog {

    private final Logger log;
    private final long intervalMicros;
    private final String player;
    private final long[] lastLogged = new long[RejectReason.values().length];
    private final boolean[] ever = new boolean[RejectReason.values().length];
    private final long[] suppressed = new long[RejectReason.values().length];

    RejectionLog(Logger log, long intervalMicros, String player) {
        this.log = log;
        this.intervalMicros = intervalMicros;
        this.player = player;
    }

    /** Records one rejection; logs it if this reason was quiet for an interval. */
    void rejected(RejectReason reason, String source, String detail, long now) {
        int i = reason.ordinal();
        if (ever[i] && now - lastLogged[i] < intervalMicros) {
            suppressed[i]++;
            return;
        }
        String more = suppressed[i] > 0 ? " (" + suppressed[i] + " more " + reason.key()
                + " since the last report)" : "";
        // Duplicates are what a director's --redundancy sends on purpose: counted, but only DEBUG.
        Level level = reason == RejectReason.DUPLICATE ? Level.DEBUG : Level.WARN;
        log.atLevel(level).log("{}: dropped a datagram from {}: {}: {}{}; further {} drops are reported at most every {} s",
                player, source, reason.key(), detail, more, reason.key(), intervalMicros / 1_000_000L);
        ever[i] = true;
        lastLogged[i] = now;
        suppressed[i] = 0;
    }
}
