package dev.concerto.player.synth;

import dev.concerto.protocol.SkewedClock;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A generator seen through a skewed player clock (a testing aid, {@code --clock-skew-ppm} /
 * {@code --clock-step}): the player reads and stamps time on the {@link SkewedClock}, while the
 * audio frames run on the machine's clock, so {@link #frameAt} maps a skewed instant back to the
 * machine's before asking the generator. Everything else is the generator's own.
 */
public final class ClockMappedGenerator implements ToneGenerator {

    private final ToneGenerator inner;
    private final SkewedClock clock;

    public ClockMappedGenerator(ToneGenerator inner, SkewedClock clock) {
        this.inner = inner;
        this.clock = clock;
    }

    @Override
    public long frameAt(long nanoTime) {
        return inner.frameAt(clock.toBaseNanos(nanoTime));
    }

    @Override
    public void set(double hz) {
        inner.set(hz);
    }

    @Override
    public void schedule(double hz, long frame, Object tag) {
        inner.schedule(hz, frame, tag);
    }

    @Override
    public void cancel(Object tag) {
        inner.cancel(tag);
    }

    @Override
    public double maxHz() {
        return inner.maxHz();
    }

    @Override
    public long framePosition() {
        return inner.framePosition();
    }

    @Override
    public int sampleRate() {
        return inner.sampleRate();
    }

    @Override
    public String description() {
        return inner.description() + ", clock " + clock;
    }

    @Override
    public void setListener(ToneListener listener) {
        inner.setListener(listener);
    }

    @Override
    public Optional<Path> wavFile() {
        return inner.wavFile();
    }

    @Override
    public Optional<LineTiming> lineTiming() {
        return inner.lineTiming();
    }

    @Override
    public OptionalDouble outputLatencyMs() {
        return inner.outputLatencyMs();
    }

    @Override
    public long frameZeroEpochMicros() {
        return inner.frameZeroEpochMicros();
    }

    @Override
    public void close() {
        inner.close();
    }
}
