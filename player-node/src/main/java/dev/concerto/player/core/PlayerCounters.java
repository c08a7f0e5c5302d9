package dev.concerto.player.core;

import dev.concerto.protocol.RejectReason;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A snapshot of a player's counters since it started. Immutable.
 *
 * @param datagrams        datagrams received and handled (accepted or not)
 * @param toneChanges      accepted commands passed to the generator (a repeated frequency counts)
 * @param watchdogSilences times the watchdog silenced a tone
 * @param drops            dropped datagrams by reason (every reason present, possibly 0)
 * @param timedTones       timed tone messages accepted (scheduled or played late)
 * @param late             of those, messages whose start time had passed on arrival (played at once)
 * @param syncReplies      clock-sync requests answered
 * @param leasesClamped    accepted timed messages whose lease was longer than the player's cap
 *                         ({@code --max-lease-ms}) and was cut to it
 */
public record PlayerCounters(long datagrams, long toneChanges, long watchdogSilences,
        Map<RejectReason, Long> drops, long timedTones, long late, long syncReplies, long leasesClamped) {

    /** The drop reasons of the timed protocol, always printed by {@link #format()}. */
    private static final java.util.Set<RejectReason> TIMED_REASONS = java.util.EnumSet.of(RejectReason.EXPIRED,
            RejectReason.DUPLICATE, RejectReason.STALE, RejectReason.UNAUTHENTICATED, RejectReason.FORGED,
            RejectReason.TOO_EARLY, RejectReason.TOO_OLD);

    /** Counters of a player that saw no timed traffic. */
    public PlayerCounters(long datagrams, long toneChanges, long watchdogSilences, Map<RejectReason, Long> drops) {
        this(datagrams, toneChanges, watchdogSilences, drops, 0, 0, 0, 0);
    }

    public PlayerCounters {
        EnumMap<RejectReason, Long> copy = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            copy.put(r, drops.getOrDefault(r, 0L));
        }
        drops = Collections.unmodifiableMap(copy);
    }

    /** All dropped datagrams. */
    public long dropped() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Drops for one reason. */
    public long dropped(RejectReason reason) {
        return drops.get(reason);
    }

    /**
     * One line, e.g. {@code datagrams=12 tone-changes=10 watchdog-silences=0 dropped=2 (too-long=1
     * not-a-number=1); timed: tones=0 late=0 syncs=0 leases-clamped=0 expired=0 duplicate=0
     * stale=0 unauthenticated=0 forged=0 too-early=0 too-old=0}. The timed protocol's drop reasons are listed in the second part
     * only, always.
     */
    public String format() {
        StringJoiner reasons = new StringJoiner(" ", " (", ")");
        reasons.setEmptyValue("");
        drops.forEach((r, n) -> {
            if (n > 0 && !TIMED_REASONS.contains(r)) {
                reasons.add(r.key() + "=" + n);
            }
        });
        StringBuilder timed = new StringBuilder("; timed: tones=").append(timedTones).append(" late=").append(late)
                .append(" syncs=").append(syncReplies).append(" leases-clamped=").append(leasesClamped);
        for (RejectReason r : TIMED_REASONS) {
            timed.append(' ').append(r.key()).append('=').append(drops.get(r));
        }
        return "datagrams=" + datagrams + " tone-changes=" + toneChanges + " watchdog-silences="
                + watchdogSilences + " dropped=" + dropped() + reasons + timed;
    }
}
