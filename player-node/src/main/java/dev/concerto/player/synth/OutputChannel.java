package dev.concerto.player.synth;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One channel of a {@link SynthOutput} as a {@link ToneGenerator}: its changes go to the output's
 * queue, its timing is the output's. Closing it only silences the channel. Thread-safe (as the
 * output).
 */
final class OutputChannel implements ToneGenerator {

    private final SynthOutput output;
    private final int index;

    OutputChannel(SynthOutput output, int index) {
        this.output = output;
        this.index = index;
    }

    @Override
    public void set(double hz) {
        output.enqueue(index, hz, -1, null);
    }

    @Override
    public void schedule(double hz, long frame, Object tag) {
        output.enqueue(index, hz, Math.max(-1, frame), Objects.requireNonNull(tag, "tag"));
    }

    @Override
    public void cancel(Object tag) {
        if (tag != null) {
            output.cancel(index, tag);
        }
    }

    @Override
    public double maxHz() {
        return SynthVoice.maxHz(output.settings().sampleRate());
    }

    @Override
    public long frameAt(long nanoTime) {
        return output.frameAt(nanoTime);
    }

    @Override
    public long framePosition() {
        return output.framePosition();
    }

    @Override
    public int sampleRate() {
        return output.settings().sampleRate();
    }

    @Override
    public String description() {
        return output.channels() == 1 ? output.description()
                : "channel " + (index + 1) + " of " + output.description();
    }

    @Override
    public void setListener(ToneListener listener) {
        output.setListener(index, listener);
    }

    @Override
    public Optional<Path> wavFile() {
        return output.wavFile();
    }

    @Override
    public long frameZeroEpochMicros() {
        return output.frameZeroEpochMicros();
    }

    @Override
    public void close() {
        if (!output.closing()) {
            set(0);
        }
    }

    @Override
    public String toString() {
        return description();
    }
}
