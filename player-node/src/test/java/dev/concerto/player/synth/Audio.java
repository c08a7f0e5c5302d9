package dev.concerto.player.synth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helpers: read a 16-bit mono WAV back and measure its pitch. */
public final class Audio {

    private Audio() {
    }

    /**
     * A 16-bit PCM WAV read whole.
     *
     * @param sampleRate frames per second
     * @param channels   channels in the file
     * @param samples    the first channel's samples, -1..1 ({@code short / 32768}, exact)
     */
    public record Wav(int sampleRate, int channels, float[] samples) {
    }

    /** The samples of a 16-bit PCM WAV (first channel), -1..1. Tolerates unfinished size fields. */
    public static float[] readWav(Path file) throws IOException {
        return read(file).samples();
    }

    /** A 16-bit PCM WAV (first channel) with its format. Tolerates unfinished size fields. */
    public static Wav read(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (b.length < 12 || bb.getInt(0) != 0x46464952 || bb.getInt(8) != 0x45564157) {
            throw new IOException(file + " is not a RIFF/WAVE file");
        }
        int pos = 12;
        int channels = 1;
        int rate = 0;
        int bits = 16;
        while (pos + 8 <= b.length) {
            int id = bb.getInt(pos);
            long size = bb.getInt(pos + 4) & 0xffffffffL;
            if (id == 0x20746d66) { // "fmt "
                channels = bb.getShort(pos + 10);
                rate = bb.getInt(pos + 12);
                bits = bb.getShort(pos + 22);
            } else if (id == 0x61746164) { // "data"
                int start = pos + 8;
                long avail = b.length - start;
                long len = size == 0 || size > avail ? avail : size;
                if (bits != 16) {
                    throw new IOException("expected 16-bit samples, got " + bits);
                }
                int frames = (int) (len / (2L * channels));
                float[] out = new float[frames];
                for (int i = 0; i < frames; i++) {
                    out[i] = bb.getShort(start + i * 2 * channels) / 32768f;
                }
                return new Wav(rate, channels, out);
            }
            pos += 8 + (int) size + (int) (size & 1);
        }
        throw new IOException(file + " has no data chunk");
    }

    /**
     * The frequency of {@code s[from..to)} from its rising zero crossings (linearly interpolated),
     * averaged over every whole cycle between the first and the last crossing.
     */
    public static double pitch(float[] s, int sampleRate, int from, int to) {
        double first = -1;
        double last = -1;
        int cycles = -1;
        for (int i = Math.max(1, from); i < to; i++) {
            if (s[i - 1] < 0 && s[i] >= 0) {
                double t = (i - 1) + s[i - 1] / (double) (s[i - 1] - s[i]);
                if (first < 0) {
                    first = t;
                }
                last = t;
                cycles++;
            }
        }
        if (cycles < 2) {
            return 0;
        }
        return cycles * sampleRate / (last - first);
    }

    /** Cents between a measured and an expected frequency. */
    public static double cents(double measured, double expected) {
        return 1200 * Math.log(measured / expected) / Math.log(2);
    }

    /** The largest absolute sample in {@code s[from..to)}. */
    public static double peak(float[] s, int from, int to) {
        double p = 0;
        for (int i = from; i < to; i++) {
            p = Math.max(p, Math.abs(s[i]));
        }
        return p;
    }

    /** A pacer that hands out frames only when the test releases them. */
    public static final class ManualPacer implements FramePacer {
        private long allowed;

        /** Lets the output render up to (not including) frame {@code frame}. */
        public synchronized void allowUpTo(long frame) {
            allowed = Math.max(allowed, frame);
            notifyAll();
        }

        @Override
        public synchronized void awaitFrame(long frame) throws InterruptedException {
            while (frame >= allowed) {
                wait();
            }
        }

        @Override
        public long frameZeroEpochMicros() {
            return 0;
        }

        @Override
        public long epochMicrosOfFrame(long frame) {
            return frame;
        }

        /** 48 kHz from nanoTime 0. */
        @Override
        public long frameAtNanos(long nanoTime) {
            return Math.round(nanoTime * 48e-6);
        }
    }

    /**
     * A clock the test sets, and a pacer on it: frame {@code f} is due at
     * {@code originNanos + f * 1e9 / rate} of that clock, so the frame of any instant is exact.
     */
    public static final class SteppedClock implements dev.concerto.protocol.Clock, FramePacer {
        private final long originNanos;
        private final int rate;
        private long nanos;

        public SteppedClock(long startNanos, int rate) {
            this.originNanos = startNanos;
            this.nanos = startNanos;
            this.rate = rate;
        }

        /** Moves the clock to {@code t} (never back) and lets the audio thread render up to it. */
        public synchronized void set(long t) {
            nanos = Math.max(nanos, t);
            notifyAll();
        }

        @Override
        public synchronized long nanoTime() {
            return nanos;
        }

        @Override
        public long epochMicros() {
            return 1_700_000_000_000_000L + nanoTime() / 1000;
        }

        /** The instant frame {@code f} is due. */
        public long nanosOfFrame(long f) {
            return originNanos + Math.round(f * 1e9 / rate);
        }

        @Override
        public synchronized void awaitFrame(long frame) throws InterruptedException {
            while (nanos < nanosOfFrame(frame)) {
                wait();
            }
        }

        @Override
        public long frameZeroEpochMicros() {
            return 1_700_000_000_000_000L + originNanos / 1000;
        }

        @Override
        public long epochMicrosOfFrame(long frame) {
            return 1_700_000_000_000_000L + nanosOfFrame(frame) / 1000;
        }

        @Override
        public long frameAtNanos(long t) {
            return Math.round((t - originNanos) * (rate / 1e9));
        }
    }

    /** Waits (bounded) until the condition holds. */
    public static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
