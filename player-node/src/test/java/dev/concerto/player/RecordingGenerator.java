package dev.concerto.player;

import dev.concerto.player.synth.ToneGenerator;
import dev.concerto.player.synth.ToneListener;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A fake generator for unit tests of the player's logic: records every change. */
final class RecordingGenerator implements ToneGenerator {

    final BlockingQueue<Double> changes = new LinkedBlockingQueue<>();
    private volatile ToneListener listener;
    private long frame;
    volatile boolean closed;

    @Override
    public synchronized void set(double hz) {
        changes.add(hz);
        ToneListener l = listener;
        if (l != null) {
            l.toneApplied(hz, frame++, 0);
        }
    }

    @Override
    public void setAtFrame(double hz, long at) {
        set(hz);
    }

    @Override
    public synchronized long framePosition() {
        return frame;
    }

    @Override
    public int sampleRate() {
        return 48_000;
    }

    @Override
    public String description() {
        return "recording";
    }

    @Override
    public void setListener(ToneListener l) {
        listener = l;
    }

    @Override
    public long frameZeroEpochMicros() {
        return 0;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The next change, waiting at most 10 s. */
    double next() throws InterruptedException {
        Double hz = changes.poll(10, TimeUnit.SECONDS);
        if (hz == null) {
            throw new AssertionError("no tone change within 10 s");
        }
        return hz;
    }
}
