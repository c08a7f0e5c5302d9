package dev.concerto.player;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A player's events file: one JSON object per line (Jackson). Events: {@code packet} (each
 * datagram), {@code tone} (each change applied, with the audio frame), {@code wav-start} (frame 0 of
 * a WAV recording), {@code watchdog}.
 *
 * <p>Thread-safe, and cheap for the threads that matter: the audio thread (tone events) and the
 * receive thread (packet events) only append the event to a lock-free queue and wake the writer.
 * One writer thread, owned by this log and stopped by {@link #close()}, turns events into lines and
 * flushes whenever the queue runs dry, so readers see an event within a few milliseconds. No file
 * I/O, JSON encoding or lock ever happens on the audio thread. A write failure is logged once and the
 * file is then ignored (the player keeps playing).
 */
public final class EventLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long the writer sleeps when there is nothing to write (it is also woken by each event). */
    private static final long IDLE_PARK_NANOS = 50_000_000L;

    private final Path path;
    private final Writer out;
    private final Queue<ObjectNode> pending = new ConcurrentLinkedQueue<>();
    private final Thread writer;
    private volatile boolean closed;
    // Guarded by this: the file, touched by the writer thread and by flush()/close() callers.
    private boolean failed;

    private EventLog(Path path, Writer out) {
        this.path = path;
        this.out = out;
        this.writer = new Thread(this::writeLoop, "events-" + path.getFileName());
        writer.setDaemon(true);
        writer.start();
    }

    /** Creates (truncates) {@code path} and starts the writer thread. */
    public static EventLog open(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // A FileOutputStream, not Files.newOutputStream: its writes are not interruptible.
        return new EventLog(path, new BufferedWriter(
                new OutputStreamWriter(new java.io.FileOutputStream(path.toFile()), StandardCharsets.UTF_8)));
    }

    public Path path() {
        return path;
    }

    /** A new event object with {@code t_us} and {@code event} set. */
    public ObjectNode event(long epochMicros, String event) {
        ObjectNode n = JSON.createObjectNode();
        n.put("t_us", epochMicros);
        n.put("event", event);
        return n;
    }

    /**
     * Queues one line for the writer thread; never blocks. The {@code flush} hint is kept for
     * callers written against the synchronous log: the writer flushes whenever it runs dry anyway.
     */
    public void write(ObjectNode event, boolean flush) {
        if (closed) {
            return;
        }
        pending.add(event);
        LockSupport.unpark(writer);
    }

    /** Writes everything queued so far and flushes the file, on the caller's thread. */
    public void flush() {
        synchronized (this) {
            drain();
        }
    }

    private void writeLoop() {
        while (!closed) {
            if (pending.isEmpty()) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            synchronized (this) {
                drain();
            }
        }
    }

    /** Writes the queued events and flushes. Caller holds the lock. */
    private void drain() {
        ObjectNode n;
        while ((n = pending.poll()) != null) {
            if (failed) {
                continue;
            }
            try {
                out.write(JSON.writeValueAsString(n));
                out.write('\n');
            } catch (IOException e) {
                fail(e);
            }
        }
        if (!failed) {
            try {
                out.flush();
            } catch (IOException e) {
                fail(e);
            }
        }
    }

    private void fail(IOException e) {
        failed = true;
        LOG.error("events file {} cannot be written ({}); no more events are recorded", path, e.toString());
    }

    /** Stops the writer thread, writes what is still queued and closes the file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            drain();
            try {
                out.close();
            } catch (IOException e) {
                LOG.error("closing events file {} failed: {}", path, e.toString());
            }
        }
    }
}
