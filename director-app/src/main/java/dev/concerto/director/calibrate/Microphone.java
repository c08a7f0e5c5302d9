package dev.concerto.director.calibrate;

import dev.concerto.protocol.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;

/**
 * A javax.sound capture line recording into memory, with the clock of each block it read, so the
 * recording can be mapped to the monotonic clock ({@link CaptureClock}). One thread (started by
 * {@link #start}, stopped by {@link #stop}) owns the line.
 *
 * <p>Recording is bounded ({@value #MAX_SECONDS} s). 16-bit mono at {@link #RATE} Hz.
 */
public final class Microphone {

    public static final int RATE = 48_000;
    static final int MAX_SECONDS = 120;
    private static final AudioFormat FORMAT = new AudioFormat(RATE, 16, 1, true, false);
    private static final int BLOCK_FRAMES = 480; // 10 ms
    /**
     * The capture line's buffer, frames (0.5 s). A capture line whose reader falls behind by more than
     * its buffer overruns: the sound server drops audio and restarts the stream, and the recording no
     * longer matches the clock. Latency does not matter here (the recording is mapped to the clock
     * afterwards), so the buffer is large enough for a busy machine.
     */
    private static final int BUFFER_FRAMES = RATE / 2;

    private final TargetDataLine line;
    private final String name;
    private final Clock clock;
    private final Thread thread;
    private final float[] samples = new float[MAX_SECONDS * RATE];
    private final long[] observedFrames = new long[MAX_SECONDS * 100 + 16];
    private final long[] observedNanos = new long[observedFrames.length];
    private volatile boolean stopping;
    private int count;
    private int observations;
    private volatile String failure;

    private Microphone(TargetDataLine line, String name, Clock clock) {
        this.line = line;
        this.name = name;
        this.clock = clock;
        this.thread = new Thread(this::run, "microphone");
        this.thread.setDaemon(true);
    }

    /** The capture devices javax.sound offers for 16-bit mono at {@link #RATE} Hz, by mixer name. */
    public static List<String> list() {
        List<String> names = new ArrayList<>();
        DataLine.Info info = new DataLine.Info(TargetDataLine.class, FORMAT);
        for (Mixer.Info mi : AudioSystem.getMixerInfo()) {
            try {
                if (AudioSystem.getMixer(mi).isLineSupported(info)) {
                    names.add(mi.getName());
                }
            } catch (RuntimeException e) {
                // a broken mixer is not listed
            }
        }
        return names;
    }

    /**
     * Opens and starts the first capture device whose mixer name contains {@code nameContains}
     * (case-insensitive), or the first one at all when it is null.
     *
     * @throws MicrophoneException when there is none (the message says what to do)
     */
    public static Microphone start(String nameContains, Clock clock) throws MicrophoneException {
        DataLine.Info info = new DataLine.Info(TargetDataLine.class, FORMAT);
        List<String> available = list();
        if (available.isEmpty()) {
            throw new MicrophoneException("no microphone: javax.sound finds no capture line for 48000 Hz 16-bit mono"
                    + " (no sound card, or no ALSA 'default' capture device). Connect a microphone, or on Linux"
                    + " check 'arecord -l'");
        }
        for (Mixer.Info mi : AudioSystem.getMixerInfo()) {
            if (nameContains != null && !mi.getName().toLowerCase(Locale.ROOT).contains(nameContains.toLowerCase(Locale.ROOT))) {
                continue;
            }
            try {
                Mixer mixer = AudioSystem.getMixer(mi);
                if (!mixer.isLineSupported(info)) {
                    continue;
                }
                TargetDataLine line = (TargetDataLine) mixer.getLine(info);
                line.open(FORMAT, BUFFER_FRAMES * FORMAT.getFrameSize());
                line.start();
                Microphone m = new Microphone(line, mi.getName(), clock);
                m.thread.start();
                return m;
            } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
                // try the next one
            }
        }
        throw new MicrophoneException(nameContains == null
                ? "no microphone could be opened (every capture line is busy or refused); devices: " + available
                : "no microphone matching '" + nameContains + "'; devices: " + available);
    }

    public String name() {
        return name;
    }

    private void run() {
        byte[] buf = new byte[BLOCK_FRAMES * 2];
        try {
            while (!stopping && count + BLOCK_FRAMES <= samples.length) {
                int n = line.read(buf, 0, buf.length);
                long now = clock.nanoTime();
                int frames = n / 2;
                for (int i = 0; i < frames; i++) {
                    samples[count + i] = (short) ((buf[2 * i] & 0xff) | (buf[2 * i + 1] << 8)) / 32768f;
                }
                count += frames;
                if (observations < observedFrames.length) {
                    observedFrames[observations] = line.getLongFramePosition();
                    observedNanos[observations] = now;
                    observations++;
                }
            }
        } catch (RuntimeException e) {
            failure = e.toString();
        }
    }

    /**
     * Stops recording and releases the line.
     *
     * @return what was recorded, with its clock
     * @throws MicrophoneException when the capture failed or recorded nothing
     */
    public Recording stop() throws MicrophoneException {
        stopping = true;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        line.stop();
        line.close();
        if (failure != null) {
            throw new MicrophoneException("the microphone " + name + " failed: " + failure);
        }
        if (count == 0 || observations == 0) {
            throw new MicrophoneException("the microphone " + name + " recorded nothing");
        }
        return new Recording(Arrays.copyOf(samples, count), RATE,
                CaptureClock.fit(observedFrames, observedNanos, observations, RATE));
    }

    /** A finished recording. */
    public record Recording(float[] samples, int sampleRate, CaptureClock clock) {

        /** The largest absolute sample (full scale 1). */
        public double peak() {
            double peak = 0;
            for (float s : samples) {
                peak = Math.max(peak, Math.abs(s));
            }
            return peak;
        }
    }

    /** The microphone cannot be used; the message says why and what to do. */
    public static final class MicrophoneException extends Exception {
        public MicrophoneException(String message) {
            super(message);
        }
    }
}
