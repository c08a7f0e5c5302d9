package dev.concerto.player.synth;

import dev.concerto.protocol.Clock;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Base of the generators without samples (null, PWM): frames are counted at a nominal rate on the
 * monotonic clock, changes apply on the caller's thread, and {@link #setAtFrame} waits precisely
 * (park, then spin) on the caller's thread until the frame is due.
 */
abstract class ClockFrameGenerator implements ToneGenerator {

    /** The nominal frame rate of the time base. */
    static final int NOMINAL_RATE = 48_000;

    private final Clock clock;
    private final long originNanos;
    private final long originMicros;
    private final AtomicReference<ToneListener> listener = new AtomicReference<>();

    ClockFrameGenerator(Clock clock) {
        this.clock = clock;
        this.originNanos = clock.nanoTime();
        this.originMicros = clock.epochMicros();
    }

    /** Applies the change to the hardware (or nothing); called under this object's lock. */
    protected abstract void apply(double hz);

    /** The highest frequency accepted, in hertz. */
    protected double maxHz() {
        return 20_000;
    }

    @Override
    public void set(double hz) {
        check(hz);
        long frame;
        synchronized (this) {
            apply(hz);
            frame = framePosition();
        }
        ToneListener l = listener.get();
        if (l != null) {
            l.toneApplied(hz, frame, clock.epochMicros());
        }
    }

    @Override
    public void setAtFrame(double hz, long frame) {
        check(hz);
        long deadline = originNanos + Math.round(frame * 1e9 / NOMINAL_RATE);
        try {
            FramePacer.PreciseWait.until(clock, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        set(hz);
    }

    @Override
    public long framePosition() {
        return (clock.nanoTime() - originNanos) * NOMINAL_RATE / 1_000_000_000L;
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
