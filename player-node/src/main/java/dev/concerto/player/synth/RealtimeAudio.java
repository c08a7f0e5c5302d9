package dev.concerto.player.synth;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.concerto.player.os.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

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
    /**
     * The name libpulse gives its client thread ({@code pa_threaded_mainloop}), which carries a line's
     * audio to the sound server: the ALSA {@code pulse} plug-in queues each write and this thread sends
     * it. At normal priority it waited for a core up to 67 ms in any 200 ms on the bench's 2-core
     * machine ({@code listen}, from {@code /proc/<pid>/task/<tid>/schedstat}): longer than the server
     * holds of the stream (20 ms). The same with PipeWire's PulseAudio service, whose clients use
     * libpulse too.
     */
    static final String SOUND_SERVER_CLIENT_THREAD = "threaded-ml";

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
            // pid 0: the calling thread (Linux schedules threads, not processes).
            if (LibC.sched_setscheduler(0, LibC.SCHED_RR, schedParam()) == 0) {
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

    /**
     * Moves this process's sound-server client threads ({@value #SOUND_SERVER_CLIENT_THREAD}) to
     * {@code SCHED_RR} {@value #PRIORITY}, as {@link #requestForCurrentThread()} does for the writer:
     * they are the second half of the audio path. Call after the line is open (the thread starts
     * with it). Linux only; where real-time is not permitted, or the line is not PulseAudio's, nothing
     * changes.
     *
     * @return how many such threads now run real-time (0: none found, or not permitted)
     */
    static int requestForSoundServerClientThreads() {
        if (!Platform.isLinux()) {
            return 0;
        }
        int moved = 0;
        try {
            Memory param = schedParam();
            for (int tid : threadsNamed(Path.of("/proc/self/task"), SOUND_SERVER_CLIENT_THREAD)) {
                if (LibC.sched_getscheduler(tid) == LibC.SCHED_RR
                        || LibC.sched_setscheduler(tid, LibC.SCHED_RR, param) == 0) {
                    moved++;
                }
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return 0;
        }
        return moved;
    }

    /** {@code struct sched_param { int sched_priority; }} at {@value #PRIORITY}. */
    private static Memory schedParam() {
        Memory param = new Memory(Integer.BYTES);
        param.setInt(0, PRIORITY);
        return param;
    }

    /**
     * The ids of the threads under {@code taskDir} (a {@code /proc/<pid>/task} directory) whose
     * {@code comm} is {@code name}; a thread that ends meanwhile is left out.
     */
    static List<Integer> threadsNamed(Path taskDir, String name) {
        List<Integer> ids = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(taskDir)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String id = task.getFileName().toString();
                if (!id.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    if (Files.readString(task.resolve("comm")).strip().equals(name)) {
                        ids.add(Integer.parseInt(id));
                    }
                } catch (IOException ended) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return ids;
    }

    /** The calling thread's scheduling policy ({@link LibC#SCHED_RR} = 2; 0 = normal), or -1 off Linux. */
    static int currentPolicy() {
        return Platform.isLinux() ? LibC.sched_getscheduler(0) : -1;
    }
}
