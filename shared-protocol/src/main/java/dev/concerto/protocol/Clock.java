package dev.concerto.protocol;

/**
 * The two clocks Concerto reads: a monotonic one for deadlines, intervals and the timed protocol's
 * clock sync (whose times are monotonic microseconds, never epoch time), and the wall clock for
 * timestamps people read (event files) and for seeding the director's sequence numbers. Injected wherever time
 * matters (scheduler, leases, watchdogs, sync estimator) so tests can run on a fake clock without
 * sleeping. Implementations must be thread-safe.
 */
public interface Clock {

    /** Monotonic nanoseconds from an arbitrary origin; only differences mean anything. */
    long nanoTime();

    /** Wall-clock microseconds since the Unix epoch. */
    long epochMicros();

    /**
     * CPU time the calling thread has used, ns from an arbitrary origin (a budget of work, which a
     * preemption does not spend). Default: {@link #nanoTime()} (a fake clock's time is all work).
     */
    default long threadCpuNanos() {
        return nanoTime();
    }

    /**
     * Whether {@link #nanoTime()} advances with real time (the machine's clock, or one skewed or
     * stepped from it): then a duration measured on the machine's wall clock, such as the age of a
     * kernel time stamp, may be subtracted from a reading. Default: no (a test's clock that stands
     * still or jumps when told).
     */
    default boolean followsRealTime() {
        return false;
    }

    /** The machine's clocks: {@link System#nanoTime()} and {@link java.time.Instant#now()}. */
    Clock SYSTEM = new Clock() {
        @Override
        public boolean followsRealTime() {
            return true;
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long epochMicros() {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        }

        /**
         * Looked up at first use and kept (the scheduler reads its CPU time around every burst of
         * sends); not at start-up, which a one-shot command would pay for nothing. A race only looks
         * the same singleton up twice.
         */
        private volatile java.lang.management.ThreadMXBean threads;

        @Override
        public long threadCpuNanos() {
            java.lang.management.ThreadMXBean t = threads;
            if (t == null) {
                t = java.lang.management.ManagementFactory.getThreadMXBean();
                threads = t;
            }
            return t.isCurrentThreadCpuTimeSupported() ? t.getCurrentThreadCpuTime() : System.nanoTime();
        }

        @Override
        public String toString() {
            return "Clock.SYSTEM";
        }
    };
}
