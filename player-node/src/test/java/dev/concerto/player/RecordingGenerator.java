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

    /** Every {@link #schedule} call: handle, hz, frame; and the cancelled handles. */
    final java.util.List<double[]> scheduled = new java.util.concurrent.CopyOnWriteArrayList<>();
    final java.util.Set<Long> cancelled = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private long handles;

    @Override
    public synchronized long schedule(double hz, long at) {
        long h = ++handles;
        scheduled.add(new double[] {h, hz, at});
        return h;
    }

    /** When set, changes at frames up to this clock's present count as applied: cancelling them does nothing. */
    volatile dev.concerto.protocol.Clock clock;

    @Override
    public void cancel(long handle) {
        dev.concerto.protocol.Clock c = clock;
        for (double[] x : scheduled) {
            if ((long) x[0] == handle && (c == null || (long) x[2] > frameAt(c.nanoTime()))) {
                cancelled.add(handle);
            }
        }
    }

    /** 48 kHz from nanoTime 0. */
    @Override
    public long frameAt(long nanoTime) {
        return Math.round(nanoTime * 48e-6);
    }

    /** The scheduled changes still in force, ordered by frame then handle, as "hz@frame". */
    java.util.List<String> plan() {
        return scheduled.stream().filter(x -> !cancelled.contains((long) x[0]))
                .sorted(java.util.Comparator.<double[]>comparingDouble(x -> x[2]).thenComparingDouble(x -> x[0]))
                .map(x -> fmt(x[1]) + "@" + (long) x[2]).toList();
    }

    private static String fmt(double hz) {
        return hz == Math.rint(hz) ? Long.toString((long) hz) : Double.toString(hz);
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
