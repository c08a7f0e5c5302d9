package dev.concerto.player.synth;

import dev.concerto.protocol.Clock;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base of the generators without samples (null, PWM): frames are counted at a nominal rate on the
 * monotonic clock, {@link #set} (and a {@link #schedule} "as soon as possible") applies on the
 * caller's thread, and {@link #schedule}d changes at a frame are applied by a scheduler thread
 * ({@code frames-<description>}) that waits precisely (park, then spin) until the frame is due;
 * it starts with the first scheduled change and is stopped by {@link #stopScheduler()} (called
 * by subclasses' {@code close}).
 */
abstract class ClockFrameGenerator implements ToneGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(ClockFrameGenerator.class);
    private record Pending(long order, double hz, long frame, Object tag) {
    }

    /** The nominal frame rate of the time base. */
    static final int NOMINAL_RATE = 48_000;

    private final Clock clock;
    private final long originNanos;
    private final long originMicros;
    private final AtomicReference<ToneListener> listener = new AtomicReference<>();
    // Guarded by 'pending'.
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(
            (a, b) -> a.frame != b.frame ? Long.compare(a.frame, b.frame) : Long.compare(a.order, b.order));
    private long nextOrder;
    private Thread scheduler;
    private boolean schedulerStopped;

    ClockFrameGenerator(Clock clock) {
        this.clock = clock;
        this.originNanos = clock.nanoTime();
        this.originMicros = clock.epochMicros();
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
        Thread t;
        synchronized (pending) {
            if (schedulerStopped) {
                throw new IllegalStateException("generator closed");
            }
            pending.add(new Pending(++nextOrder, hz, frame, tag));
            if (scheduler == null) {
                scheduler = new Thread(this::runScheduler, "frames-" + getClass().getSimpleName());
                scheduler.setDaemon(true);
                scheduler.setPriority(Thread.MAX_PRIORITY);
                scheduler.start();
            }
            t = scheduler;
        }
        LockSupport.unpark(t); // a new earliest deadline, perhaps
    }

    @Override
    public void cancel(Object tag) {
        Thread t;
        synchronized (pending) {
            pending.removeIf(p -> p.tag == tag);
            t = scheduler;
        }
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public long frameAt(long nanoTime) {
        return Math.round((nanoTime - originNanos) * (NOMINAL_RATE / 1e9));
    }

    /** Stops the scheduler thread; pending changes are dropped. Idempotent. */
    protected final void stopScheduler() {
        Thread t;
        synchronized (pending) {
            schedulerStopped = true;
            pending.clear();
            t = scheduler;
        }
        if (t != null) {
            LockSupport.unpark(t);
            if (t != Thread.currentThread()) {
                try {
                    t.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void runScheduler() {
        while (true) {
            Pending head;
            synchronized (pending) {
                if (schedulerStopped) {
                    return;
                }
                head = pending.peek();
            }
            if (head == null) {
                LockSupport.parkNanos(100_000_000L);
                continue;
            }
            long left = originNanos + Math.round(head.frame * 1e9 / NOMINAL_RATE) - clock.nanoTime();
            if (left > 0) {
                PreciseWait.step(left, PreciseWait.SPIN_NANOS, null); // woken early by schedule/cancel: re-check
                continue;
            }
            synchronized (pending) {
                if (schedulerStopped || !pending.remove(head)) {
                    continue; // cancelled meanwhile
                }
            }
            try {
                long frame;
                synchronized (this) {
                    apply(head.hz);
                    frame = framePosition();
                }
                ToneListener l = listener.get();
                if (l != null) {
                    l.toneApplied(head.hz, frame, clock.epochMicros(), head.tag);
                }
            } catch (RuntimeException e) {
                LOG.warn("scheduled tone change failed: {}", e.toString());
            }
        }
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
