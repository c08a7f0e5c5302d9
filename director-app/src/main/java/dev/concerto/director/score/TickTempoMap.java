package dev.concerto.director.score;

import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Ticks to seconds through a tempo map, for imported files whose times are integer ticks
 * ({@code ppq} ticks per quarter note). A lookup is a binary search, so an orchestral file with
 * thousands of tempo events costs log(n) per note. Immutable; thread-safe.
 */
public final class TickTempoMap {

    /** The tempo until a file's first tempo event (MIDI's and MusicXML's default). */
    public static final double DEFAULT_BPM = 120.0;

    private final long ppq;
    private final long[] ticks;
    private final double[] bpm;
    private final double[] seconds;

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
        int n = sorted.size();
        ticks = new long[n];
        bpm = new double[n];
        seconds = new double[n];
        int i = 0;
        for (Map.Entry<Long, Double> e : sorted.entrySet()) {
            ticks[i] = e.getKey();
            bpm[i] = e.getValue();
            seconds[i] = i == 0 ? 0 : seconds[i - 1] + (ticks[i] - ticks[i - 1]) / (double) ppq * 60.0 / bpm[i - 1];
            i++;
        }
    }

    /** Ticks per quarter note. */
    public long ppq() {
        return ppq;
    }

    /** Seconds from tick 0 to {@code tick} (&ge; 0). */
    public double seconds(long tick) {
        int i = Arrays.binarySearch(ticks, tick);
        if (i < 0) {
            i = -i - 2;
        }
        i = Math.max(i, 0);
        return seconds[i] + (tick - ticks[i]) / (double) ppq * 60.0 / bpm[i];
    }

    /** Quarter-note beats at {@code tick}. */
    public double beats(long tick) {
        return tick / (double) ppq;
    }

    /** The tempo at tick 0, quarter notes per minute. */
    public double initialBpm() {
        return bpm[0];
    }

    /** The tempo changes after tick 0: tick to quarter notes per minute, in order. */
    public NavigableMap<Long, Double> changes() {
        TreeMap<Long, Double> m = new TreeMap<>();
        for (int i = 1; i < ticks.length; i++) {
            m.put(ticks[i], bpm[i]);
        }
        return m;
    }
}
