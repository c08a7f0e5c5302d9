package dev.concerto.player.os;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few C library calls the player makes, direct-mapped through JNA (a call costs about what the
 * system call does, no reflection): the socket calls of kernel stamping ({@code StampedSocket}) and
 * the audio thread's scheduling ({@code RealtimeAudio}). Loading fails (class initialisation throws
 * {@link UnsatisfiedLinkError}, then {@link NoClassDefFoundError}) where there is no C library JNA can
 * open; each caller catches that and goes on without. Every call sets {@link Native#getLastError()}
 * (errno) for the calling thread. Thread-safe: each call acts for its caller.
 */
public final class LibC {

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    public static final int EPERM = 1;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int ECONNREFUSED = 111;
    /** The round-robin real-time policy of {@link #sched_setscheduler}; 0 is the normal one. */
    public static final int SCHED_RR = 2;

    private LibC() {
    }

    public static native int getsockname(int fd, Pointer address, Pointer length);

    public static native int getsockopt(int fd, int level, int name, Pointer value, Pointer length);

    public static native int setsockopt(int fd, int level, int name, Pointer value, int length);

    public static native long recvmsg(int fd, Pointer message, int flags);

    public static native long sendmsg(int fd, Pointer message, int flags);

    /** pid 0: the calling thread (Linux schedules threads); {@code param} is {@code struct sched_param}, one int. */
    public static native int sched_setscheduler(int pid, int policy, Pointer param);

    public static native int sched_getscheduler(int pid);
}
