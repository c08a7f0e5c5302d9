package dev.concerto.player.stamp;

import java.nio.ByteBuffer;

/**
 * Reads the kernel's time stamps out of the control data ({@code msg_control}) that {@code recvmsg}
 * returns on Linux, 64-bit (x86_64, aarch64): a pure function of bytes, no socket.
 *
 * <p>Layout, as the kernel writes it on these platforms ({@code <sys/socket.h>},
 * {@code <linux/errqueue.h>}): each control message is a {@code cmsghdr} ({@code size_t cmsg_len},
 * {@code int cmsg_level}, {@code int cmsg_type}: 16 bytes) followed by its data, the next one at
 * {@code cmsg_len} rounded up to 8 bytes. A {@code struct timespec} is two {@code long}s (seconds,
 * nanoseconds). Byte order: the buffer's (native order).
 *
 * <p>Times returned are {@code CLOCK_REALTIME} nanoseconds since the epoch (what the kernel stamps
 * with), or {@link #NONE}. Thread-safe (stateless).
 */
public final class ControlMessages {

    /** No stamp found. */
    public static final long NONE = Long.MIN_VALUE;

    /** {@code SOL_SOCKET} on x86_64 and aarch64. */
    static final int SOL_SOCKET = 1;
    /** {@code SOL_IP}. */
    static final int SOL_IP = 0;
    /** {@code SOL_IPV6}. */
    static final int SOL_IPV6 = 41;
    /** {@code SO_TIMESTAMPNS} (= {@code SCM_TIMESTAMPNS}): one timespec. */
    static final int SCM_TIMESTAMPNS = 35;
    /** {@code SO_TIMESTAMPING} (= {@code SCM_TIMESTAMPING}): three timespecs, the first the software stamp. */
    static final int SCM_TIMESTAMPING = 37;
    /** {@code IP_RECVERR}: a {@code struct sock_extended_err} (on the error queue of an IPv4 socket). */
    static final int IP_RECVERR = 11;
    /** {@code IPV6_RECVERR}: the same, on an IPv6 socket. */
    static final int IPV6_RECVERR = 25;
    /** {@code SO_EE_ORIGIN_TIMESTAMPING}: the extended error is a time stamp report. */
    static final int SO_EE_ORIGIN_TIMESTAMPING = 4;
    /** {@code SCM_TSTAMP_SND}: the stamp was taken as the datagram left for the device. */
    static final int SCM_TSTAMP_SND = 0;

    private static final int HEADER_BYTES = 16;

    /** A send stamp read from the error queue: {@code CLOCK_REALTIME} ns, and the kernel's counter of the datagram ({@code SOF_TIMESTAMPING_OPT_ID}). */
    public record SendStamp(long realNanos, long id) {
    }

    private ControlMessages() {
    }

    /**
     * The receive stamp of a datagram: the software stamp of {@code SCM_TIMESTAMPING} (or
     * {@code SCM_TIMESTAMPNS}), from {@code control[0 .. length)}.
     *
     * @return {@code CLOCK_REALTIME} ns, or {@link #NONE} when there is none (or it is zero)
     */
    public static long receiveStamp(ByteBuffer control, int length) {
        long found = NONE;
        int at = 0;
        int end = Math.min(length, control.capacity());
        while (at + HEADER_BYTES <= end) {
            long cmsgLength = control.getLong(at);
            if (cmsgLength < HEADER_BYTES || at + cmsgLength > end) {
                break; // malformed or cut off (MSG_CTRUNC): stop, keep what was found
            }
            int level = control.getInt(at + 8);
            int type = control.getInt(at + 12);
            if (level == SOL_SOCKET && (type == SCM_TIMESTAMPING || type == SCM_TIMESTAMPNS)
                    && cmsgLength >= HEADER_BYTES + 16) {
                long stamp = timespec(control, at + HEADER_BYTES);
                if (stamp != NONE) {
                    found = stamp;
                }
            }
            at += (int) align(cmsgLength);
        }
        return found;
    }

    /**
     * The send stamp reported on the error queue ({@code recvmsg} with {@code MSG_ERRQUEUE}): the
     * software stamp of {@code SCM_TIMESTAMPING} together with the {@code IP_RECVERR} /
     * {@code IPV6_RECVERR} report that says it is a send stamp and which datagram it is.
     *
     * @return the stamp, or null when the control data holds no send stamp (another error, a
     *         hardware-only stamp, a report of another kind)
     */
    public static SendStamp sendStamp(ByteBuffer control, int length) {
        long stamp = NONE;
        long id = -1;
        boolean sent = false;
        int at = 0;
        int end = Math.min(length, control.capacity());
        while (at + HEADER_BYTES <= end) {
            long cmsgLength = control.getLong(at);
            if (cmsgLength < HEADER_BYTES || at + cmsgLength > end) {
                break;
            }
            int level = control.getInt(at + 8);
            int type = control.getInt(at + 12);
            int data = at + HEADER_BYTES;
            if (level == SOL_SOCKET && type == SCM_TIMESTAMPING && cmsgLength >= HEADER_BYTES + 16) {
                stamp = timespec(control, data);
            } else if ((level == SOL_IP && type == IP_RECVERR || level == SOL_IPV6 && type == IPV6_RECVERR)
                    && cmsgLength >= HEADER_BYTES + 16) {
                // struct sock_extended_err: u32 ee_errno, u8 ee_origin, u8 ee_type, u8 ee_code, u8 ee_pad,
                // u32 ee_info, u32 ee_data
                int origin = control.get(data + 4) & 0xff;
                int info = control.getInt(data + 8);
                sent = origin == SO_EE_ORIGIN_TIMESTAMPING && info == SCM_TSTAMP_SND;
                id = control.getInt(data + 12) & 0xffff_ffffL;
            }
            at += (int) align(cmsgLength);
        }
        return sent && stamp != NONE ? new SendStamp(stamp, id) : null;
    }

    /** A timespec at {@code at} as ns, or {@link #NONE} when zero (the kernel's "not stamped") or out of range. */
    private static long timespec(ByteBuffer b, int at) {
        long seconds = b.getLong(at);
        long nanos = b.getLong(at + 8);
        if (seconds <= 0 && nanos <= 0 || nanos < 0 || nanos >= 1_000_000_000L || seconds > Long.MAX_VALUE / 1_000_000_000L - 1) {
            return NONE;
        }
        return seconds * 1_000_000_000L + nanos;
    }

    private static long align(long length) {
        return (length + 7) & ~7L;
    }
}
