package dev.concerto.player.synth;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;

/** A generator that owns a one-channel {@link SynthOutput}: closing it closes the output. */
abstract class SingleOutputGenerator implements ToneGenerator {

    private final SynthOutput output;
    private final ToneGenerator channel;

    SingleOutputGenerator(SynthOutput output) {
        this.output = output;
        this.channel = output.channel(0);
    }

    /** The output behind this generator. */
    public SynthOutput output() {
        return output;
    }

    @Override
    public void set(double hz) {
        channel.set(hz);
    }

    @Override
    public void schedule(double hz, long frame, Object tag) {
        channel.schedule(hz, frame, tag);
    }

    @Override
    public void cancel(Object tag) {
        channel.cancel(tag);
    }

    @Override
    public double maxHz() {
        return channel.maxHz();
    }

    @Override
    public long frameAt(long nanoTime) {
        return channel.frameAt(nanoTime);
    }

    @Override
    public long framePosition() {
        return channel.framePosition();
    }

    @Override
    public int sampleRate() {
        return channel.sampleRate();
    }

    @Override
    public String description() {
        return channel.description();
    }

    @Override
    public void setListener(ToneListener listener) {
        channel.setListener(listener);
    }

    @Override
    public Optional<Path> wavFile() {
        return channel.wavFile();
    }

    @Override
    public long frameZeroEpochMicros() {
        return channel.frameZeroEpochMicros();
    }

    @Override
    public Optional<LineTiming> lineTiming() {
        return Optional.ofNullable(output.lineTiming());
    }

    @Override
    public OptionalDouble outputLatencyMs() {
        double ms = output.outputLatencyMs();
        return Double.isNaN(ms) ? OptionalDouble.empty() : OptionalDouble.of(ms);
    }

    @Override
    public void close() {
        output.close();
    }

    @Override
    public String toString() {
        return description();
    }
}
