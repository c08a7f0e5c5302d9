package dev.concerto.player.synth;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.concerto.player.os.LibC;

/**
 * Asks the OS to run the calling thread, an audio line's writer, at real-time priority
 * ({@code SCHED_RR} {@value #PRIORITY}), as JACK, PipeWire and PulseAudio do for theirs. At normal
 * priority a busy machine (the JIT compiler, the collector, other players) keeps the writer waiting
 * until the line's few milliseconds of buffer run dry. The sound server then plays silence where the
 * music was, and a tone's start is heard late. The priority is below PulseAudio's own threads (5),
 * so the sound server still runs first.
 *
 * <p>Allowed to root (the {@code concerto-player} service runs as root), to a process with
 * {@code CAP_SYS_NICE}, or under an {@code RLIMIT_RTPRIO} of at least {@value #PRIORITY} (systemd
 * {@code LimitRTPRIO=}, {@code rtprio} in {@code /etc/security/limits.conf}). Otherwise the thread keeps
 * its normal priority and {@link Outcome#text()} says why. Asked for on Linux only.
 *
 * <p>Thread-safety: any thread may call {@link #requestForCurrentThread()}; it changes only the
 * calling thread.
 */
final class RealtimeAudio {

    /** The {@code SCHED_RR} priority asked for, 1..99 (PulseAudio's threads take 5). */
    static final int PRIORITY = 3;

    private RealtimeAudio() {
    }

    /**
     * What became of the request.
     *
     * @param realtime whether the thread now runs at {@code SCHED_RR} {@value #PRIORITY}
     * @param text     for the start-up line, e.g. "audio thread real-time (SCHED_RR 3)"
     */
    record Outcome(boolean realtime, String text) {
    }

    /** Moves the calling thread to {@code SCHED_RR} {@value #PRIORITY} where the OS allows it. */
    static Outcome requestForCurrentThread() {
        if (!Platform.isLinux()) {
            return new Outcome(false, "audio thread at normal priority (real-time is asked for on Linux only)");
        }
        try {
            Memory param = new Memory(Integer.BYTES); // struct sched_param { int sched_priority; }
            param.setInt(0, PRIORITY);
            // pid 0: the calling thread (Linux schedules threads, not processes).
            if (LibC.sched_setscheduler(0, LibC.SCHED_RR, param) == 0) {
                return new Outcome(true, "audio thread real-time (SCHED_RR " + PRIORITY + ")");
            }
            int errno = Native.getLastError();
            return new Outcome(false, errno == LibC.EPERM
                    ? "audio thread at normal priority (real-time not permitted: run as root, or allow rtprio "
                    + PRIORITY + ", e.g. systemd LimitRTPRIO=" + PRIORITY + ")"
                    : "audio thread at normal priority (sched_setscheduler failed: errno " + errno + ")");
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return new Outcome(false, "audio thread at normal priority (no C library to ask: " + e.getMessage() + ")");
        }
    }

    /** The calling thread's scheduling policy ({@link LibC#SCHED_RR} = 2; 0 = normal), or -1 off Linux. */
    static int currentPolicy() {
        return Platform.isLinux() ? LibC.sched_getscheduler(0) : -1;
    }
}
