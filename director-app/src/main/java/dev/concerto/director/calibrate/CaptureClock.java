package dev.concerto.director.calibrate;

/**
 * Maps a recording's frame index to the monotonic clock: a least-squares line through the capture
 * line's reported positions (frames the device has captured) against the instants they were read.
 * The device's own capture latency is a constant this cannot see; calibration only compares players
 * within one recording, so it cancels.
 *
 * @param refFrame      a frame on the line
 * @param refNanos      the instant it was captured, monotonic ns
 * @param framesPerNano the capture rate against the clock
 */
public record CaptureClock(double refFrame, long refNanos, double framesPerNano) {

    /** The instant frame {@code frame} was captured, monotonic ns. */
    public long nanosOf(double frame) {
        return refNanos + Math.round((frame - refFrame) / framesPerNano);
    }

    /** The frame captured at {@code nanos}. */
    public double frameAt(long nanos) {
        return refFrame + (nanos - refNanos) * framesPerNano;
    }

    /**
     * The fit through {@code count} observations ({@code frames[i]} captured by {@code nanos[i]}).
     * With fewer than two, or all at one instant, the nominal rate through the last one.
     */
    public static CaptureClock fit(long[] frames, long[] nanos, int count, int nominalRate) {
        if (count < 1) {
            throw new IllegalArgumentException("no observation of the capture line");
        }
        double nominal = nominalRate / 1e9;
        long t0 = nanos[0];
        double n = count;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < count; i++) {
            double x = nanos[i] - t0;
            sx += x;
            sy += frames[i];
            sxx += x * x;
            sxy += x * frames[i];
        }
        double d = n * sxx - sx * sx;
        if (count < 2 || d == 0) {
            return new CaptureClock(frames[count - 1], nanos[count - 1], nominal);
        }
        double slope = (n * sxy - sx * sy) / d;
        // A capture line's rate is within a fraction of a percent of nominal; anything else is a bad reading.
        if (!(Math.abs(slope / nominal - 1) < 0.01)) {
            slope = nominal;
        }
        double meanX = sx / n;
        double meanY = sy / n;
        return new CaptureClock(meanY, t0 + Math.round(meanX), slope);
    }
}
