package dev.concerto.director.live;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.concerto.director.net.EventLog;
import java.io.IOException;
import java.util.Objects;

/**
 * Writes the live conductor's decisions into the director's events file ({@link EventLog}, the
 * same file, queue and writer thread as the datagrams the engine sends), one JSON line each:
 *
 * <pre>
 * {"event":"live-note","t_us":…,"player":"k0","index":0,"hz":261.626,"key":60,"at_us":…,"in_us":…,"source":"keyboard"}
 * {"event":"stolen","t_us":…,"player":"k0","index":0,"key":67,"stolen_key":60,"channel":1,"in_us":…}
 * {"event":"dropped","t_us":…,"key":67,"channel":1,"why":"dropped","in_us":…}
 * </pre>
 *
 * {@code t_us} is when the live loop handed the change over (or decided), {@code at_us} when it
 * sounds (as scheduled: the player's frame for a timed player), {@code in_us} when its cause came
 * in (the note-on entering the JVM, the OSC message's arrival or its bundle's time tag); all
 * wall-clock µs since 1970. {@code hz} 0 is a silence; {@code key} is -1 for silences and OSC
 * notes; {@code channel} is 1..16. {@code why} is {@code dropped} (every eligible player sounded,
 * {@code --overflow drop}) or {@code out-of-range} (no player takes the key).
 *
 * <p>On the loop thread this only offers a small immutable record ({@link EventLog#offer} never
 * blocks; a full queue counts the line as lost); formatting happens on the log's writer thread.
 */
public final class LiveEventLines implements LiveConductor.NoteListener {

    private final EventLog log;

    public LiveEventLines(EventLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public void onChange(LiveNote note) {
        log.offer(new NoteLine(note));
    }

    @Override
    public void onDecision(VoiceDecision decision, long inputNanos, long nowNanos) {
        log.offer(new DecisionLine(decision, inputNanos, nowNanos));
    }

    private record NoteLine(LiveNote n) implements EventLog.Line {
        @Override
        public void write(JsonGenerator g, EventLog log) throws IOException {
            g.writeStringField("event", "live-note");
            g.writeNumberField("t_us", log.epochMicros(n.handedNanos()));
            g.writeStringField("player", log.playerName(n.player()));
            g.writeNumberField("index", n.player());
            EventLog.writeHz(g, n.hz());
            g.writeNumberField("key", n.key());
            g.writeNumberField("at_us", log.epochMicros(n.dueNanos()));
            g.writeNumberField("in_us", log.epochMicros(n.inputNanos()));
            g.writeStringField("source", n.source().key());
        }
    }

    private record DecisionLine(VoiceDecision d, long inputNanos, long nowNanos) implements EventLog.Line {
        @Override
        public void write(JsonGenerator g, EventLog log) throws IOException {
            boolean stolen = d.kind() == VoiceDecision.Kind.STOLEN;
            g.writeStringField("event", stolen ? "stolen" : "dropped");
            g.writeNumberField("t_us", log.epochMicros(nowNanos));
            if (stolen) {
                g.writeStringField("player", log.playerName(d.player()));
                g.writeNumberField("index", d.player());
            }
            g.writeNumberField("key", d.key());
            if (stolen) {
                g.writeNumberField("stolen_key", d.stolenKey());
            }
            g.writeNumberField("channel", d.channel0() + 1);
            if (!stolen) {
                g.writeStringField("why", d.kind().key());
            }
            g.writeNumberField("in_us", log.epochMicros(inputNanos));
        }
    }
}
