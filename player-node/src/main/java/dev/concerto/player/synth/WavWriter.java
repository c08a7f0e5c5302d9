package dev.concerto.player.synth;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Streams mono 16-bit PCM samples into a RIFF/WAVE file. The header is written at once with
 * placeholder sizes and completed by {@link #close()}, so a long recording never sits in memory.
 * Samples are clipped to -1..1. It does no pacing: it writes as fast as it is called (the
 * director's offline render relies on that).
 *
 * <p>Not thread-safe: one thread writes. Uses a {@link RandomAccessFile}, whose writes are not
 * interruptible, so interrupting the writing thread cannot close the file half-written.
 */
public final class WavWriter implements AutoCloseable {

    private static final int HEADER_BYTES = 44;

    private final Path path;
    private final int sampleRate;
    private final RandomAccessFile file;
    private final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private long frames;
    private boolean closed;

    /**
     * Creates (or truncates) {@code path} and writes a provisional header.
     *
     * @param sampleRate frames per second (&gt; 0)
     * @throws IOException if the file cannot be created
     */
    public WavWriter(Path path, int sampleRate) throws IOException {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate must be > 0");
        }
        this.path = path;
        this.sampleRate = sampleRate;
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            java.nio.file.Files.createDirectories(parent);
        }
        this.file = new RandomAccessFile(path.toFile(), "rw");
        file.setLength(0);
        writeHeader(0);
    }

    /** Appends {@code buf[offset .. offset+count)} as 16-bit samples. */
    public void write(float[] buf, int offset, int count) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, count, buf.length);
        if (closed) {
            throw new IOException("WAV writer for " + path + " is closed");
        }
        for (int i = offset, end = offset + count; i < end; i++) {
            if (buffer.remaining() < 2) {
                flushBuffer();
            }
            buffer.putShort(toPcm16(buf[i]));
        }
        frames += count;
    }

    /** Frames written so far. */
    public long frames() {
        return frames;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public Path path() {
        return path;
    }

    /** Writes buffered samples and the final sizes into the header. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flushBuffer();
            writeHeader(frames * 2);
        } finally {
            file.close();
        }
    }

    static short toPcm16(float sample) {
        float s = sample > 1f ? 1f : (sample < -1f ? -1f : sample);
        return (short) Math.round(s * 32767f);
    }

    private void flushBuffer() throws IOException {
        file.write(buffer.array(), 0, buffer.position());
        buffer.clear();
    }

    private void writeHeader(long dataBytes) throws IOException {
        long riff = Math.min(0xFFFF_FFFFL, 36 + dataBytes);
        long data = Math.min(0xFFFF_FFFFL, dataBytes);
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        h.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) riff).put(new byte[] {'W', 'A', 'V', 'E'});
        h.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
        h.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) data);
        long end = Math.max(file.getFilePointer(), HEADER_BYTES);
        file.seek(0);
        file.write(h.array(), 0, HEADER_BYTES);
        file.seek(end);
    }
}
