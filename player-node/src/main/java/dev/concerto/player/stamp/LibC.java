package dev.concerto.player.stamp;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few C library calls kernel stamping needs, direct-mapped through JNA (a call costs about what
 * the system call does, no reflection). Loading fails (class initialisation throws) where there is
 * no C library JNA can open: {@link StampedSocket#attach} catches that and keeps user-space stamps.
 * Every call sets {@link Native#getLastError()} (errno) for the calling thread.
 */
final class LibC {

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ECONNREFUSED = 111;

    private LibC() {
    }

    static native int getsockname(int fd, Pointer address, Pointer length);

    static native int getsockopt(int fd, int level, int name, Pointer value, Pointer length);

    static native int setsockopt(int fd, int level, int name, Pointer value, int length);

    static native long recvmsg(int fd, Pointer message, int flags);

    static native long sendmsg(int fd, Pointer message, int flags);
}
