package dev.concerto.player.stamp;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import dev.concerto.player.os.LibC;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.ClockPair;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kernel time stamps on a {@link DatagramChannel}'s socket (Linux, 64-bit): the shell that reads
 * datagrams with {@code recvmsg} so each comes with the kernel's receive stamp
 * ({@code SO_TIMESTAMPING}, {@code SOF_TIMESTAMPING_RX_SOFTWARE}), and reads send stamps back from
 * the socket's error queue ({@code MSG_ERRQUEUE}, {@code SOF_TIMESTAMPING_TX_SOFTWARE |
 * OPT_TSONLY | OPT_ID}). A user-space stamp taken after a receive includes the thread's wake-up
 * (tens of µs, sometimes ms), one taken before a send the time to the wire; clock-sync exchanges
 * stamped that way are biased by tens of µs (bench/docs/report-rxstamp-probe.md), the kernel's
 * stamps are not. Stamps are converted to the caller's {@link Clock} by their age ({@link KernelTime}).
 *
 * <p>The channel stays what it is (non-blocking, registered with a selector, closed by its owner);
 * this class only reads and writes through its descriptor, found by its local address among the
 * process's sockets ({@code /proc/self/fd}; the JDK gives no public way to it). {@link #attach} says why when it cannot: not Linux
 * 64-bit, JNA missing, the option refused, or turned off ({@link KernelStamps#disabled()}); the
 * caller then keeps the channel's own calls and user-space stamps.
 *
 * <p>Threads: the receive side ({@link #receive}, {@link #drainSendStamps}) has one owner, the
 * channel's reader; {@link #sendMarked} has one owner, its writer (each side has its own buffers).
 * The channel's owner calls {@link #release()} before it closes the channel: a descriptor number is
 * reused once closed, and a call on it then would read or write some other file. After release every
 * call fails with {@link ClosedChannelException}, as the channel's own would.
 */
public final class StampedSocket {

    /** {@link #receive}: nothing was waiting. */
    public static final int NOTHING = -1;

    /** What the socket sends stamped. */
    public enum Sends {
        /** Every datagram sent (a player: it sends only sync replies). */
        ALL,
        /** Only those sent through {@link #sendMarked} (a director: its sync requests, not its tones). */
        MARKED
    }

    /** Where {@link #drainSendStamps} puts each send stamp. */
    @FunctionalInterface
    public interface SendStamps {
        /** @param id the kernel's count of the datagram (0 = the first stamped one); @param clockNanos when it left, on the clock given */
        void sent(long id, long clockNanos);
    }

    /** An attempt: the socket, or why there is none. */
    public record Attempt(StampedSocket socket, String whyNot) {
    }

    static final int SO_TIMESTAMPING = 37;
    static final int SO_TYPE = 3;
    static final int SOCK_DGRAM = 2;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_ERRQUEUE = 0x2000;
    static final int TX_SOFTWARE = 1 << 1;
    static final int RX_SOFTWARE = 1 << 3;
    static final int SOFTWARE = 1 << 4;
    static final int OPT_ID = 1 << 7;
    static final int OPT_TSONLY = 1 << 11;
    /** Send stamps read per {@link #drainSendStamps} call, at most. */
    static final int MAX_DRAIN = 64;
    private static final int CONTROL_BYTES = 256;
    private static final int MSGHDR_BYTES = 56;
    private static final int IOVEC_BYTES = 16;

    private final int fd;
    private final int capacity;
    /** Calls on the descriptor under way (at most one reader and one writer). */
    private final AtomicInteger inCall = new AtomicInteger();
    private volatile boolean released;
    // Receive side (the reader's): one datagram, its source, its control data.
    private final Memory rxData;
    private final Memory rxName = new Memory(SocketAddresses.MAX_BYTES);
    private final Memory rxControl = new Memory(CONTROL_BYTES);
    private final Memory rxIov = new Memory(IOVEC_BYTES);
    private final Memory rxMsg = new Memory(MSGHDR_BYTES);
    private final ByteBuffer rxNameView;
    private final ByteBuffer rxControlView;
    private final Memory errMsg = new Memory(MSGHDR_BYTES);
    private final Memory errIov = new Memory(IOVEC_BYTES);
    private final Memory errData = new Memory(64);
    private final byte[] lastName = new byte[SocketAddresses.MAX_BYTES];
    private int lastNameLength = -1;
    private InetSocketAddress lastSource;
    private long arrivalNanos;
    // The reader's: the clock last read with and its pairing with the real wall clock (made once, not per datagram).
    private Clock pairedClock;
    private Clock withRealWall;
    private boolean kernelArrival;
    // Send side (the writer's): one datagram and the control message asking for its send stamp.
    private final Memory txData;
    private final Memory txControl = new Memory(24);
    private final Memory txIov = new Memory(IOVEC_BYTES);
    private final Memory txMsg = new Memory(MSGHDR_BYTES);

    private StampedSocket(int fd, int capacity) {
        this.fd = fd;
        this.capacity = capacity;
        this.rxData = new Memory(capacity);
        this.txData = new Memory(capacity);
        this.rxNameView = rxName.getByteBuffer(0, SocketAddresses.MAX_BYTES).order(ByteOrder.nativeOrder());
        this.rxControlView = rxControl.getByteBuffer(0, CONTROL_BYTES).order(ByteOrder.nativeOrder());
        message(rxMsg, rxIov, rxData, capacity, rxName, rxControl);
        message(errMsg, errIov, errData, 64, null, rxControl);
        txControl.clear();
        txControl.setLong(0, 20); // CMSG_LEN(sizeof(int))
        txControl.setInt(8, ControlMessages.SOL_SOCKET);
        txControl.setInt(12, SO_TIMESTAMPING);
        txControl.setInt(16, TX_SOFTWARE);
        message(txMsg, txIov, txData, capacity, null, txControl);
        txMsg.setLong(40, 24); // CMSG_SPACE(sizeof(int))
    }

    /**
     * Turns kernel stamps on for {@code channel}'s socket (bound, or connected).
     *
     * @param capacity the largest datagram read or sent, bytes
     * @param clock    the clock the stamps will be read on: one that {@linkplain Clock#followsRealTime()
     *                 follows real time} (a test's stepped clock keeps user-space stamps)
     * @return the socket, or why not (then nothing was changed)
     */
    public static Attempt attach(DatagramChannel channel, int capacity, Sends sends, Clock clock) {
        String off = KernelStamps.disabled();
        if (off != null) {
            return new Attempt(null, off);
        }
        if (!clock.followsRealTime()) {
            return new Attempt(null, "the clock (" + clock + ") does not follow real time, so a stamp's age cannot be taken off it");
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            return new Attempt(null, "kernel stamps are used on Linux x86_64/aarch64 only, this is " + os + " " + arch);
        }
        try {
            Class.forName(LibC.class.getName(), true, StampedSocket.class.getClassLoader());
        } catch (Throwable e) { // NOSONAR: UnsatisfiedLinkError, NoClassDefFoundError (no JNA), any JNA failure
            return new Attempt(null, "JNA cannot call the C library: " + e);
        }
        try {
            int fd = descriptorOf(channel);
            if (fd < 0) {
                return new Attempt(null, "the channel's socket was not found among this process's descriptors");
            }
            int flags = RX_SOFTWARE | SOFTWARE | OPT_TSONLY | OPT_ID | (sends == Sends.ALL ? TX_SOFTWARE : 0);
            Memory value = new Memory(4);
            value.setInt(0, flags);
            if (LibC.setsockopt(fd, ControlMessages.SOL_SOCKET, SO_TIMESTAMPING, value, 4) != 0) {
                return new Attempt(null, "setsockopt(SO_TIMESTAMPING) failed: errno " + Native.getLastError());
            }
            return new Attempt(new StampedSocket(fd, capacity), null);
        } catch (IOException | RuntimeException | LinkageError e) {
            return new Attempt(null, "cannot reach the channel's socket: " + e);
        }
    }

    /** Fills a {@code struct msghdr} (64-bit layout) for one buffer, an optional address and control data. */
    private static void message(Memory msg, Memory iov, Memory data, long dataBytes, Memory name, Memory control) {
        iov.setPointer(0, data);
        iov.setLong(8, dataBytes);
        msg.clear();
        if (name != null) {
            msg.setPointer(0, name);
            msg.setInt(8, (int) name.size());
        }
        msg.setPointer(16, iov);
        msg.setLong(24, 1);
        msg.setPointer(32, control);
        msg.setLong(40, control.size());
    }

    /**
     * The descriptor of {@code channel}'s socket: the datagram socket of this process bound to the
     * channel's local address, newest descriptor first (the channel was just opened). Ports are not
     * shared (no address reuse on the players' and the director's sockets), so the first match is it.
     *
     * @return the descriptor, or -1 when none matches
     */
    static int descriptorOf(DatagramChannel channel) throws IOException {
        InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
        if (local == null) {
            return -1;
        }
        java.util.List<Integer> candidates = new java.util.ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : fds) {
                try {
                    candidates.add(Integer.parseInt(p.getFileName().toString()));
                } catch (NumberFormatException e) {
                    // not a descriptor
                }
            }
        }
        candidates.sort(java.util.Comparator.reverseOrder());
        Memory name = new Memory(SocketAddresses.MAX_BYTES);
        Memory length = new Memory(4);
        Memory type = new Memory(4);
        for (int fd : candidates) {
            length.setInt(0, 4);
            if (LibC.getsockopt(fd, ControlMessages.SOL_SOCKET, SO_TYPE, type, length) != 0
                    || type.getInt(0) != SOCK_DGRAM) {
                continue; // not a socket (ENOTSOCK), closed meanwhile, or not a datagram socket
            }
            length.setInt(0, SocketAddresses.MAX_BYTES);
            if (LibC.getsockname(fd, name, length) != 0) {
                continue;
            }
            InetSocketAddress bound = SocketAddresses.read(
                    name.getByteBuffer(0, SocketAddresses.MAX_BYTES).order(ByteOrder.nativeOrder()),
                    Math.min(length.getInt(0), SocketAddresses.MAX_BYTES));
            if (SocketAddresses.sameLocal(local, bound)) {
                return fd;
            }
        }
        return -1;
    }

    /**
     * Reads one waiting datagram (never waits) into {@code into[0 ..)}, stamped: {@link #arrivalNanos()}
     * is when the kernel received it, on {@code clock}, and {@link #source()} who sent it. Reader only.
     *
     * @return its length (a longer one is cut to the capacity), or {@link #NOTHING}
     * @throws PortUnreachableException when the kernel reports an earlier datagram's port unreachable
     *                                  (a connected socket), as the channel's read would
     * @throws IOException              on any other failure (the channel closed: EBADF)
     */
    public int receive(byte[] into, Clock clock) throws IOException {
        rxMsg.setInt(8, SocketAddresses.MAX_BYTES);
        rxMsg.setLong(40, CONTROL_BYTES);
        long n = recvmsg(rxMsg, MSG_DONTWAIT);
        ClockPair readTime = ClockPair.read(withRealWall(clock));
        long clockNow = readTime.nanos();
        if (n < 0) {
            IOException e = failure("recvmsg", Native.getLastError());
            if (e == null) {
                return NOTHING;
            }
            throw e;
        }
        int length = (int) Math.min(n, Math.min(capacity, into.length));
        rxData.read(0, into, 0, length);
        long kernel = ControlMessages.receiveStamp(rxControlView, (int) Math.min(rxMsg.getLong(40), CONTROL_BYTES));
        arrivalNanos = KernelTime.onClock(clockNow, readTime.epochMicros() * 1_000, kernel);
        kernelArrival = kernel != ControlMessages.NONE && arrivalNanos != clockNow;
        int nameLength = Math.min(rxMsg.getInt(8), SocketAddresses.MAX_BYTES);
        if (!SocketAddresses.same(rxNameView, nameLength, lastName, lastNameLength)) {
            lastSource = SocketAddresses.read(rxNameView, nameLength);
            rxNameView.get(0, lastName, 0, nameLength);
            lastNameLength = nameLength;
        }
        return length;
    }

    /**
     * {@code clock} beside the real wall clock ({@link KernelTime#withRealWallClock}), made once and
     * kept while it is the same clock. Reader only.
     */
    private Clock withRealWall(Clock clock) {
        if (clock != pairedClock) {
            pairedClock = clock;
            withRealWall = KernelTime.withRealWallClock(clock);
        }
        return withRealWall;
    }

    /** When the last datagram {@link #receive}d reached the kernel, on the clock given (its read time when unstamped). */
    public long arrivalNanos() {
        return arrivalNanos;
    }

    /** Whether the last datagram's {@link #arrivalNanos()} came from the kernel's stamp. */
    public boolean kernelArrival() {
        return kernelArrival;
    }

    /** Who sent the last datagram {@link #receive}d (null on a connected socket the kernel did not name it for). */
    public InetSocketAddress source() {
        return lastSource;
    }

    /**
     * Reads every send stamp waiting on the error queue (at most {@value #MAX_DRAIN}, never waits),
     * each converted to {@code clock} by its age. Reader only: a waiting stamp makes the channel look
     * readable to a selector, so whoever is woken drains it.
     *
     * @return how many stamps were handed on
     */
    public int drainSendStamps(Clock clock, SendStamps into) {
        int count = 0;
        for (int i = 0; i < MAX_DRAIN; i++) {
            errMsg.setLong(40, CONTROL_BYTES);
            long n;
            try {
                n = recvmsg(errMsg, MSG_ERRQUEUE | MSG_DONTWAIT);
            } catch (ClosedChannelException e) {
                return count;
            }
            if (n < 0) {
                return count; // EAGAIN: empty (any other error: the data path reports it)
            }
            ControlMessages.SendStamp s = ControlMessages.sendStamp(rxControlView,
                    (int) Math.min(errMsg.getLong(40), CONTROL_BYTES));
            if (s != null) {
                ClockPair readTime = ClockPair.read(withRealWall(clock));
                long age = readTime.epochMicros() * 1_000 - s.realNanos();
                if (age >= 0 && age <= KernelTime.MAX_AGE_NANOS) {
                    into.sent(s.id(), readTime.nanos() - age);
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * Sends {@code datagram[0 .. length)} on the connected socket asking the kernel for its send stamp
     * (read back by {@link #drainSendStamps}). Never waits. Writer only.
     *
     * @return whether it was handed to the kernel (false: the send buffer is full)
     * @throws PortUnreachableException when the kernel reports an earlier datagram's port unreachable
     * @throws IOException              on any other failure
     */
    public boolean sendMarked(byte[] datagram, int length) throws IOException {
        if (length > capacity) {
            throw new IOException("datagram of " + length + " bytes is over " + capacity);
        }
        txData.write(0, datagram, 0, length);
        txIov.setLong(8, length);
        enter();
        long n;
        try {
            n = LibC.sendmsg(fd, txMsg, MSG_DONTWAIT);
        } finally {
            inCall.decrementAndGet();
        }
        if (n >= 0) {
            return true;
        }
        IOException e = failure("sendmsg", Native.getLastError());
        if (e == null) {
            return false; // the send buffer is full (EAGAIN)
        }
        throw e;
    }

    /** {@code recvmsg} on the descriptor, unless released. */
    private long recvmsg(Memory message, int flags) throws ClosedChannelException {
        enter();
        try {
            return LibC.recvmsg(fd, message, flags);
        } finally {
            inCall.decrementAndGet();
        }
    }

    /**
     * A failed call's {@code errno} as the channel's own call would report it, or null when there is
     * just nothing to do now ({@code EAGAIN}, {@code EINTR}).
     */
    private static IOException failure(String call, int errno) {
        if (errno == LibC.EAGAIN || errno == LibC.EINTR) {
            return null;
        }
        if (errno == LibC.ECONNREFUSED) {
            return new PortUnreachableException("port unreachable (ECONNREFUSED)");
        }
        return new IOException(call + " failed: errno " + errno);
    }

    /** Counts a call in, unless released. */
    private void enter() throws ClosedChannelException {
        inCall.incrementAndGet();
        if (released) {
            inCall.decrementAndGet();
            throw new ClosedChannelException();
        }
    }

    /**
     * Ends every use of the descriptor: later calls fail with {@link ClosedChannelException}, and this
     * returns once the calls under way have returned (none waits: each takes microseconds). Then the
     * channel may be closed. Any thread; idempotent.
     */
    public void release() {
        released = true;
        while (inCall.get() != 0) {
            Thread.onSpinWait();
        }
    }

    /** The socket's descriptor (for messages). */
    public int descriptor() {
        return fd;
    }
}
