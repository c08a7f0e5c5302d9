package dev.concerto.director.net;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.concerto.director.engine.SendObserver;
import dev.concerto.player.events.JsonLinesLog;
import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes one JSON line per datagram sent:
 * {@code {"t_us": ..., "player": "bass", "dst": "127.0.0.1:10001", "hz": 261.626, "deadline_us": ...}}
 * and, when it was to be sent before its deadline (timed players: one lead before), {@code "send_at_us"}
 * (the exact frequency; a plain-integer player receives it rounded to whole hertz), times in
 * wall-clock epoch microseconds, through the events-log design shared with the players
 * ({@link JsonLinesLog}): the scheduler thread only offers a small record to a bounded queue
 * ({@link #onSend} never blocks; when the queue is full the event is counted as lost), one writer
 * thread owned by the log formats and writes, and the file stops at its size limit with one line
 * saying so. {@link #close()} drains, flushes and stops it.
 *
 * <p>Wall-clock times are derived from the monotonic clock and one wall-clock reading taken at
 * open, so they are consistent with each other and cost no system call on the hot path.
 */
public final class EventLog implements SendObserver, AutoCloseable {

    private record Entry(int player, double hz, long deadlineNanos, long sendAtNanos, long sentNanos) {
    }

    private final List<String> names;
    private final List<String> destinations;
    private final long baseNanos;
    private final long baseMicros;
    private final JsonLinesLog<Entry> log;

    /**
     * Creates (or truncates) the file and starts the writer thread, with the default size limit
     * ({@link JsonLinesLog#DEFAULT_MAX_BYTES}).
     *
     * @param names        the players' names, in roster order (player indices refer to them)
     * @param destinations their addresses as written in the log, same order
     * @throws IOException when the file cannot be created
     */
    public EventLog(Path file, List<String> names, List<String> destinations, Clock clock) throws IOException {
        this.names = List.copyOf(names);
        this.destinations = List.copyOf(destinations);
        this.baseNanos = clock.nanoTime();
        this.baseMicros = clock.epochMicros();
        this.log = JsonLinesLog.open(file, JsonLinesLog.DEFAULT_MAX_BYTES, JsonLinesLog.DEFAULT_CAPACITY, this::write);
    }

    @Override
    public void onSend(int player, double hz, long deadlineNanos, long sendAtNanos, long sentNanos) {
        log.offer(new Entry(player, hz, deadlineNanos, sendAtNanos, sentNanos));
    }

    private long micros(long nanos) {
        return baseMicros + Math.floorDiv(nanos - baseNanos, 1_000L);
    }

    private void write(Entry e, JsonGenerator g) throws IOException {
        g.writeNumberField("t_us", micros(e.sentNanos()));
        g.writeStringField("player", names.get(e.player()));
        g.writeStringField("dst", destinations.get(e.player()));
        if (e.hz() == Math.rint(e.hz())) {
            g.writeNumberField("hz", (long) e.hz()); // whole hertz as before: 262, not 262.0
        } else {
            g.writeNumberField("hz", e.hz());
        }
        g.writeNumberField("deadline_us", micros(e.deadlineNanos()));
        if (e.sendAtNanos() != e.deadlineNanos()) {
            g.writeNumberField("send_at_us", micros(e.sendAtNanos())); // one lead before the deadline (timed)
        }
    }

    /** Lines written so far. */
    public long written() {
        return log.written();
    }

    /** Events lost because the queue was full, the file at its limit, or the log closed. */
    public long lost() {
        return log.dropped();
    }

    /** Writes what is queued, closes the file and stops the writer thread (waiting up to 5 s). */
    @Override
    public void close() {
        log.close();
    }
}
