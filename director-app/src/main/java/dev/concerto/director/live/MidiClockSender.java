package dev.concerto.director.live;

import dev.concerto.director.engine.PlayState;
import dev.concerto.director.net.PreciseWaiter;
import dev.concerto.director.engine.TransportState;
import dev.concerto.director.engine.Waiter;
import dev.concerto.director.score.Timeline;
import dev.concerto.protocol.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.sound.midi.Receiver;
import javax.sound.midi.ShortMessage;

/**
 * The MIDI clock output's shell: one thread that owns a {@link MidiClockOut} and sends its
 * messages to a {@link Receiver} (a MIDI output port's, or any in tests) at their times, following
 * the transport: playing starts the clock (Start from the beginning, else Song Position Pointer and
 * Continue), pausing or stopping sends Stop, a tempo change changes the clock's rate, a seek while
 * playing re-positions. Register {@link #listener()} with the transport.
 */
public final class MidiClockSender implements AutoCloseable {

    private final Receiver receiver;
    private final Clock clock;
    private final Timeline timeline;
    private final MidiClockOut out = new MidiClockOut();
    private final Waiter waiter;
    private final AtomicReference<TransportState> latest = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile long sent;

    // thread-owned
    private PlayState lastState = PlayState.STOPPED;
    private int lastMeasure;
    private double lastTempo;

    public MidiClockSender(Receiver receiver, Clock clock, Timeline timeline) {
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeline = Objects.requireNonNull(timeline, "timeline");
        this.waiter = new PreciseWaiter(clock);
        this.thread = new Thread(this::run, "concerto-midi-clock-out");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
    }

    public MidiClockSender start() {
        thread.start();
        return this;
    }

    /** Hand this to {@code Transport.addListener}: it only stores the snapshot and wakes the thread. */
    public Consumer<TransportState> listener() {
        return s -> {
            latest.set(s);
            waiter.wake();
        };
    }

    /** MIDI messages sent (clocks and transport). */
    public long sentCount() {
        return sent;
    }

    private void run() {
        while (!closed) {
            TransportState s = latest.getAndSet(null);
            if (s != null) {
                follow(s);
            }
            long next = out.nextTickNanos();
            if (next == Long.MAX_VALUE) {
                waiter.awaitWake();
            } else if (waiter.awaitDeadline(next)) {
                send(out.tick(), next);
            }
        }
        if (out.running()) {
            out.stop().forEach(m -> send(m, clock.nanoTime()));
        }
    }

    private void follow(TransportState s) {
        long now = clock.nanoTime();
        boolean playing = s.state() == PlayState.PLAYING;
        double quarterNotes = ScorePosition.beats(timeline, s.positionSeconds());
        if (playing && (lastState != PlayState.PLAYING || s.measure() < lastMeasure || s.measure() > lastMeasure + 1)) {
            out.start(now, s.tempoBpm(), quarterNotes).forEach(m -> send(m, now)); // started, resumed, sought or looped
        } else if (!playing && lastState == PlayState.PLAYING) {
            out.stop().forEach(m -> send(m, now));
        } else if (playing && s.tempoBpm() != lastTempo) {
            out.setTempo(s.tempoBpm());
        }
        lastState = s.state();
        lastMeasure = s.measure();
        lastTempo = s.tempoBpm();
    }

    private void send(ShortMessage m, long atNanos) {
        receiver.send(m, -1); // -1: "now" to Java Sound; we send at the time ourselves
        sent++;
    }

    @Override
    public void close() {
        closed = true;
        waiter.wake();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
