package dev.concerto.player;

import dev.concerto.protocol.RejectReason;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A snapshot of a player's counters since it started. Immutable.
 *
 * @param datagrams        datagrams received (accepted or not)
 * @param toneChanges      accepted commands passed to the generator (a repeated frequency counts)
 * @param watchdogSilences times the watchdog silenced a tone
 * @param drops            dropped datagrams by reason (every reason present, possibly 0)
 */
public record PlayerCounters(long datagrams, long toneChanges, long watchdogSilences,
        Map<RejectReason, Long> drops) {

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

    /** One line, e.g. {@code datagrams=12 tone-changes=10 dropped=2 (too-long=1 not-a-number=1)}. */
    public String format() {
        StringJoiner reasons = new StringJoiner(" ", " (", ")");
        reasons.setEmptyValue("");
        drops.forEach((r, n) -> {
            if (n > 0) {
                reasons.add(r.key() + "=" + n);
            }
        });
        return "datagrams=" + datagrams + " tone-changes=" + toneChanges + " watchdog-silences="
                + watchdogSilences + " dropped=" + dropped() + reasons;
    }
}
