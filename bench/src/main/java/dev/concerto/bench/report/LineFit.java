package dev.concerto.bench.report;

/**
 * An ordinary least-squares line {@code y = intercept + slope · x} through the points added to it,
 * from running sums (no point is kept). Units are the caller's. Not thread-safe: one suite thread adds.
 */
public final class LineFit {

    private double n;
    private double sx;
    private double sy;
    private double sxx;
    private double sxy;

    /** Adds one point. */
    public void add(double x, double y) {
        n++;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }

    /** Points added. */
    public long count() {
        return (long) n;
    }

    /** The slope, or NaN with fewer than two points or every x the same. */
    public double slope() {
        double d = n * sxx - sx * sx;
        return n < 2 || d == 0 ? Double.NaN : (n * sxy - sx * sy) / d;
    }

    /** The line's value at {@code x = 0}, or NaN where {@link #slope()} is. */
    public double intercept() {
        double slope = slope();
        return Double.isNaN(slope) ? Double.NaN : (sy - slope * sx) / n;
    }
}
