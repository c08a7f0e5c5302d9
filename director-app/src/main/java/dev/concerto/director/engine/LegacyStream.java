package dev.concerto.director.engine;

import dev.concerto.protocol.LegacyCodec;

/**
 * The plain-integer protocol to one player, as a pure state machine: each change is sent when it
 * is due. Changes handed over ahead of time (because other players of the roster want them one
 * lead early) wait in a queue; {@link #nextDueNanos()} tells the scheduler when to call
 * {@link #poll(long)}. This is the one place where a frequency is rounded to whole hertz
 * ({@link #wireHz(double)}): every other path carries it exactly.
 *
 * <p>No allocation per change once the queue has grown to the largest backlog. Not thread-safe:
 * the scheduler thread owns it.
 */
public final class LegacyStream {

    private final DatagramSink sink;
    private final byte[] bytes = new byte[LegacyCodec.MAX_DATAGRAM_BYTES];
    private double[] queuedHz = new double[16];
    private long[] queuedDue = new long[16];
    private int head;
    private int size;
    private volatile long sent;

    public LegacyStream(DatagramSink sink) {
        this.sink = java.util.Objects.requireNonNull(sink, "sink");
    }

    /** The frequency the plain integer carries: whole hertz, rounded to nearest. */
    public static int wireHz(double hz) {
        return (int) Math.round(hz);
    }

    /**
     * A change due at {@code dueNanos}: sent now when it is due, queued otherwise. Changes must be
     * handed over in due order.
     */
    public void change(double hz, long dueNanos, long nowNanos) {
        if (size == 0 && dueNanos <= nowNanos) {
            write(hz);
            return;
        }
        if (size == queuedHz.length) {
            grow();
        }
        int tail = (head + size) % queuedHz.length;
        queuedHz[tail] = hz;
        queuedDue[tail] = dueNanos;
        size++;
    }

    /** When the next queued change is due, or {@link Long#MAX_VALUE} when none is. */
    public long nextDueNanos() {
        return size == 0 ? Long.MAX_VALUE : queuedDue[head];
    }

    /** Sends every queued change that is due at {@code nowNanos}; returns how many. */
    public int poll(long nowNanos) {
        int n = 0;
        while (size > 0 && queuedDue[head] <= nowNanos) {
            double hz = queuedHz[head];
            head = (head + 1) % queuedHz.length;
            size--;
            write(hz);
            n++;
        }
        return n;
    }

    /** Forgets the queued changes and sends 0 now. */
    public boolean silenceNow() {
        head = 0;
        size = 0;
        return write(0);
    }

    /** Datagrams written (silences included). */
    public long sentCount() {
        return sent;
    }

    private boolean write(double hz) {
        sent++;
        return sink.send(bytes, LegacyCodec.encode(wireHz(hz), bytes, 0));
    }

    private void grow() {
        double[] hz = new double[queuedHz.length * 2];
        long[] due = new long[hz.length];
        for (int i = 0; i < size; i++) {
            hz[i] = queuedHz[(head + i) % queuedHz.length];
            due[i] = queuedDue[(head + i) % queuedHz.length];
        }
        queuedHz = hz;
        queuedDue = due;
        head = 0;
    }
}
