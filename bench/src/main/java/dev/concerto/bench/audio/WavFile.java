package dev.concerto.bench.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PCM WAV file read whole into memory as mono floats in -1..1 (channels are averaged).
 * Understands 16-bit integer PCM, the format every Concerto generator writes. A file whose header
 * was never finished (a player killed hard) is read up to its last whole frame.
 *
 * @param sampleRate frames per second
 * @param samples    one value per frame
 */
public record WavFile(int sampleRate, float[] samples) {

    /** Length in seconds. */
    public double seconds() {
        return (double) samples.length / sampleRate;
    }

    /**
     * Reads a 16-bit PCM WAV.
     *
     * @throws IOException if the file cannot be read or is not 16-bit PCM WAV; the message names it
     */
    public static WavFile read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 12 || b.getInt(0) != 0x46464952 /* RIFF */ || b.getInt(8) != 0x45564157 /* WAVE */) {
            throw new IOException(file + ": not a RIFF/WAVE file");
        }
        int pos = 12;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            long size = b.getInt(pos + 4) & 0xffffffffL;
            int body = pos + 8;
            if (id == 0x20746d66 /* "fmt " */) {
                int format = b.getShort(body) & 0xffff;
                channels = b.getShort(body + 2);
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14);
                if (format != 1 || bits != 16) {
                    throw new IOException(file + ": only 16-bit integer PCM is supported (format " + format + ", " + bits + " bits)");
                }
            } else if (id == 0x61746164 /* "data" */) {
                if (channels <= 0 || rate <= 0) {
                    throw new IOException(file + ": data chunk before fmt chunk");
                }
                long available = b.limit() - body;
                long bytes = (size == 0 || size > available) ? available : size; // unfinished header
                int frames = (int) (bytes / (2L * channels));
                float[] out = new float[frames];
                for (int f = 0; f < frames; f++) {
                    int sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += b.getShort(body + 2 * (f * channels + c));
                    }
                    out[f] = sum / (32768f * channels);
                }
                return new WavFile(rate, out);
            }
            pos = body + (int) size + (int) (size & 1);
        }
        throw new IOException(file + ": no data chunk");
    }
}
