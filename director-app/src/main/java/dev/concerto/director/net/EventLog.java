package dev.concerto.director.net;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import dev.concerto.director.engine.SendObserver;
import dev.concerto.protocol.Clock;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON line per datagram sent:
 * {@code {"t_us": ..., "player": "bass", "dst": "127.0.0.1:10001", "hz": 261.626, "deadline_us": ...}}
 * (the exact frequency; a plain-integer player receives it rounded to whole hertz),
 * times in wall-clock epoch microseconds. The scheduler thread only puts a small record on a
 * bounded queue ({@link #onSend} never blocks; when the queue is full the event is counted as lost);
 * a writer thread owned by this log formats and writes. {@link #close()} drains, flushes and stops it.
 *
 * <p>Wall-clock times are derived from the monotonic clock and one wall-clock reading taken at
 * open, so they are consistent with each other and cost no system call on the hot path.
 */
public final class EventLog implements SendObserver, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
    private static final int CAPACITY = 1 << 16;

    @JsonPropertyOrder({"t_us", "player", "dst", "hz", "deadline_us"})
    record Line(@JsonProperty("t_us") long tMicros, String player, String dst, Number hz,
                @JsonProperty("deadline_us") long deadlineMicros) {
    }

    private record Entry(int player, double hz, long deadlineNanos, long sentNanos) {
    }

    private static final Entry END = new Entry(-1, 0, 0, 0);

    private final Path file;
    private final List<String> names;
    private final List<String> destinations;
    private final long baseNanos;
    private final long baseMicros;
    private final BlockingQueue<Entry> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final SequenceWriter out;
    private final Thread writer;
    private volatile boolean closed;

    /**
     * Creates (or truncates) the file and starts the writer thread.
     *
     * @param names        the players' names, in roster order (player indices refer to them)
     * @param destinations their addresses, same order
     * @throws IOException when the file cannot be created
     */
    public EventLog(Path file, List<String> names, List<String> destinations, Clock clock) throws IOException {
        this.file = file;
        this.names = List.copyOf(names);
        this.destinations = List.copyOf(destinations);
        this.baseNanos = clock.nanoTime();
        this.baseMicros = clock.epochMicros();
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        this.out = new ObjectMapper().writer().withRootValueSeparator("\n").writeValues(w);
        this.writer = new Thread(this::drain, "concerto-event-log");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void onSend(int player, double hz, long deadlineNanos, long sentNanos) {
        if (closed || !queue.offer(new Entry(player, hz, deadlineNanos, sentNanos))) {
            lost.incrementAndGet();
        }
    }

    private long micros(long nanos) {
        return baseMicros + Math.floorDiv(nanos - baseNanos, 1_000L);
    }

    private void drain() {
        try {
            while (true) {
                Entry e = queue.take();
                if (e == END) {
                    break;
                }
                out.write(new Line(micros(e.sentNanos()), names.get(e.player()), destinations.get(e.player()),
                        e.hz() == Math.rint(e.hz()) ? (Number) (long) e.hz() : (Number) e.hz(),
                        micros(e.deadlineNanos())));
                written.incrementAndGet();
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            LOG.error("cannot write the event log {}: {}", file, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                LOG.error("cannot close the event log {}: {}", file, e.toString());
            }
        }
    }

    /** Lines written so far. */
    public long written() {
        return written.get();
    }

    /** Events lost because the queue was full or the log closed. */
    public long lost() {
        return lost.get();
    }

    /** Writes what is queued, closes the file and stops the writer thread (waiting up to 5 s). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(END);
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
