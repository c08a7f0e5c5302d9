package dev.concerto.player.synth;

/**
 * How an audio output synthesizes: shared by every audio generator and the offline renderer.
 *
 * @param sampleRate frames per second, 8000..192000 (default 48000)
 * @param waveform   the wave shape (default square, 50 % duty, like the PWM buzzer)
 * @param volume     peak amplitude of one voice, 0..1 (default 0.5)
 * @param bufferMs   the audio line's buffer in milliseconds, 2..500 (default 20); paced outputs
 *                   render in blocks of half of it, lines in quarters
 * @param rampMs     length of the anti-click ramp of a change in milliseconds (default 2)
 */
public record SynthSettings(int sampleRate, Waveform waveform, double volume, int bufferMs, double rampMs) {

    public static final int DEFAULT_SAMPLE_RATE = 48_000;
    public static final int DEFAULT_BUFFER_MS = 20;
    public static final double DEFAULT_VOLUME = 0.5;

    public SynthSettings {
        if (sampleRate < 8000 || sampleRate > 192_000) {
            throw new IllegalArgumentException("sample rate must be within 8000..192000 Hz, got " + sampleRate);
        }
        java.util.Objects.requireNonNull(waveform, "waveform");
        if (!(volume >= 0 && volume <= 1)) {
            throw new IllegalArgumentException("volume must be within 0..1, got " + volume);
        }
        if (bufferMs < 2 || bufferMs > 500) {
            throw new IllegalArgumentException("buffer must be within 2..500 ms, got " + bufferMs);
        }
        if (!(rampMs >= 0 && rampMs <= 50)) {
            throw new IllegalArgumentException("ramp must be within 0..50 ms, got " + rampMs);
        }
    }

    /** 48 kHz, square, volume 0.5, 20 ms buffer, 2 ms ramp. */
    public static SynthSettings defaults() {
        return new SynthSettings(DEFAULT_SAMPLE_RATE, Waveform.SQUARE, DEFAULT_VOLUME, DEFAULT_BUFFER_MS,
                SynthVoice.DEFAULT_RAMP_MS);
    }

    public SynthSettings withWaveform(Waveform w) {
        return new SynthSettings(sampleRate, w, volume, bufferMs, rampMs);
    }

    public SynthSettings withVolume(double v) {
        return new SynthSettings(sampleRate, waveform, v, bufferMs, rampMs);
    }

    public SynthSettings withBufferMs(int ms) {
        return new SynthSettings(sampleRate, waveform, volume, ms, rampMs);
    }

    public SynthSettings withSampleRate(int rate) {
        return new SynthSettings(rate, waveform, volume, bufferMs, rampMs);
    }

    /** Frames in the line buffer. */
    public int bufferFrames() {
        return Math.max(64, bufferMs * sampleRate / 1000);
    }

    /** A new voice with these settings. */
    public SynthVoice newVoice() {
        return new SynthVoice(sampleRate, waveform, volume, rampMs);
    }
}
