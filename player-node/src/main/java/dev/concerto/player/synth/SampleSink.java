package dev.concerto.player.synth;

import java.io.IOException;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;

/**
 * Where an output's mixed samples go. Package-private: users pick an output through
 * {@link SynthOutput}'s factories. Owned and called by the output's audio thread only.
 */
interface SampleSink {

    /** Takes {@code frames} mono samples in -1..1; may block (a line blocks until it has room). */
    void write(float[] buf, int frames) throws IOException;

    /** Frames written but not yet sounded (a line's filled buffer); 0 when unknown. */
    long queuedFrames();

    /** Flushes and releases; called once by the audio thread. */
    void close() throws IOException;

    String description();

    /** 16-bit signed little-endian mono at {@code sampleRate}. */
    static AudioFormat pcm16(int sampleRate) {
        return new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, sampleRate, 16, 1, 2, sampleRate, false);
    }

    /** Samples discarded. */
    final class Discard implements SampleSink {
        @Override
        public void write(float[] buf, int frames) {
        }

        @Override
        public long queuedFrames() {
            return 0;
        }

        @Override
        public void close() {
        }

        @Override
        public String description() {
            return "virtual (discarded)";
        }
    }

    /** Samples into a WAV file. */
    final class Wav implements SampleSink {
        private final WavWriter writer;

        Wav(WavWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(float[] buf, int frames) throws IOException {
            writer.write(buf, 0, frames);
        }

        @Override
        public long queuedFrames() {
            return 0;
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }

        @Override
        public String description() {
            return "wav " + writer.path();
        }

        java.nio.file.Path path() {
            return writer.path();
        }
    }

    /** Samples into a javax.sound SourceDataLine opened with an explicit small buffer. */
    final class Line implements SampleSink {
        private final SourceDataLine line;
        private final String mixerName;
        private byte[] bytes = new byte[0];
        private long written;

        private Line(SourceDataLine line, String mixerName) {
            this.line = line;
            this.mixerName = mixerName;
        }

        /** True when some mixer offers a 16-bit mono line at this rate (false with no sound card). */
        static boolean available(int sampleRate) {
            try {
                return AudioSystem.isLineSupported(new DataLine.Info(SourceDataLine.class, pcm16(sampleRate)));
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }

        static Line open(int sampleRate, int bufferFrames) throws AudioUnavailableException {
            AudioFormat fmt = pcm16(sampleRate);
            DataLine.Info info = new DataLine.Info(SourceDataLine.class, fmt);
            if (!available(sampleRate)) {
                throw new AudioUnavailableException("no audio output: javax.sound finds no line for " + fmt
                        + " (no sound card, or no ALSA 'default' device). Use --synth virtual or wav, or"
                        + " --synth auto to fall back to virtual");
            }
            for (Mixer.Info mi : AudioSystem.getMixerInfo()) {
                Mixer mixer;
                try {
                    mixer = AudioSystem.getMixer(mi);
                } catch (RuntimeException e) {
                    continue;
                }
                if (!mixer.isLineSupported(info)) {
                    continue;
                }
                try {
                    SourceDataLine line = (SourceDataLine) mixer.getLine(info);
                    // Explicit small buffer: the default is 500 ms (see tooling facts).
                    line.open(fmt, bufferFrames * fmt.getFrameSize());
                    line.start();
                    return new Line(line, mi.getName());
                } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
                    // try the next mixer
                }
            }
            throw new AudioUnavailableException("no audio output: every javax.sound line for " + fmt
                    + " is busy or refused to open. Close other audio programs, or use --synth virtual");
        }

        @Override
        public void write(float[] buf, int frames) {
            int n = frames * 2;
            if (bytes.length < n) {
                bytes = new byte[n];
            }
            for (int i = 0; i < frames; i++) {
                short s = WavWriter.toPcm16(buf[i]);
                bytes[2 * i] = (byte) s;
                bytes[2 * i + 1] = (byte) (s >> 8);
            }
            int off = 0;
            while (off < n) {
                off += line.write(bytes, off, n - off);
                if (!line.isOpen()) {
                    return;
                }
            }
            written += frames;
        }

        @Override
        public long queuedFrames() {
            return Math.max(0, written - line.getLongFramePosition());
        }

        /** Frames the line has played so far (its hardware-clocked position). */
        long playedFrames() {
            return line.getLongFramePosition();
        }

        @Override
        public void close() {
            line.drain();
            line.stop();
            line.close();
        }

        int bufferFrames() {
            return line.getBufferSize() / 2;
        }

        @Override
        public String description() {
            return "javasound '" + mixerName + "' buffer " + bufferFrames() + " frames";
        }
    }
}
