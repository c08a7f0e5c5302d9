package dev.concerto.protocol.signal;

import java.util.Arrays;

/**
 * A pseudo-random on/off pattern (a maximum-length sequence) that a player keys a tone with, and the
 * cross-correlation that finds where it arrived in a recording. An m-sequence's autocorrelation has
 * one sharp peak and flat side lobes, so the arrival is found exactly even with noise, a quiet
 * microphone or another sound in the room — far more robustly than the first loud sample.
 *
 * <p>The correlation runs on a {@link BandEnvelope} of the recording at the probe's frequency, with
 * the pattern as ±1 per chip; as the pattern is piecewise constant, prefix sums make each lag cost
 * one addition per chip.
 *
 * <p>Immutable; thread-safe. Times in seconds.
 */
public final class ChipSequence {

    private final boolean[] chips;
    private final double chipSeconds;

    /**
     * @param chips       the pattern (true = tone on), at least 3 chips, with both values present
     * @param chipSeconds length of one chip, > 0
     */
    public ChipSequence(boolean[] chips, double chipSeconds) {
        if (chips.length < 3 || !(chipSeconds > 0)) {
            throw new IllegalArgumentException("need at least 3 chips of positive length");
        }
        this.chips = chips.clone();
        this.chipSeconds = chipSeconds;
    }

    /**
     * The maximum-length sequence of {@code 2^bits − 1} chips from a Fibonacci LFSR (taps for 4..9
     * bits, Galois form), starting with an "on" chip.
     */
    public static ChipSequence maximumLength(int bits, double chipSeconds) {
        int taps = switch (bits) {
            case 4 -> 0b1100;
            case 5 -> 0b10100;
            case 6 -> 0b110000;
            case 7 -> 0b1100000;
            case 8 -> 0b10111000;
            case 9 -> 0b100010000;
            default -> throw new IllegalArgumentException("bits must be within 4..9, got " + bits);
        };
        int length = (1 << bits) - 1;
        boolean[] out = new boolean[length];
        int state = (1 << bits) - 1;
        for (int i = 0; i < length; i++) {
            boolean bit = (state & 1) == 1;
            out[i] = bit;
            state >>>= 1;
            if (bit) {
                state ^= taps;
            }
        }
        return new ChipSequence(out, chipSeconds);
    }

    public int length() {
        return chips.length;
    }

    public boolean on(int chip) {
        return chips[chip];
    }

    public double chipSeconds() {
        return chipSeconds;
    }

    /** Length of the whole pattern, s. */
    public double seconds() {
        return chips.length * chipSeconds;
    }

    /**
     * Where the pattern starts in {@code envelope}, searched from {@code fromSeconds} to
     * {@code toSeconds} (start times), to a fraction of a sample. The match lines up the middles of
     * the pattern's transitions: a player that ramps each change over r seconds is found r/2 after
     * the instant it began the pattern.
     *
     * @return the best match; {@link Match#peakToSideLobe()} tells how clear it is
     */
    public Match find(float[] envelope, int sampleRate, double fromSeconds, double toSeconds) {
        int chipSamples = (int) Math.round(chipSeconds * sampleRate);
        int span = chipSamples * chips.length;
        int first = Math.max(0, (int) Math.floor(fromSeconds * sampleRate));
        int last = Math.min(envelope.length - span, (int) Math.ceil(toSeconds * sampleRate));
        if (last < first) {
            throw new IllegalArgumentException("the recording is too short for the search range");
        }
        // Running sums over the searched stretch only (prefix[k] = sum of envelope[first .. first + k)):
        // a recording is tens of seconds, a search a fraction of one.
        int end = last + span;
        double[] prefix = new double[end - first + 1];
        for (int i = first; i < end; i++) {
            prefix[i - first + 1] = prefix[i - first] + envelope[i];
        }
        double[] score = new double[last - first + 1];
        for (int lag = first; lag <= last; lag++) {
            double sum = 0;
            int at = lag - first;
            for (boolean chip : chips) {
                double chunk = prefix[at + chipSamples] - prefix[at];
                sum += chip ? chunk : -chunk;
                at += chipSamples;
            }
            score[lag - first] = sum;
        }
        int best = 0;
        for (int i = 1; i < score.length; i++) {
            if (score[i] > score[best]) {
                best = i;
            }
        }
        // Sub-sample refinement: a parabola through the peak and its neighbours.
        double offset = 0;
        if (best > 0 && best < score.length - 1) {
            double a = score[best - 1];
            double b = score[best];
            double c = score[best + 1];
            double denominator = a - 2 * b + c;
            offset = denominator == 0 ? 0 : 0.5 * (a - c) / denominator;
        }
        // The strongest value more than one chip away from the peak: the side lobe (or a second arrival).
        double side = 0;
        for (int i = 0; i < score.length; i++) {
            if (Math.abs(i - best) > chipSamples) {
                side = Math.max(side, Math.abs(score[i]));
            }
        }
        double peak = score[best];
        double level = peak / (span / 2.0); // the "on" amplitude the correlation implies
        return new Match((first + best + offset) / sampleRate, level, side == 0 ? Double.POSITIVE_INFINITY : peak / side);
    }

    /**
     * A located pattern.
     *
     * @param startSeconds   where the first chip begins, s from the first sample
     * @param level          the tone's envelope amplitude the match implies (0 for silence)
     * @param peakToSideLobe the peak over the strongest correlation more than one chip away: above
     *                       about 2 the arrival is clear; near 1 there was nothing, or two arrivals
     */
    public record Match(double startSeconds, double level, double peakToSideLobe) {
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(chips.length);
        for (boolean c : chips) {
            b.append(c ? '1' : '0');
        }
        return b + " × " + chipSeconds * 1000 + " ms";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChipSequence other && Arrays.equals(chips, other.chips) && chipSeconds == other.chipSeconds;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(chips) * 31 + Double.hashCode(chipSeconds);
    }
}
