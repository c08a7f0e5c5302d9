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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A player's events file: one JSON object per line (Jackson). Events: {@code packet} (each
 * datagram), {@code tone} (each change applied, with the audio frame), {@code wav-start} (frame 0 of
 * a WAV recording), {@code watchdog}. Thread-safe: the receive thread and the audio thread both
 * write; each line is written whole under a lock. A write failure is logged once and the file is
 * then ignored (the player keeps playing).
 */
public final class EventLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final Writer out;
    private boolean failed;
    private boolean closed;

    private EventLog(Path path, Writer out) {
        this.path = path;
        this.out = out;
    }

    /** Creates (truncates) {@code path}. */
    public static EventLog open(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // A FileOutputStream, not Files.newOutputStream: its writes are not interruptible, and the
        // audio thread (which writes tone events) is interrupted when its output closes.
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

    /** Appends one line; {@code flush} makes it visible to readers at once. */
    public synchronized void write(ObjectNode event, boolean flush) {
        if (failed || closed) {
            return;
        }
        try {
            out.write(JSON.writeValueAsString(event));
            out.write('\n');
            if (flush) {
                out.flush();
            }
        } catch (IOException e) {
            failed = true;
            LOG.error("events file {} cannot be written ({}); no more events are recorded", path, e.toString());
        }
    }

    public synchronized void flush() {
        if (!failed && !closed) {
            try {
                out.flush();
            } catch (IOException e) {
                failed = true;
                LOG.error("events file {} cannot be written ({})", path, e.toString());
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            LOG.error("closing events file {} failed: {}", path, e.toString());
        }
    }
}
