package dev.concerto.bench.report;

import org.HdrHistogram.Histogram;

/**
 * Summary statistics of signed errors in microseconds (send time minus deadline, onset minus ideal
 * time). HdrHistogram holds magnitudes, so values are recorded shifted by an offset that admits
 * negative errors down to {@code -OFFSET} µs. Not thread-safe: one suite thread records.
 */
public final class Stats {

    /** Most negative value recordable, µs (10 s early). */
    private static final long OFFSET = 10_000_000L;
    private final Histogram histogram = new Histogram(3_600_000_000L, 3);
    private long count;

    /** Records one value in microseconds; values outside ±10 s / +1 h are clamped. */
    public void record(double micros) {
        long shifted = Math.round(micros) + OFFSET;
        histogram.recordValue(Math.max(0, Math.min(histogram.getHighestTrackableValue(), shifted)));
        count++;
    }

    public long count() {
        return count;
    }

    /** The value at a percentile (0..100), µs. */
    public double percentile(double p) {
        return count == 0 ? Double.NaN : histogram.getValueAtPercentile(p) - OFFSET;
    }

    public double max() {
        return count == 0 ? Double.NaN : histogram.getMaxValue() - OFFSET;
    }

    public double min() {
        return count == 0 ? Double.NaN : histogram.getMinValue() - OFFSET;
    }

    /** Largest magnitude at a percentile of |value|: what "p99 error" means for signed errors. */
    public static Stats absoluteOf(Iterable<Double> values) {
        Stats s = new Stats();
        for (double v : values) {
            s.record(Math.abs(v));
        }
        return s;
    }

    /** "p50 / p99 / max" in µs, for tables. */
    public String summary() {
        if (count == 0) {
            return "–";
        }
        return String.format("%.0f / %.0f / %.0f", percentile(50), percentile(99), max());
    }
}
