package dev.concerto.netem;

/**
 * Periodic outages: every datagram arriving during one is lost (Wi-Fi roaming, a microwave oven,
 * a station's power saving). The first outage begins at {@code firstMicros} after the path starts,
 * then one every {@code periodMicros}.
 *
 * @param periodMicros time from one outage's start to the next, µs (&gt; 0)
 * @param outageMicros how long each lasts, µs (0..period)
 * @param firstMicros  when the first begins, µs after the path starts (≥ 0)
 */
public record BurstLoss(long periodMicros, long outageMicros, long firstMicros) {

    /** No outages. */
    public static final BurstLoss NONE = new BurstLoss(Long.MAX_VALUE, 0, 0);

    public BurstLoss {
        if (periodMicros <= 0 || outageMicros < 0 || outageMicros > periodMicros || firstMicros < 0) {
            throw new IllegalArgumentException("burst loss needs period > 0, 0 <= outage <= period, first >= 0");
        }
    }

    /** Whether {@code tMicros} (since the path started) falls in an outage. */
    public boolean inOutage(long tMicros) {
        if (outageMicros == 0 || tMicros < firstMicros) {
            return false;
        }
        return (tMicros - firstMicros) % periodMicros < outageMicros;
    }
}
