package dev.concerto.player.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one events-log design of Concerto (a player's {@code --events} and the director's): a file of
 * JSON lines written by one writer thread from a bounded queue.
 *
 * <ul>
 *   <li><b>Never blocks a hot thread.</b> {@link #offer} puts a small immutable event on a bounded
 *       queue ({@value #DEFAULT_CAPACITY} by default) and returns; when the queue is full the event is
 *       counted as {@link #dropped()}, never waited for. JSON encoding and file I/O happen only on the
 *       writer thread, owned by this log and stopped by {@link #close()}.</li>
 *   <li><b>Bounded file.</b> Once the file would grow past its limit ({@link #DEFAULT_MAX_BYTES} by
 *       default) one last line says so — {@code {"event":"events-limit","limit_bytes":...}} — and
 *       nothing more is written (later events count as dropped). A full disk is not a crash: a write
 *       failure is logged once and the log stops the same way.</li>
 *   <li>When events were dropped for a full queue, {@link #close()} ends the file with
 *       {@code {"event":"events-dropped","count":N}}.</li>
 *   <li><b>Costs a hot thread only the offer.</b> The writer is not woken per event (a wake-up is a
 *       system call on the offering thread, once per datagram on the director's): it drains the queue
 *       and, when it is empty, sleeps {@value #IDLE_PARK_NANOS} ns; one JSON generator is reused
 *       for every line. An event reaches the file within a few milliseconds.</li>
 * </ul>
 *
 * <p>Lives in player-node because both the player and the director (which already depends on
 * player-node for its local players) use it, and shared-protocol may not start threads.
 *
 * @param <E> the event type; {@link LineFormat} turns one into one JSON object on the writer thread
 */
public final class JsonLinesLog<E> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesLog.class);
    private static final JsonFactory JSON = new JsonFactory();

    /** Default file size limit: 64 MiB (about 300,000 lines). */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;
    /** Default queue capacity, events. */
    public static final int DEFAULT_CAPACITY = 1 << 16;
    /** Room kept for the closing lines. */
    private static final int RESERVE_BYTES = 256;
    /** How long the writer sleeps when the queue is empty, ns. */
    static final long IDLE_PARK_NANOS = 2_000_000;

    /** Writes one event as one JSON object. Runs on the writer thread only. */
    @FunctionalInterface
    public interface LineFormat<E> {
        void write(E event, JsonGenerator json) throws IOException;
    }

    private record Flush(CountDownLatch done) {
    }

    private static final Object END = new Object();

    private final Path path;
    private final long maxBytes;
    private final LineFormat<E> format;
    private final BlockingQueue<Object> queue;
    private final Writer out;
    private final Thread writer;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;
    private volatile boolean stopped;
    // Writer thread only.
    private long bytes;
    /** The line being written, and the generator writing into it (reused for every line). */
    private final StringWriter lineText = new StringWriter(256);
    private JsonGenerator json;

    private JsonLinesLog(Path path, long maxBytes, int capacity, LineFormat<E> format, Writer out) {
        this.path = path;
        this.maxBytes = maxBytes;
        this.format = format;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.out = out;
        this.writer = new Thread(this::run, "events-" + path.getFileName());
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Creates (truncates) {@code path} and starts the writer thread.
     *
     * @param maxBytes the file size limit, at least 1 KiB
     * @param capacity events the queue holds, at least 1
     * @throws IOException when the file cannot be created
     */
    public static <E> JsonLinesLog<E> open(Path path, long maxBytes, int capacity, LineFormat<E> format)
            throws IOException {
        if (maxBytes < 1024) {
            throw new IllegalArgumentException("an events file limit must be at least 1 KiB, got " + maxBytes + " bytes");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, got " + capacity);
        }
        Objects.requireNonNull(format, "format");
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // A FileOutputStream, not Files.newOutputStream: its writes are not interruptible.
        Writer w = new BufferedWriter(new OutputStreamWriter(new FileOutputStream(path.toFile()), StandardCharsets.UTF_8));
        return new JsonLinesLog<>(path, maxBytes, capacity, format, w);
    }

    public Path path() {
        return path;
    }

    /** The size limit of the file, bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Queues one event; never blocks, any thread.
     *
     * @return false when it was dropped (queue full, file at its limit, or log closed): counted
     */
    public boolean offer(E event) {
        if (closed || stopped || !queue.offer(event)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Lines of events written so far. */
    public long written() {
        return written.get();
    }

    /** Events not written: queue full, file at its limit, or offered after close. */
    public long dropped() {
        return dropped.get();
    }

    /** True once the file reached its limit (or could not be written): nothing more is written. */
    public boolean stopped() {
        return stopped;
    }

    /**
     * Waits (at most 5 s) until every event offered before this call is written and the file
     * flushed. For tests and orderly shutdown; not for hot threads.
     */
    public void flush() {
        if (closed) {
            return;
        }
        Flush f = new Flush(new CountDownLatch(1));
        try {
            if (queue.offer(f, 5, TimeUnit.SECONDS)) {
                LockSupport.unpark(writer);
                f.done.await(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is queued, closes the file and stops the writer thread. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!queue.offer(END, 5, TimeUnit.SECONDS)) {
                writer.interrupt();
            }
            LockSupport.unpark(writer); // not to wait for its nap
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("unchecked")
    private void run() {
        try {
            while (true) {
                Object o = queue.poll();
                if (o == null) {
                    flushFile(); // readers see an event within a few milliseconds
                    // Not woken by each offer (that is a system call on the offering thread): a nap.
                    LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    continue;
                }
                if (o == END) {
                    break;
                }
                if (o instanceof Flush f) {
                    flushFile();
                    f.done.countDown();
                    continue;
                }
                write((E) o);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (Object o; (o = queue.poll()) != null; ) {
                if (o instanceof Flush f) {
                    f.done.countDown();
                } else if (o != END) {
                    write((E) o);
                }
            }
            long lost = dropped.get();
            if (lost > 0 && !stopped) {
                raw("{\"event\":\"events-dropped\",\"count\":" + lost
                        + ",\"why\":\"the queue was full: events came faster than the file could take them\"}");
            }
            try {
                out.close();
            } catch (IOException e) {
                LOG.error("closing events file {} failed: {}", path, e.toString());
            }
        }
    }

    private void write(E event) {
        if (stopped) {
            dropped.incrementAndGet();
            return;
        }
        String text;
        try {
            StringBuffer buf = lineText.getBuffer();
            buf.setLength(0);
            if (json == null) {
                json = JSON.createGenerator(lineText);
                json.setRootValueSeparator(null); // one object per line; the line end is ours
            }
            json.writeStartObject();
            format.write(event, json);
            json.writeEndObject();
            json.flush();
            text = buf.toString();
        } catch (IOException | RuntimeException e) {
            LOG.warn("events file {}: an event could not be written as JSON: {}", path, e.toString());
            dropped.incrementAndGet();
            json = null; // left mid-object: the next line starts a new generator
            return;
        }
        int size = utf8Length(text) + 1;
        if (bytes + size > maxBytes - RESERVE_BYTES) {
            stopped = true;
            dropped.incrementAndGet();
            raw("{\"event\":\"events-limit\",\"limit_bytes\":" + maxBytes
                    + ",\"why\":\"the events file reached its size limit: nothing after this line is recorded\"}");
            LOG.warn("events file {} reached its limit of {} bytes; no more events are recorded", path, maxBytes);
            flushFile();
            return;
        }
        if (raw(text)) {
            written.incrementAndGet();
        }
    }

    /** Bytes of {@code s} in UTF-8 (without encoding it). */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private boolean raw(String line) {
        try {
            out.write(line);
            out.write('\n');
            bytes += line.length() + 1;
            return true;
        } catch (IOException e) {
            fail(e);
            return false;
        }
    }

    private void flushFile() {
        try {
            out.flush();
        } catch (IOException e) {
            fail(e);
        }
    }

    private void fail(IOException e) {
        if (!stopped) {
            LOG.error("events file {} cannot be written ({}); no more events are recorded", path, e.toString());
        }
        stopped = true;
    }
}
