package dev.concerto.player.synth;

/**
 * One oscillator: the synthesis core every audio generator shares, and the voice the director's
 * offline {@code render} uses. It is a plain calculator of samples with no clock, thread or
 * output: it produces as many frames as asked, as fast as the CPU allows.
 *
 * <p>Frequency changes are phase-continuous (the phase accumulator is never reset) and ramped:
 * over {@link #rampFrames()} frames the frequency glides linearly to the new value and the
 * amplitude moves linearly to full (for a tone) or to zero (for silence), so a change never makes
 * a step in the waveform's envelope, which is what clicks. Starting from silence the frequency jumps
 * at once and only the amplitude ramps up.
 *
 * <p>Not thread-safe: one thread owns a voice (in a player, the audio thread).
 */
public final class SynthVoice {

    /** The default ramp length in milliseconds: short enough to be inaudible as a glide. */
    public static final double DEFAULT_RAMP_MS = 2.0;

    private final int sampleRate;
    private final Waveform waveform;
    private final double volume;
    private final int rampFrames;

    private double phase;        // cycles, 0 <= phase < 1
    private double hz;           // current (possibly gliding) frequency
    private double amp;          // current envelope, 0..1
    private double targetHz;
    private double targetAmp;
    private double hzStep;
    private double ampStep;
    private int rampLeft;

    /**
     * @param sampleRate frames per second (&gt; 0)
     * @param waveform   the wave shape
     * @param volume     peak amplitude, 0..1
     * @param rampMs     length of the frequency/amplitude ramp in milliseconds (&gt;= 0)
     */
    public SynthVoice(int sampleRate, Waveform waveform, double volume, double rampMs) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate must be > 0, got " + sampleRate);
        }
        if (!(volume >= 0 && volume <= 1)) {
            throw new IllegalArgumentException("volume must be within 0..1, got " + volume);
        }
        if (!(rampMs >= 0)) {
            throw new IllegalArgumentException("rampMs must be >= 0, got " + rampMs);
        }
        this.sampleRate = sampleRate;
        this.waveform = java.util.Objects.requireNonNull(waveform, "waveform");
        this.volume = volume;
        this.rampFrames = (int) Math.round(rampMs * sampleRate / 1000.0);
    }

    /** A voice with the default ramp of {@value #DEFAULT_RAMP_MS} ms. */
    public SynthVoice(int sampleRate, Waveform waveform, double volume) {
        this(sampleRate, waveform, volume, DEFAULT_RAMP_MS);
    }

    /**
     * Changes the tone from the next frame mixed on, ramped and phase-continuous.
     *
     * @param newHz frequency in hertz, 0 = silence; finite, &gt;= 0 and below half the sample rate
     */
    public void setFrequency(double newHz) {
        checkHz(newHz, sampleRate);
        boolean silent = amp == 0 && targetAmp == 0;
        if (newHz == 0) {
            targetAmp = 0;
            targetHz = hz;
        } else {
            targetAmp = 1;
            targetHz = newHz;
            if (silent) {
                hz = newHz;
            }
        }
        if (rampFrames == 0) {
            hz = targetHz;
            amp = targetAmp;
            rampLeft = 0;
            return;
        }
        rampLeft = rampFrames;
        hzStep = (targetHz - hz) / rampFrames;
        ampStep = (targetAmp - amp) / rampFrames;
    }

    /** The frequency last asked for, in hertz (0 = silence). */
    public double frequency() {
        return targetAmp == 0 ? 0 : targetHz;
    }

    /** True while the voice produces sound (including the fade-out ramp of a silence). */
    public boolean sounding() {
        return amp > 0 || targetAmp > 0;
    }

    /**
     * Adds {@code frames} samples of this voice, times {@code gain}, to {@code buf[offset..]}.
     *
     * @param buf    mono samples in -1..1 (the caller clips)
     * @param offset first index written
     * @param frames number of samples added (&gt;= 0)
     * @param gain   a factor applied on top of the voice's volume, e.g. 1/N in an N-voice mix
     */
    public void mix(float[] buf, int offset, int frames, double gain) {
        java.util.Objects.checkFromIndexSize(offset, frames, buf.length);
        double g = volume * gain;
        for (int i = offset, end = offset + frames; i < end; i++) {
            if (rampLeft > 0) {
                hz += hzStep;
                amp += ampStep;
                if (--rampLeft == 0) {
                    hz = targetHz;
                    amp = targetAmp;
                }
            }
            if (amp == 0) {
                continue; // silent: the phase stands still, harmless since it restarts from there
            }
            double dt = hz / sampleRate;
            buf[i] += (float) (waveform.sample(phase, dt) * amp * g);
            phase += dt;
            if (phase >= 1.0) {
                phase -= Math.floor(phase);
            }
        }
    }

    /** Blocks of {@value #WARM_UP_FRAMES} frames {@link #warmUp} mixes per waveform. */
    static final int WARM_UP_BLOCKS = 2_000;
    private static final int WARM_UP_FRAMES = 240;

    /**
     * Mixes tones and silences of every waveform on throwaway voices into a scratch buffer, so that
     * {@link #mix}, which a player's audio thread runs from its start on silence only, is compiled with
     * its sounding path before the first note of a piece. Cold, the first chord sends that path back to
     * the interpreter and the compiler in every player at the same instant. On two shared cores the first
     * chord was over 1 ms wide in 5 of 18 {@code listen} runs without this warm-up (in several, every line
     * stalled 10-21 ms just before it), in none of 9 with it above 1.2 ms. Nothing sounds; any thread.
     *
     * @return a sum of the samples (so the work cannot be optimised away)
     */
    public static double warmUp() {
        int sampleRate = 48_000; // the compiled code is the same at any rate
        float[] buf = new float[WARM_UP_FRAMES];
        double sum = 0;
        for (Waveform w : Waveform.values()) {
            SynthVoice v = new SynthVoice(sampleRate, w, 0.5);
            for (int i = 0; i < WARM_UP_BLOCKS; i++) {
                if (i % 50 == 0) {
                    v.setFrequency(i % 100 == 0 ? 220 + i % 700 : 0);
                }
                java.util.Arrays.fill(buf, 0f);
                v.mix(buf, 0, WARM_UP_FRAMES, 0.25);
                sum += buf[i % WARM_UP_FRAMES];
            }
        }
        return sum;
    }

    /** Frames per second this voice was built for. */
    public int sampleRate() {
        return sampleRate;
    }

    /** The ramp length in frames. */
    public int rampFrames() {
        return rampFrames;
    }

    public Waveform waveform() {
        return waveform;
    }

    public double volume() {
        return volume;
    }

    /** The highest frequency a voice at {@code sampleRate} sounds: just below half the sample rate. */
    static double maxHz(int sampleRate) {
        return Math.nextDown(sampleRate / 2.0);
    }

    static void checkHz(double hz, int sampleRate) {
        if (!(hz >= 0) || Double.isInfinite(hz) || hz >= sampleRate / 2.0) {
            throw new IllegalArgumentException(
                    "frequency must be 0 (silence) or positive below " + sampleRate / 2 + " Hz, got " + hz);
        }
    }
}
