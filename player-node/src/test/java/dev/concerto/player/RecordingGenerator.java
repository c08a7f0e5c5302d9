package dev.concerto.player;

import dev.concerto.player.synth.ToneGenerator;
import dev.concerto.player.synth.ToneListener;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fake generator for tests of the player shell: applies immediate changes at once (recorded in
 * {@link #changes}), records scheduled ones and withdrawals, and never renders anything.
 */
final class RecordingGenerator implements ToneGenerator {

    /** A {@link #schedule} call at a frame. */
    record Scheduled(Object tag, double hz, long frame) {
    }

    /** Every immediate change (set, or a schedule "as soon as possible"), in order. */
    final BlockingQueue<Double> changes = new LinkedBlockingQueue<>();
    /** Every change scheduled at a frame. */
    final List<Scheduled> scheduled = new CopyOnWriteArrayList<>();
    /** The tags withdrawn before their frame. */
    final Set<Object> cancelled = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private volatile ToneListener listener;
    private long frame;
    volatile boolean closed;
    /** When set, changes at frames up to this clock's present count as applied: cancelling them does nothing. */
    volatile dev.concerto.protocol.Clock clock;

    @Override
    public void set(double hz) {
        apply(hz, null);
    }

    private synchronized void apply(double hz, Object tag) {
        changes.add(hz);
        ToneListener l = listener;
        if (l != null) {
            l.toneApplied(hz, frame++, 0, tag);
        }
    }

    @Override
    public void schedule(double hz, long at, Object tag) {
        if (at < 0) {
            apply(hz, tag);
        } else {
            scheduled.add(new Scheduled(tag, hz, at));
        }
    }

    @Override
    public void cancel(Object tag) {
        dev.concerto.protocol.Clock c = clock;
        for (Scheduled x : scheduled) {
            if (x.tag == tag && (c == null || x.frame > frameAt(c.nanoTime()))) {
                cancelled.add(tag);
            }
        }
    }

    @Override
    public double maxHz() {
        return 23_999;
    }

    /** 48 kHz from nanoTime 0. */
    @Override
    public long frameAt(long nanoTime) {
        return Math.round(nanoTime * 48e-6);
    }

    /** The scheduled changes still in force, ordered by frame then call order, as "hz@frame". */
    List<String> plan() {
        List<Scheduled> all = List.copyOf(scheduled);
        return all.stream().filter(x -> !cancelled.contains(x.tag))
                .sorted(Comparator.comparingLong(Scheduled::frame).thenComparingInt(all::indexOf))
                .map(x -> fmt(x.hz) + "@" + x.frame).toList();
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

    /** The next immediate change, waiting at most 10 s. */
    double next() throws InterruptedException {
        Double hz = changes.poll(10, TimeUnit.SECONDS);
        if (hz == null) {
            throw new AssertionError("no tone change within 10 s");
        }
        return hz;
    }
}
