package dev.concerto.netem;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.lang.reflect.Field;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the datagram a {@link PathProxy} just read arrived in the kernel, on {@link System#nanoTime()}'s
 * clock: the socket's receive stamp ({@code ioctl(SIOCGSTAMPNS)}, Linux), so an emulated delay
 * counts from the arrival and not from the receiver thread's wake-up. Read from user space, the
 * wake-up was part of the delay, and it was not the same both ways: on the bench's 2 cores, a
 * director's chord woke four receivers at once and the datagrams towards the players were read
 * 20–110 µs (p50, per proxy) after they came, the replies 30–40 µs; the two-way clock exchanges
 * took half that difference for a clock offset (measured on the {@code lan} profile, 2026-12-02).
 *
 * <p>Needs the channel's file descriptor, which Java keeps private: run with
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (the bench's jar says so in its manifest).
 * Without it, or off Linux, {@link #arrivalNanos} returns the user-space time it is given, and
 * {@link #kernel()} says so. Stateless apart from the one-time set-up; thread-safe.
 */
final class KernelArrival {

    private static final Logger LOG = LoggerFactory.getLogger(KernelArrival.class);
    /** {@code SIOCGSTAMPNS} (asm-generic/sockios.h; the 64-bit time layout on a 64-bit kernel). */
    private static final long SIOCGSTAMPNS = 0x8907;
    private static final int CLOCK_REALTIME = 0;

    /**
     * The two C library calls, direct-mapped as the player's {@code LibC} is (netem does not depend on
     * the player module). Registered in {@link KernelArrival}'s set-up, where a failure is caught.
     */
    private static final class LibC {
        static native int ioctl(int fd, long request, long[] timespec);

        static native int clock_gettime(int clock, long[] timespec);

        private LibC() {
        }
    }

    private static final Field FD_VAL;
    /** Why kernel stamps are not used, or null when they are. */
    private static final String UNAVAILABLE;

    static {
        Field fd = null;
        String why = null;
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            why = "not 64-bit Linux";
        } else {
            try {
                fd = Class.forName("sun.nio.ch.DatagramChannelImpl").getDeclaredField("fdVal");
                fd.setAccessible(true);
                Native.register(LibC.class, Platform.C_LIBRARY_NAME);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                why = "the channel's descriptor is not reachable (" + e.getClass().getSimpleName()
                        + "; run with --add-opens java.base/sun.nio.ch=ALL-UNNAMED)";
                fd = null;
            }
        }
        FD_VAL = fd;
        UNAVAILABLE = why;
    }

    private KernelArrival() {
    }

    /** Whether arrivals come from the kernel's receive stamps. */
    static boolean kernel() {
        return UNAVAILABLE == null;
    }

    /** What arrivals are taken from, for a run's log. */
    static String describe() {
        return kernel() ? "the kernel's receive stamps (SIOCGSTAMPNS)" : "user space, after the receiver woke (" + UNAVAILABLE + ")";
    }

    /**
     * Has the kernel stamp what {@code channel} receives from now on: the first {@code SIOCGSTAMPNS}
     * on a socket turns its stamps on (and finds none yet). Call once, before the datagrams to stamp.
     */
    static void enable(DatagramChannel channel) {
        if (UNAVAILABLE == null) {
            arrivalNanos(channel, System.nanoTime());
        }
    }

    /**
     * When the datagram last read from {@code channel} arrived, {@link System#nanoTime()} ns; or
     * {@code userNanos} (the time the caller read it) when the kernel's stamp cannot be had or is
     * not before it.
     */
    static long arrivalNanos(DatagramChannel channel, long userNanos) {
        if (UNAVAILABLE != null) {
            return userNanos;
        }
        try {
            long[] stamp = new long[2];
            if (LibC.ioctl(FD_VAL.getInt(channel), SIOCGSTAMPNS, stamp) != 0) {
                return userNanos;
            }
            // The stamp is on the real-time clock: carry it over by how far behind that clock's now it is.
            long[] real = new long[2];
            long before = System.nanoTime();
            LibC.clock_gettime(CLOCK_REALTIME, real);
            long after = System.nanoTime();
            long age = (real[0] - stamp[0]) * 1_000_000_000L + (real[1] - stamp[1]);
            long arrival = before + (after - before) / 2 - age;
            // A stamp from the future, or older than a second (a stepped real-time clock): not this datagram's.
            return age < 0 || arrival > userNanos || userNanos - arrival > 1_000_000_000L ? userNanos : arrival;
        } catch (IllegalAccessException | RuntimeException e) {
            LOG.debug("no kernel receive stamp: {}", e.toString());
            return userNanos;
        }
    }
}
