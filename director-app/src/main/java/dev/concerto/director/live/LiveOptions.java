package dev.concerto.director.live;

import dev.concerto.director.engine.TimedOptions;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a live session plays. Immutable.
 *
 * @param policy         which player takes a new key
 * @param overflow       what happens when every eligible player sounds
 * @param mapping        transposition, tuning and bend range
 * @param ranges         per player name, the keys it takes under {@link AllocationPolicy#BY_RANGE}
 *                       ({@code {low, high}}); players not named take every key
 * @param channels       per player name, its MIDI channel 1..16 under {@link AllocationPolicy#BY_CHANNEL};
 *                       players not named listen to channel (roster index + 1)
 * @param leadMillis     how far ahead a keyboard note is stamped for timed players, ms, 0..1000
 *                       (default {@value #DEFAULT_LEAD_MILLIS}: measured on loopback, see docs/live.md)
 * @param timed          the timed protocol's options (sync, leases, key)
 * @param oscListen      where OSC in listens, or {@code null} for no OSC input
 * @param oscTargets     OSC subscribers from the start (more can subscribe over OSC)
 * @param positionHz     how often subscribers get the position while playing, 1..100 per second
 * @param load           whether {@code /concerto/load} may load files, and from where
 */
public record LiveOptions(AllocationPolicy policy, OverflowPolicy overflow, KeyMapping mapping,
                          Map<String, int[]> ranges, Map<String, Integer> channels, int leadMillis,
                          TimedOptions timed, InetSocketAddress oscListen, List<InetSocketAddress> oscTargets,
                          double positionHz, OscLoadPolicy load) {

    public static final int DEFAULT_LEAD_MILLIS = 20;
    public static final double DEFAULT_POSITION_HZ = 10;

    public LiveOptions {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(overflow, "overflow");
        Objects.requireNonNull(mapping, "mapping");
        ranges = Map.copyOf(ranges);
        channels = Map.copyOf(channels);
        Objects.requireNonNull(timed, "timed");
        oscTargets = List.copyOf(oscTargets);
        Objects.requireNonNull(load, "load");
        if (leadMillis < 0 || leadMillis > 1_000) {
            throw new IllegalArgumentException("live lead " + leadMillis + " ms is outside 0..1000");
        }
        if (!(positionHz >= 1 && positionHz <= 100)) {
            throw new IllegalArgumentException("position rate " + positionHz + " is outside 1..100 per second");
        }
    }

    /** Lowest free, steal oldest, equal temperament, 20 ms lead, OSC off. */
    public static LiveOptions defaults() {
        return new LiveOptions(AllocationPolicy.LOWEST_FREE, OverflowPolicy.STEAL_OLDEST, KeyMapping.standard(), Map.of(),
                Map.of(), DEFAULT_LEAD_MILLIS, TimedOptions.defaults(), null, List.of(), DEFAULT_POSITION_HZ,
                OscLoadPolicy.disabled());
    }

    public LiveOptions withPolicy(AllocationPolicy p, OverflowPolicy o) {
        return new LiveOptions(p, o, mapping, ranges, channels, leadMillis, timed, oscListen, oscTargets, positionHz, load);
    }

    public LiveOptions withMapping(KeyMapping m) {
        return new LiveOptions(policy, overflow, m, ranges, channels, leadMillis, timed, oscListen, oscTargets, positionHz, load);
    }

    public LiveOptions withLead(int millis) {
        return new LiveOptions(policy, overflow, mapping, ranges, channels, millis, timed, oscListen, oscTargets, positionHz, load);
    }

    public LiveOptions withRoutes(Map<String, int[]> r, Map<String, Integer> c) {
        return new LiveOptions(policy, overflow, mapping, r, c, leadMillis, timed, oscListen, oscTargets, positionHz, load);
    }

    public LiveOptions withTimed(TimedOptions t) {
        return new LiveOptions(policy, overflow, mapping, ranges, channels, leadMillis, t, oscListen, oscTargets, positionHz, load);
    }

    public LiveOptions withOsc(InetSocketAddress listen, List<InetSocketAddress> targets, double hz, OscLoadPolicy l) {
        return new LiveOptions(policy, overflow, mapping, ranges, channels, leadMillis, timed, listen, targets, hz, l);
    }

    /** The allocator's view of a roster's players, in order. */
    List<LiveVoice> voices(List<String> playerNames) {
        java.util.ArrayList<LiveVoice> out = new java.util.ArrayList<>();
        for (int i = 0; i < playerNames.size(); i++) {
            String name = playerNames.get(i);
            int[] r = ranges.getOrDefault(name, new int[] {0, 127});
            int ch = channels.getOrDefault(name, policy == AllocationPolicy.BY_CHANNEL ? Math.min(16, i + 1) : 0);
            out.add(new LiveVoice(name, r[0], r[1], ch));
        }
        return out;
    }
}
