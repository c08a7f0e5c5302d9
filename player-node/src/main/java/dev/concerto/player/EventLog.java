package dev.concerto.player;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.concerto.player.core.PlayerEvent;
import dev.concerto.player.core.ToneChange;
import dev.concerto.player.events.JsonLinesLog;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A player's events file ({@code --events}): JSON lines through the shared {@link JsonLinesLog}
 * (bounded queue, one writer thread, size limit). Lines, each with {@code t_us} (wall clock, epoch
 * µs) and {@code event}:
 *
 * <ul>
 *   <li>{@code packet}: an accepted datagram — {@code src}, {@code raw}, {@code bytes},
 *       {@code protocol} ({@code plain}/{@code timed}), {@code kind} ({@code plain}, {@code tone},
 *       {@code sync}); a tone also {@code seq}, {@code at_us}, {@code hz}, {@code lease_ms},
 *       {@code lease_clamped}, {@code late}, {@code early_us}.</li>
 *   <li>{@code rejected}: the datagrams rejected for one {@code reason} during one second —
 *       {@code count}, {@code last_src}, {@code example_raw} (one line per reason per second, not one
 *       per datagram, so a flood cannot fill the disk).</li>
 *   <li>{@code tone}: a change the generator applied — {@code hz}, {@code frame},
 *       {@code sound_t_us}, {@code cause} ({@code plain}, {@code start}, {@code lease-end},
 *       {@code watchdog}, {@code stop}); a timed one also {@code seq}, {@code at_us},
 *       {@code scheduled_t_us}, {@code scheduled_frame}, {@code late}.</li>
 *   <li>{@code watchdog} ({@code silent_s}), {@code wav-start} ({@code sample_rate}, {@code file}).</li>
 * </ul>
 *
 * <p>Thread-safe; the record methods never block (see {@link JsonLinesLog}). Player-clock times are
 * turned into wall-clock times with the offset the caller measured.
 */
public final class EventLog implements AutoCloseable {

    /** An applied tone change, as the generator reported it. */
    private record Applied(long epochMicros, double hz, long frame, long soundEpochMicros, ToneChange change,
            long epochMinusPlayerMicros) {
    }

    private record Recorded(PlayerEvent event, long epochMinusPlayerMicros) {
    }

    private record WavStart(long epochMicros, int sampleRate, String file) {
    }

    private record LineCorrection(long epochMicros, double shiftMs) {
    }

    private final JsonLinesLog<Object> log;

    private EventLog(JsonLinesLog<Object> log) {
        this.log = log;
    }

    /** Creates (truncates) {@code path} with the default size limit ({@link JsonLinesLog#DEFAULT_MAX_BYTES}). */
    public static EventLog open(Path path) throws IOException {
        return open(path, JsonLinesLog.DEFAULT_MAX_BYTES);
    }

    /**
     * Creates (truncates) {@code path}.
     *
     * @param maxBytes the file size limit, bytes
     */
    public static EventLog open(Path path, long maxBytes) throws IOException {
        return new EventLog(JsonLinesLog.open(path, maxBytes, JsonLinesLog.DEFAULT_CAPACITY, EventLog::format));
    }

    public Path path() {
        return log.path();
    }

    /**
     * An event of the player core. Never blocks.
     *
     * @param epochMinusPlayerMicros wall clock minus player clock, µs (maps the event's times)
     */
    public void record(PlayerEvent event, long epochMinusPlayerMicros) {
        log.offer(new Recorded(event, epochMinusPlayerMicros));
    }

    /**
     * A change the generator applied (called on the audio thread: only queues).
     *
     * @param epochMicros            the wall clock now
     * @param change                 the core's change (the generator's tag), or null for an untagged {@code set}
     * @param epochMinusPlayerMicros wall clock minus player clock, µs (maps the change's time)
     */
    public void applied(long epochMicros, double hz, long frame, long soundEpochMicros, ToneChange change,
            long epochMinusPlayerMicros) {
        log.offer(new Applied(epochMicros, hz, frame, soundEpochMicros, change, epochMinusPlayerMicros));
    }

    /** Frame 0 of a WAV recording. */
    public void wavStart(long frameZeroEpochMicros, int sampleRate, Path file) {
        log.offer(new WavStart(frameZeroEpochMicros, sampleRate, file.toString()));
    }

    /**
     * The audio line was brought back in time: {@code shiftMs} &gt; 0 audio skipped after a stall,
     * &lt; 0 silence inserted (called on the audio thread: only queues).
     */
    public void lineCorrected(long epochMicros, double shiftMs) {
        log.offer(new LineCorrection(epochMicros, shiftMs));
    }

    /** Events not written (queue full, size limit). */
    public long dropped() {
        return log.dropped();
    }

    /** Waits until everything recorded so far is in the file. */
    public void flush() {
        log.flush();
    }

    @Override
    public void close() {
        log.close();
    }

    private static void format(Object o, JsonGenerator g) throws IOException {
        if (o instanceof Recorded r) {
            format(r.event(), r.epochMinusPlayerMicros(), g);
        } else if (o instanceof Applied a) {
            g.writeNumberField("t_us", a.epochMicros());
            g.writeStringField("event", "tone");
            hz(g, a.hz());
            g.writeNumberField("frame", a.frame());
            g.writeNumberField("sound_t_us", a.soundEpochMicros());
            ToneChange c = a.change();
            if (c != null) {
                g.writeStringField("cause", c.cause().key());
                if (c.seq() >= 0) {
                    g.writeNumberField("seq", c.seq());
                }
                if (c.frame() != ToneChange.AT_ONCE) {
                    g.writeNumberField("at_us", c.atMicros());
                    g.writeNumberField("scheduled_t_us", c.atMicros() + a.epochMinusPlayerMicros());
                    g.writeNumberField("scheduled_frame", c.frame());
                    // Late by the core's account (arrived after its time) or by the audio thread's (applied
                    // after the frame it was scheduled for, e.g. a starved audio thread).
                    g.writeBooleanField("late", c.late() || a.frame() > c.frame());
                }
            }
        } else if (o instanceof LineCorrection l) {
            g.writeNumberField("t_us", l.epochMicros());
            g.writeStringField("event", "line-correction");
            g.writeNumberField("shift_ms", l.shiftMs());
        } else if (o instanceof WavStart w) {
            g.writeNumberField("t_us", w.epochMicros());
            g.writeStringField("event", "wav-start");
            g.writeNumberField("sample_rate", w.sampleRate());
            g.writeStringField("file", w.file());
        }
    }

    private static void format(PlayerEvent e, long offset, JsonGenerator g) throws IOException {
        if (e instanceof PlayerEvent.Accepted a) {
            g.writeNumberField("t_us", a.micros() + offset);
            g.writeStringField("event", "packet");
            g.writeStringField("src", a.source());
            g.writeStringField("raw", a.raw());
            g.writeNumberField("bytes", a.bytes());
            g.writeBooleanField("accepted", true);
            g.writeStringField("protocol", a.kind().equals("plain") ? "plain" : "timed");
            g.writeStringField("kind", a.kind());
            if (a.seq() >= 0) {
                g.writeNumberField("seq", a.seq());
            }
            if (a.hz() >= 0) {
                hz(g, a.hz());
            }
            if (a.kind().equals("tone")) {
                g.writeNumberField("at_us", a.atMicros());
                g.writeNumberField("lease_ms", a.leaseMillis());
                g.writeBooleanField("lease_clamped", a.clamped());
                g.writeBooleanField("late", a.late());
                g.writeNumberField("early_us", a.atMicros() - a.micros());
            }
        } else if (e instanceof PlayerEvent.Rejected r) {
            g.writeNumberField("t_us", r.micros() + offset);
            g.writeStringField("event", "rejected");
            g.writeStringField("reason", r.reason().key());
            g.writeNumberField("count", r.count());
            g.writeStringField("last_src", r.lastSource());
            g.writeStringField("example_raw", r.exampleRaw());
        } else if (e instanceof PlayerEvent.Watchdog w) {
            g.writeNumberField("t_us", w.micros() + offset);
            g.writeStringField("event", "watchdog");
            g.writeNumberField("silent_s", w.silentSeconds());
        }
    }

    private static void hz(JsonGenerator g, double hz) throws IOException {
        if (hz == Math.rint(hz)) {
            g.writeNumberField("hz", (long) hz);
        } else {
            g.writeNumberField("hz", hz);
        }
    }
}
