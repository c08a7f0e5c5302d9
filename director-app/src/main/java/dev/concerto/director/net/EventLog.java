package dev.concerto.director.net;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.concerto.director.engine.SendObserver;
import dev.concerto.director.engine.SyncExchange;
import dev.concerto.player.events.JsonLinesLog;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.ClockPair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The director's events file. One JSON line per datagram sent:
 * {@code {"t_us": ..., "player": "bass", "dst": "127.0.0.1:10001", "hz": 261.626, "deadline_us": ...}}
 * and, when it was to be sent before its deadline (timed players: one lead before), {@code "send_at_us"}
 * (the exact frequency; a plain-integer player receives it rounded to whole hertz), and, from
 * other parts of the director, lines of their own that carry an {@code "event"} field ({@link Line},
 * e.g. a live note and the voice allocator's decisions, and each clock-sync exchange: {@code "event": "sync"}
 * with its stamps {@code t1}..{@code t4} as on the wire, director's and player's monotonic clocks, µs).
 * Other times are wall-clock epoch microseconds.
 * Written through the events-log design shared with the players ({@link JsonLinesLog}): a hot
 * thread only offers a small record to a bounded queue ({@link #onSend} and {@link #offer} never
 * block; when the queue is full the event is counted as lost), one writer thread owned by the log
 * formats and writes, and the file stops at its size limit with one line saying so.
 * {@link #close()} drains, flushes and stops it.
 *
 * <p>Wall-clock times are derived from the monotonic clock and one wall-clock reading taken at
 * open, so they are consistent with each other and cost no system call on the hot path.
 */
public final class EventLog implements SendObserver, AutoCloseable {

    /**
     * A line other than a datagram sent: an immutable record a hot thread offers; it writes its
     * fields (an {@code "event"} field first) on the log's writer thread only.
     */
    @FunctionalInterface
    public interface Line {
        /**
         * @param log converts monotonic nanos to the file's wall-clock µs ({@link EventLog#epochMicros})
         *            and names players ({@link EventLog#playerName})
         */
        void write(JsonGenerator json, EventLog log) throws IOException;
    }

    private record Sent(int player, double hz, long deadlineNanos, long sendAtNanos, long sentNanos) implements Line {
        @Override
        public void write(JsonGenerator g, EventLog log) throws IOException {
            g.writeNumberField("t_us", log.epochMicros(sentNanos));
            g.writeStringField("player", log.playerName(player));
            g.writeStringField("dst", log.destinations.get(player));
            writeHz(g, hz);
            g.writeNumberField("deadline_us", log.epochMicros(deadlineNanos));
            if (sendAtNanos != deadlineNanos) {
                g.writeNumberField("send_at_us", log.epochMicros(sendAtNanos)); // one lead before the deadline (timed)
            }
        }
    }

    /** A clock-sync exchange: its four stamps as on the wire (each side's clock, µs), for diagnosis. */
    private record Sync(int player, SyncExchange x, long arrivalNanos) implements Line {
        @Override
        public void write(JsonGenerator g, EventLog log) throws IOException {
            g.writeStringField("event", "sync");
            g.writeNumberField("t_us", log.epochMicros(arrivalNanos));
            g.writeStringField("player", log.playerName(player));
            g.writeNumberField("t1", x.t1Micros());
            g.writeNumberField("t2", x.t2Micros());
            g.writeNumberField("t3", x.t3Micros());
            g.writeNumberField("t4", x.t4Micros());
            g.writeStringField("outcome", x.outcome().name());
            g.writeNumberField("stamped_offset_us", Math.round(x.stampedOffsetMicros() * 10) / 10.0);
        }
    }

    private final boolean syncEvents;
    private final List<String> names;
    private final List<String> destinations;
    private final long baseNanos;
    private final long baseMicros;
    private final JsonLinesLog<Line> log;

    /**
     * Creates (or truncates) the file and starts the writer thread, with the default size limit
     * ({@link JsonLinesLog#DEFAULT_MAX_BYTES}).
     *
     * @param names        the players' names, in roster order (player indices refer to them)
     * @param destinations their addresses as written in the log, same order
     * @throws IOException when the file cannot be created
     */
    public EventLog(Path file, List<String> names, List<String> destinations, Clock clock) throws IOException {
        this(file, names, destinations, clock, false);
    }

    /**
     * As {@link #EventLog(Path, List, List, Clock)}, with a {@code "sync"} line per clock-sync exchange
     * when {@code syncEvents} ({@link #onSyncExchange}).
     *
     * @throws IOException when the file cannot be created
     */
    public EventLog(Path file, List<String> names, List<String> destinations, Clock clock, boolean syncEvents)
            throws IOException {
        this.syncEvents = syncEvents;
        this.names = List.copyOf(names);
        this.destinations = List.copyOf(destinations);
        ClockPair base = ClockPair.read(clock); // one pairing for the whole file: its times agree with each other
        this.baseNanos = base.nanos();
        this.baseMicros = base.epochMicros();
        this.log = JsonLinesLog.open(file, JsonLinesLog.DEFAULT_MAX_BYTES, JsonLinesLog.DEFAULT_CAPACITY,
                (line, json) -> line.write(json, this));
    }

    @Override
    public void onSend(int player, double hz, long deadlineNanos, long sendAtNanos, long sentNanos) {
        log.offer(new Sent(player, hz, deadlineNanos, sendAtNanos, sentNanos));
    }

    @Override
    public void onSyncExchange(int player, SyncExchange exchange) {
        if (syncEvents) {
            log.offer(new Sync(player, exchange, exchange.t4Micros() * 1000));
        }
    }

    /**
     * Queues a line of another kind; never blocks, any thread.
     *
     * @return false when it was dropped (queue full, file at its limit, or log closed): counted in {@link #lost()}
     */
    public boolean offer(Line line) {
        return log.offer(java.util.Objects.requireNonNull(line, "line"));
    }

    /** A time on the clock's monotonic scale (ns) as the file writes it: wall-clock µs since 1970. */
    public long epochMicros(long nanos) {
        return baseMicros + Math.floorDiv(nanos - baseNanos, 1_000L);
    }

    /** The roster name of player {@code player}. */
    public String playerName(int player) {
        return names.get(player);
    }

    /** Writes a frequency exactly, whole hertz without a fraction (262, not 262.0). */
    public static void writeHz(JsonGenerator g, double hz) throws IOException {
        if (hz == Math.rint(hz)) {
            g.writeNumberField("hz", (long) hz);
        } else {
            g.writeNumberField("hz", hz);
        }
    }

    /** The file. */
    public Path path() {
        return log.path();
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
