package dev.concerto.player.synth;

import dev.concerto.protocol.Clock;
import dev.concerto.protocol.ClockPair;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Base of the generators without samples (null, PWM): frames are counted at a nominal rate on the
 * monotonic clock, {@link #set} (and a {@link #schedule} "as soon as possible") applies on the
 * caller's thread, and {@link #schedule}d changes at a frame are applied by a {@link FrameTimer}'s
 * thread when the frame is due: the generator's own (started with its first scheduled change and
 * stopped by {@link #stopScheduler()}, called by subclasses' {@code close}), or one shared by many
 * generators (an ensemble's), which its owner closes.
 */
abstract class ClockFrameGenerator implements ToneGenerator {

    /** The nominal frame rate of the time base. */
    static final int NOMINAL_RATE = 48_000;

    private static final FrameTimer.Action APPLY = (owner, hz, tag) -> ((ClockFrameGenerator) owner).applyScheduled(hz, tag);

    private final Clock clock;
    private final long originNanos;
    private final long originMicros;
    private final AtomicReference<ToneListener> listener = new AtomicReference<>();
    private final FrameTimer timer;
    private final boolean ownsTimer;
    private volatile boolean closed;

    /** With a timer of its own. */
    ClockFrameGenerator(Clock clock) {
        this(clock, null);
    }

    /**
     * @param timer the shared timer that applies scheduled changes (not closed by this generator),
     *              or null for one of its own
     */
    ClockFrameGenerator(Clock clock, FrameTimer timer) {
        this.clock = clock;
        ClockPair origin = ClockPair.read(clock); // one instant, also when preempted
        this.originNanos = origin.nanos();
        this.originMicros = origin.epochMicros();
        this.ownsTimer = timer == null;
        this.timer = timer != null ? timer : new FrameTimer(getClass().getSimpleName(), clock);
    }

    /** Applies the change to the hardware (or nothing); called under this object's lock. */
    protected abstract void apply(double hz);

    /** The highest frequency accepted, in hertz. */
    public double maxHz() {
        return dev.concerto.protocol.LegacyCodec.MAX_HZ;
    }

    @Override
    public void set(double hz) {
        setNow(hz, null);
    }

    private void setNow(double hz, Object tag) {
        check(hz);
        long frame;
        synchronized (this) {
            apply(hz);
            frame = framePosition();
        }
        ToneListener l = listener.get();
        if (l != null) {
            l.toneApplied(hz, frame, clock.epochMicros(), tag);
        }
    }

    @Override
    public void schedule(double hz, long frame, Object tag) {
        check(hz);
        java.util.Objects.requireNonNull(tag, "tag");
        if (frame < 0) {
            setNow(hz, tag); // as soon as possible: on the caller's thread, as set
            return;
        }
        if (closed) {
            throw new IllegalStateException("generator closed");
        }
        timer.schedule(originNanos + Math.round(frame * 1e9 / NOMINAL_RATE), this, APPLY, hz, tag);
    }

    @Override
    public void cancel(Object tag) {
        timer.cancel(this, tag);
    }

    /** Stops scheduling: this generator's pending changes are dropped (and its own timer stopped). Idempotent. */
    protected final void stopScheduler() {
        closed = true;
        if (ownsTimer) {
            timer.close();
        } else {
            timer.cancelAll(this);
        }
    }

    /** A scheduled change whose frame has come (the timer's thread). */
    private void applyScheduled(double hz, Object tag) {
        if (closed) {
            return;
        }
        long frame;
        synchronized (this) {
            apply(hz);
            frame = framePosition();
        }
        ToneListener l = listener.get();
        if (l != null) {
            l.toneApplied(hz, frame, clock.epochMicros(), tag);
        }
    }

    @Override
    public long frameAt(long nanoTime) {
        return Math.round((nanoTime - originNanos) * (NOMINAL_RATE / 1e9));
    }

    @Override
    public long framePosition() {
        // Through frameAt's double arithmetic: (nanos * rate) in a long overflows after ~53 hours.
        return frameAt(clock.nanoTime());
    }

    @Override
    public int sampleRate() {
        return NOMINAL_RATE;
    }

    @Override
    public void setListener(ToneListener l) {
        listener.set(l);
    }

    @Override
    public long frameZeroEpochMicros() {
        return originMicros;
    }

    private void check(double hz) {
        if (!(hz >= 0) || hz > maxHz()) {
            throw new IllegalArgumentException("frequency must be 0 (silence) or up to " + maxHz() + " Hz, got " + hz);
        }
    }
}
