package dev.concerto.bench.report;

import org.HdrHistogram.Histogram;

/**
 * Summary statistics of signed values in microseconds (send time minus deadline, onset minus ideal
 * time, a latency). HdrHistogram holds non-negative magnitudes with a precision relative to the
 * value, so negative values go to a second histogram of their magnitudes: shifting them by an
 * offset instead would cost the small values their resolution (3 significant digits of 10 s is
 * 10 ms). Values are rounded to whole microseconds; magnitudes above one hour are clamped. Not
 * thread-safe: one suite thread records.
 */
public final class Stats {

    private static final long HIGHEST = 3_600_000_000L;
    private final Histogram positive = new Histogram(HIGHEST, 3);
    private final Histogram negative = new Histogram(HIGHEST, 3);

    /** Records one value in microseconds. */
    public void record(double micros) {
        long v = Math.min(HIGHEST, Math.round(Math.abs(micros)));
        if (micros < 0 && v > 0) {
            negative.recordValue(v);
        } else {
            positive.recordValue(v);
        }
    }

    public long count() {
        return positive.getTotalCount() + negative.getTotalCount();
    }

    /**
     * The value at a percentile (0..100), µs: the smallest recorded value (to HdrHistogram's
     * precision) such that at least {@code p} percent of the values are at or below it.
     */
    public double percentile(double p) {
        long n = count();
        if (n == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * n)); // 1-based, ascending
        long neg = negative.getTotalCount();
        if (rank <= neg) {
            // Ascending signed order is descending magnitude among the negatives.
            long fromTop = neg - rank + 1;
            return -negative.getValueAtPercentile(100.0 * fromTop / neg);
        }
        long pos = positive.getTotalCount();
        return positive.getValueAtPercentile(100.0 * (rank - neg) / pos);
    }

    public double max() {
        if (count() == 0) {
            return Double.NaN;
        }
        return positive.getTotalCount() > 0 ? positive.getMaxValue() : -negative.getMinValue();
    }

    public double min() {
        if (count() == 0) {
            return Double.NaN;
        }
        return negative.getTotalCount() > 0 ? -negative.getMaxValue() : positive.getMinValue();
    }

    /** Largest magnitude at a percentile of |value|: what "p99 error" means for signed errors. */
    public static Stats absoluteOf(Iterable<Double> values) {
        Stats s = new Stats();
        for (double v : values) {
            s.record(Math.abs(v));
        }
        return s;
    }

    /** Every value of a collection. */
    public static Stats of(Iterable<Double> values) {
        Stats s = new Stats();
        for (double v : values) {
            s.record(v);
        }
        return s;
    }

    /** "p50 / p99 / max" in µs, for tables. */
    public String summary() {
        if (count() == 0) {
            return "–";
        }
        return String.format("%.0f / %.0f / %.0f", percentile(50), percentile(99), max());
    }

    /** "p50 / p99 / max" in ms with one decimal, for tables of larger values. */
    public String summaryMs() {
        if (count() == 0) {
            return "–";
        }
        return String.format("%.1f / %.1f / %.1f", percentile(50) / 1000, percentile(99) / 1000, max() / 1000);
    }
}
