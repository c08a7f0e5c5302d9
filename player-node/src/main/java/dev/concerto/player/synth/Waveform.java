package dev.concerto.player.synth;

import java.util.Locale;

/**
 * The shape of one oscillator cycle. Square (50 % duty) is the default because it sounds like the
 * PWM buzzer the original players drove. Square and sawtooth are band-limited around their jumps
 * (PolyBLEP) so high notes do not alias into audible garbage; the jump stays where it is, so the
 * pitch is exact. Stateless and thread-safe.
 */
public enum Waveform {
    SQUARE, SINE, TRIANGLE, SAWTOOTH;

    /**
     * One sample of the wave.
     *
     * @param phase position in the cycle, in cycles, 0 &lt;= phase &lt; 1; the rising zero crossing is
     *              at 0 for square, sine and triangle, at 0.5 for sawtooth
     * @param dt    phase increment per sample (frequency / sample rate), used to smooth jumps
     * @return a value in about -1..1
     */
    public double sample(double phase, double dt) {
        switch (this) {
            case SINE:
                return Math.sin(2 * Math.PI * phase);
            case TRIANGLE:
                if (phase < 0.25) {
                    return 4 * phase;
                }
                return phase < 0.75 ? 2 - 4 * phase : 4 * phase - 4;
            case SAWTOOTH:
                return 2 * phase - 1 - polyBlep(phase, dt);
            case SQUARE:
            default:
                double naive = phase < 0.5 ? 1.0 : -1.0;
                double half = phase + 0.5;
                if (half >= 1.0) {
                    half -= 1.0;
                }
                return naive + polyBlep(phase, dt) - polyBlep(half, dt);
        }
    }

    /** Two-sample polynomial correction of a unit jump at phase 0. */
    private static double polyBlep(double t, double dt) {
        if (dt <= 0) {
            return 0;
        }
        if (t < dt) {
            double x = t / dt;
            return x + x - x * x - 1.0;
        }
        if (t > 1.0 - dt) {
            double x = (t - 1.0) / dt;
            return x * x + x + x + 1.0;
        }
        return 0;
    }

    /** The lower-case name used on command lines, e.g. {@code "square"}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
