package dev.concerto.bench.run;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.concerto.protocol.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What a busy hypervisor does to a virtual machine, done on purpose and on a schedule: every process of
 * a run (the sound server, the players, the recorder, the director) stopped at once with SIGSTOP,
 * left stopped for a while, then continued with SIGCONT, again and again. The sound server's sink
 * stops with them, as it does when the host takes the machine's CPUs away; unlike the host, these
 * stalls come at known instants and lengths, so a run under them can be repeated.
 *
 * <p>The signals go straight to {@code kill(2)} through JNA (spawning {@code kill} took 10-30 ms a
 * call on the bench VM, and the stalls came out 75-120 ms instead of 60). Every process stopped is
 * continued before {@link #close()} returns, and by a shutdown hook if the JVM exits first (a bench
 * stopped with Ctrl-C mid-stall). Linux only (its signal numbers). One thread of its own
 * ("host-stalls"); the recorded stalls may be read from any thread.
 */
public final class HostStalls implements AutoCloseable {

    /**
     * When and how long.
     *
     * @param every     from one stall's start to the next's (the first one this long after start)
     * @param length    how long the processes stay stopped
     */
    public record Plan(Duration every, Duration length) {

        public Plan {
            if (every.compareTo(length) <= 0 || length.isNegative() || length.isZero()) {
                throw new IllegalArgumentException("a stall of " + length.toMillis() + " ms every " + every.toMillis()
                        + " ms: the length must be positive and shorter than the period");
            }
        }

        /** E.g. "60 ms every 1.3 s". */
        public String describe() {
            return length.toMillis() + " ms every " + every.toMillis() / 1000.0 + " s";
        }
    }

    /**
     * One stall as it happened.
     *
     * @param startMicros  just before the processes were stopped, epoch µs
     * @param endMicros    just after they were continued, epoch µs
     * @param processes    how many were stopped
     */
    public record Stall(long startMicros, long endMicros, int processes) {

        /** How long the processes were stopped, at most, ms. */
        public double lengthMs() {
            return (endMicros - startMicros) / 1000.0;
        }
    }

    /** Linux's signal numbers (x86 and ARM). */
    static final int SIGCONT = 18;
    static final int SIGSTOP = 19;

    private final Plan plan;
    private final List<Long> pids = new CopyOnWriteArrayList<>();
    private final List<Stall> stalls = new CopyOnWriteArrayList<>();
    private final Thread thread;
    /** Continues every process if the JVM exits before {@link #close()}. */
    private final Thread onExit;
    private volatile boolean closing;

    private HostStalls(Plan plan, List<Long> pids) {
        this.plan = plan;
        this.pids.addAll(pids);
        this.thread = new Thread(this::loop, "host-stalls");
        this.thread.setDaemon(true);
        this.onExit = new Thread(this::finish, "host-stalls-exit");
    }

    /**
     * Starts stalling.
     *
     * @param pids the processes to stop (one that has ended is left out; more may be {@linkplain #add added})
     */
    public static HostStalls start(Plan plan, List<Long> pids) {
        Kill.load(); // before the first stall: loading the native library takes a few hundred ms
        HostStalls s = new HostStalls(plan, pids);
        Runtime.getRuntime().addShutdownHook(s.onExit);
        s.thread.start();
        return s;
    }

    /** Stops {@code pid} too from the next stall on (a process that started later). Any thread. */
    public void add(long pid) {
        pids.add(pid);
    }

    /** The stalls so far, in order. Any thread. */
    public List<Stall> stalls() {
        return List.copyOf(stalls);
    }

    private void loop() {
        long next = System.nanoTime() + plan.every().toNanos();
        while (!closing) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            next += plan.every().toNanos();
            List<Long> targets = new ArrayList<>(pids);
            targets.removeIf(pid -> pid <= 0 || ProcessHandle.of(pid).isEmpty());
            if (targets.isEmpty()) {
                continue;
            }
            long start = Clock.SYSTEM.epochMicros();
            try {
                targets.forEach(HostStalls::pause);
                long until = System.nanoTime() + plan.length().toNanos();
                for (long left = until - System.nanoTime(); left > 0 && !closing; left = until - System.nanoTime()) {
                    LockSupport.parkNanos(left);
                }
            } finally {
                targets.forEach(HostStalls::resume);
            }
            stalls.add(new Stall(start, Clock.SYSTEM.epochMicros(), targets.size()));
        }
    }

    private void continueAll() {
        pids.forEach(HostStalls::resume);
    }

    private static void pause(long pid) {
        Kill.kill((int) pid, SIGSTOP);
    }

    private static void resume(long pid) {
        Kill.kill((int) pid, SIGCONT);
    }

    /** kill(2), direct-mapped (a failure, for a process that ended meanwhile, is of no interest). */
    private static final class Kill {

        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        private Kill() {
        }

        /** Does nothing; calling it loads the library (the class's initialisation). */
        static void load() {
        }

        static native int kill(int pid, int signal);
    }

    /** Stops stalling; every process stopped is running again when this returns. */
    @Override
    public void close() {
        finish();
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException exiting) {
            // the JVM is exiting: the hook does the same
        }
    }

    private void finish() {
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        continueAll(); // a stall the thread did not finish; SIGCONT to a running process does nothing
    }
}
