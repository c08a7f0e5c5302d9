package dev.concerto.player.synth;

import dev.concerto.protocol.Clock;

/** Sounds nothing; keeps the frame clock and reports changes. Thread-safe. */
public final class NullGenerator extends ClockFrameGenerator {

    private volatile double hz;

    public NullGenerator(Clock clock) {
        super(clock);
    }

    public NullGenerator() {
        this(Clock.SYSTEM);
    }

    /** Scheduled changes applied by {@code timer}, shared with other generators (its owner closes it). */
    public NullGenerator(Clock clock, FrameTimer timer) {
        super(clock, timer);
    }

    @Override
    protected void apply(double newHz) {
        hz = newHz;
    }

    /** The frequency last set, in hertz. */
    public double frequency() {
        return hz;
    }

    @Override
    public String description() {
        return "null (no sound)";
    }

    @Override
    public void close() {
        stopScheduler();
        hz = 0;
    }
}
