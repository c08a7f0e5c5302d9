package dev.concerto.director.score;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Ticks to seconds through a tempo map, for imported files whose times are integer ticks
 * ({@code ppq} ticks per quarter note): the compiler's {@link TempoMap} in quarter-note beats, so
 * an importer's report and the compiled timeline agree to the last bit. Immutable; thread-safe.
 */
public final class TickTempoMap {

    /** The tempo until a file's first tempo event (MIDI's and MusicXML's default). */
    public static final double DEFAULT_BPM = 120.0;

    private final long ppq;
    private final double initialBpm;
    private final NavigableMap<Long, Double> changes = new TreeMap<>();
    /** The same map in quarter-note beats: one timing arithmetic for every notation and importer. */
    private final TempoMap beats;

    /**
     * @param ppq    ticks per quarter note (&ge; 1)
     * @param tempos tick to quarter notes per minute; a missing tick 0 means {@link #DEFAULT_BPM}
     */
    public TickTempoMap(long ppq, Map<Long, Double> tempos) {
        if (ppq < 1) {
            throw new IllegalArgumentException("ppq must be >= 1");
        }
        NavigableMap<Long, Double> sorted = new TreeMap<>(tempos);
        sorted.putIfAbsent(0L, DEFAULT_BPM);
        this.ppq = ppq;
        this.initialBpm = sorted.firstEntry().getValue();
        TempoMap.Builder b = TempoMap.startingAt(initialBpm);
        for (Map.Entry<Long, Double> e : sorted.tailMap(0L, false).entrySet()) {
            b.change(e.getKey() / (double) ppq, e.getValue());
            changes.put(e.getKey(), e.getValue());
        }
        this.beats = b.build();
    }

    /** Ticks per quarter note. */
    public long ppq() {
        return ppq;
    }

    /** Seconds from tick 0 to {@code tick} (&ge; 0). */
    public double seconds(long tick) {
        return beats.seconds(tick / (double) ppq);
    }

    /** Quarter-note beats at {@code tick}. */
    public double beats(long tick) {
        return tick / (double) ppq;
    }

    /** The tempo at tick 0, quarter notes per minute. */
    public double initialBpm() {
        return initialBpm;
    }

    /** The tempo changes after tick 0: tick to quarter notes per minute, in order. */
    public NavigableMap<Long, Double> changes() {
        return java.util.Collections.unmodifiableNavigableMap(changes);
    }
}
