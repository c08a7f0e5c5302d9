import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Experiment for issue #12 (clean-path onset error): do receive-side user-space wake-ups make the
 * clock-sync offset samples asymmetric, and do kernel receive stamps (SO_TIMESTAMPNS) take that out?
 *
 * <p>One "director" thread and P "player" threads, each with its own UDP socket on 127.0.0.1 and
 * SO_TIMESTAMPNS on, every receive loop a poll + recvmsg (as the director's and players' selector
 * loops wait and then read). The director sends a request to each player in turn (t1 stamped just
 * before sendto), the player stamps t2 after recvmsg returns (user) and from the kernel's rx stamp
 * (kernel: now minus the datagram's age, age = CLOCK_REALTIME right after the receive minus the
 * stamp), t3 just before its reply; the director stamps t4 both ways. Every thread reads the same
 * clock (System.nanoTime), so the true offset is 0: what each sample shows is its own error.
 *
 * <p>Linux x86_64 only. Usage: {@code java -cp jna.jar bench/tools/RxStampProbe.java [PLAYERS] [EXCHANGES] [INTERVAL_MS]}.
 * Send only to loopback; bounded (EXCHANGES per player, 100 ms reply timeout).
 */
public final class RxStampProbe {

    interface C extends Library {
        C LIB = Native.load("c", C.class);

        int socket(int domain, int type, int protocol);

        int bind(int fd, Pointer addr, int len);

        int getsockname(int fd, Pointer addr, Pointer len);

        int setsockopt(int fd, int level, int name, Pointer val, int len);

        long sendto(int fd, Pointer buf, long len, int flags, Pointer addr, int addrlen);

        long recvmsg(int fd, Pointer msg, int flags);

        int poll(Pointer fds, long nfds, int timeout);

        int clock_gettime(int clk, Pointer ts);

        int close(int fd);
    }

    static final int AF_INET = 2, SOCK_DGRAM = 2, SOL_SOCKET = 1, SO_TIMESTAMPNS = 35, SCM_TIMESTAMPNS = 35;
    static final int SO_TIMESTAMPING = 37, SCM_TIMESTAMPING = 37, MSG_ERRQUEUE = 0x2000, MSG_DONTWAIT = 0x40;
    /** SOF_TIMESTAMPING_TX_SOFTWARE | SOFTWARE | OPT_TSONLY: a software stamp of each datagram sent, without its payload. */
    static final int TX_FLAGS = (1 << 1) | (1 << 4) | (1 << 11);
    static final int POLLIN = 1, CLOCK_REALTIME = 0;

    /** One socket and its receive buffers; one owner thread. */
    static final class Sock {
        final int fd;
        final int port;
        final Memory buf = new Memory(64), iov = new Memory(16), msg = new Memory(56), ctl = new Memory(256);
        final Memory name = new Memory(16), pfd = new Memory(8), ts = new Memory(16), to = new Memory(16);
        long kernelNs; // last receive's kernel stamp (CLOCK_REALTIME ns), or -1
        long realNs; // CLOCK_REALTIME right after that receive

        Sock() {
            fd = C.LIB.socket(AF_INET, SOCK_DGRAM, 0);
            Memory one = new Memory(4);
            one.setInt(0, 1);
            check(C.LIB.setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, one, 4), "setsockopt");
            Memory tx = new Memory(4);
            tx.setInt(0, TX_FLAGS);
            check(C.LIB.setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPING, tx, 4), "setsockopt SO_TIMESTAMPING");
            Memory a = loopback(0);
            check(C.LIB.bind(fd, a, 16), "bind");
            Memory len = new Memory(4);
            len.setInt(0, 16);
            check(C.LIB.getsockname(fd, a, len), "getsockname");
            port = ((a.getByte(2) & 0xff) << 8) | (a.getByte(3) & 0xff);
        }

        static Memory loopback(int port) {
            Memory a = new Memory(16);
            a.clear();
            a.setShort(0, (short) AF_INET);
            a.setByte(2, (byte) (port >> 8));
            a.setByte(3, (byte) port);
            a.setByte(4, (byte) 127);
            a.setByte(7, (byte) 1);
            return a;
        }

        final Memory out = new Memory(64);
        Memory dest;
        int destPort = -1;
        long lastTxOnUserClock; // the last send's kernel tx stamp on the nanoTime clock, or Long.MIN_VALUE
        final Memory eiov = new Memory(16), emsg = new Memory(56), ebuf = new Memory(64);

        /**
         * Fills {@code msg} (a struct msghdr) for one 64-byte buffer and the 256-byte control area:
         * {@code name} receives the source address (16 bytes), or null for none.
         */
        void message(Memory msg, Memory name, Memory iov, Memory data) {
            iov.setPointer(0, data);
            iov.setLong(8, 64);
            msg.clear();
            if (name != null) {
                msg.setPointer(0, name);
                msg.setInt(8, 16);
            }
            msg.setPointer(16, iov);
            msg.setLong(24, 1);
            msg.setPointer(32, ctl);
            msg.setLong(40, 256);
        }

        /** Reads the send's tx stamp from the error queue (non-blocking), converted to nanoTime by its age. */
        long txStamp(long userStamp) {
            for (int tries = 0; tries < 1000; tries++) {
                message(emsg, null, eiov, ebuf);
                long n = C.LIB.recvmsg(fd, emsg, MSG_ERRQUEUE | MSG_DONTWAIT);
                long nano = System.nanoTime();
                C.LIB.clock_gettime(CLOCK_REALTIME, ts);
                long real = ts.getLong(0) * 1_000_000_000L + ts.getLong(8);
                if (n < 0) {
                    continue; // not queued yet
                }
                long controlLen = emsg.getLong(40);
                long off = 0;
                while (off + 16 <= controlLen) {
                    long cmsgLen = ctl.getLong(off);
                    if (ctl.getInt(off + 8) == SOL_SOCKET && ctl.getInt(off + 12) == SCM_TIMESTAMPING) {
                        long k = ctl.getLong(off + 16) * 1_000_000_000L + ctl.getLong(off + 24);
                        return nano - (real - k);
                    }
                    if (cmsgLen < 16) {
                        break;
                    }
                    off += (cmsgLen + 7) & ~7L;
                }
            }
            return Long.MIN_VALUE;
        }

        long lastSendNs; // how long the last sendto call took (JNA call and syscall), ns

        /**
         * Sends words[0..n) with the send time (nanoTime, stamped as late as possible: just before
         * sendto) as word n; returns that time.
         */
        long sendStamped(int toPort, long[] words) {
            if (toPort != destPort) {
                dest = loopback(toPort);
                destPort = toPort;
            }
            for (int i = 0; i < words.length; i++) {
                out.setLong(8L * i, words[i]);
            }
            long t = System.nanoTime();
            out.setLong(8L * words.length, t);
            C.LIB.sendto(fd, out, 8L * (words.length + 1), 0, dest, 16);
            lastSendNs = System.nanoTime() - t;
            lastTxOnUserClock = txStamp(t);
            return t;
        }

        /** Waits up to timeoutMs; returns the user-space stamp (nanoTime right after recvmsg) or -1. */
        long receive(int timeoutMs, long[] into) {
            pfd.setInt(0, fd);
            pfd.setShort(4, (short) POLLIN);
            pfd.setShort(6, (short) 0);
            if (C.LIB.poll(pfd, 1, timeoutMs) <= 0) {
                return -1;
            }
            message(msg, name, iov, buf);
            long n = C.LIB.recvmsg(fd, msg, 0);
            long user = System.nanoTime();
            C.LIB.clock_gettime(CLOCK_REALTIME, ts);
            realNs = ts.getLong(0) * 1_000_000_000L + ts.getLong(8);
            if (n < 0) {
                return -1;
            }
            kernelNs = -1;
            long controlLen = msg.getLong(40);
            long off = 0;
            while (off + 16 <= controlLen) {
                long cmsgLen = ctl.getLong(off);
                int level = ctl.getInt(off + 8), type = ctl.getInt(off + 12);
                if (level == SOL_SOCKET && type == SCM_TIMESTAMPNS) {
                    kernelNs = ctl.getLong(off + 16) * 1_000_000_000L + ctl.getLong(off + 24);
                }
                if (cmsgLen < 16) {
                    break;
                }
                off += (cmsgLen + 7) & ~7L;
            }
            for (int i = 0; i < into.length && 8L * i < n; i++) {
                into[i] = buf.getLong(8L * i);
            }
            return user;
        }

        void close() {
            C.LIB.close(fd);
        }

        /** The kernel stamp on the user stamp's clock: user stamp minus the datagram's age. */
        long kernelOnUserClock(long user) {
            return user - (realNs - kernelNs);
        }
    }

    static void check(int rc, String what) {
        if (rc != 0) {
            throw new IllegalStateException(what + " failed: errno " + Native.getLastError());
        }
    }

    record Sample(int player, long t1, long t2u, long t2k, long t3, long t4u, long t4k, long t1k, long t3k) {
        boolean hasTx() {
            return t1k != Long.MIN_VALUE && t3k != Long.MIN_VALUE;
        }

        /** Every stamp from the kernel: t1 and t3 from tx stamps, t2 and t4 from rx stamps. */
        double offsetKernelTxUs() {
            return ((t2k - t1k) + (t3k - t4k)) / 2e3;
        }

        double rttUs() {
            return ((t4u - t1) - (t3 - t2u)) / 1e3;
        }

        double offsetUserUs() {
            return ((t2u - t1) + (t3 - t4u)) / 2e3;
        }

        double offsetKernelUs() {
            return ((t2k - t1) + (t3 - t4k)) / 2e3;
        }
    }

    public static void main(String[] args) throws Exception {
        int players = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int exchanges = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        long intervalMs = args.length > 2 ? Long.parseLong(args[2]) : 10;
        Sock director = new Sock();
        Sock[] ps = new Sock[players];
        Thread[] threads = new Thread[players];
        long[] lagP = new long[players * exchanges + 1];
        int[] lagCount = new int[1];
        java.util.concurrent.ConcurrentHashMap<Long, Long> t3k = new java.util.concurrent.ConcurrentHashMap<>();
        long[] sendP = new long[players * exchanges + 1];
        int[] sendCount = new int[1];
        long[] sendD = new long[players * exchanges];
        for (int i = 0; i < players; i++) {
            Sock p = ps[i] = new Sock();
            threads[i] = new Thread(() -> {
                long[] in = new long[2];
                for (int k = 0; k < exchanges; k++) {
                    long t2u = p.receive(2_000, in);
                    if (t2u < 0) {
                        return;
                    }
                    long t2k = p.kernelOnUserClock(t2u);
                    synchronized (lagP) {
                        lagP[lagCount[0]++] = t2u - t2k;
                    }
                    p.sendStamped(director.port, new long[] {in[0], t2u, t2k});
                    t3k.put(in[0], p.lastTxOnUserClock);
                    synchronized (lagP) {
                        sendP[sendCount[0]++] = p.lastSendNs;
                    }
                }
            }, "player-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
        List<Sample> samples = new ArrayList<>();
        long[] lagD = new long[players * exchanges];
        int nd = 0;
        long[] in = new long[4];
        for (int k = 0; k < exchanges; k++) {
            for (int i = 0; i < players; i++) {
                long t1 = director.sendStamped(ps[i].port, new long[0]);
                long t1k = director.lastTxOnUserClock;
                long t4u = director.receive(100, in);
                if (t4u < 0 || in[0] != t1) { // in[0]: the request's t1, echoed
                    continue;
                }
                long t4k = director.kernelOnUserClock(t4u);
                Thread.sleep(intervalMs);
                if (k < exchanges / 10) {
                    continue; // warm-up (JIT): the first tenth of the rounds is not counted
                }
                sendD[nd] = director.lastSendNs;
                lagD[nd++] = t4u - t4k;
                samples.add(new Sample(i, t1, in[1], in[2], in[3], t4u, t4k, t1k, t3k.getOrDefault(t1, Long.MIN_VALUE)));
            }
        }
        long[] lp;
        synchronized (lagP) {
            lp = Arrays.copyOf(lagP, lagCount[0]);
        }
        System.out.printf("exchanges %d (players %d, interval %d ms); load %s%n", samples.size(), players, intervalMs,
                new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).trim());
        System.out.printf("wake-up lag (user stamp - kernel stamp), µs: player p50 %.1f p90 %.1f p99 %.1f max %.1f;"
                        + " director p50 %.1f p90 %.1f p99 %.1f max %.1f; negative lags: player %d director %d%n",
                pct(lp, 50), pct(lp, 90), pct(lp, 99), pct(lp, 100),
                pct(Arrays.copyOf(lagD, nd), 50), pct(Arrays.copyOf(lagD, nd), 90), pct(Arrays.copyOf(lagD, nd), 99),
                pct(Arrays.copyOf(lagD, nd), 100),
                Arrays.stream(lp).filter(v -> v < 0).count(), Arrays.stream(lagD, 0, nd).filter(v -> v < 0).count());
        long[] sp;
        synchronized (lagP) {
            sp = Arrays.copyOf(sendP, sendCount[0]);
        }
        System.out.printf("sendto call (stamp to return), µs: player p50 %.1f p90 %.1f; director p50 %.1f p90 %.1f%n",
                pct(sp, 50), pct(sp, 90), pct(Arrays.copyOf(sendD, nd), 50), pct(Arrays.copyOf(sendD, nd), 90));
        System.out.println("per player: offset sample (true offset 0), µs; all = every exchange, short = the shortest tenth by RTT");
        System.out.println("player | RTT p50 | user: all p50, |all| p99, short mean, short sd | kernel: all p50, |all| p99, short mean, short sd");
        for (int i = 0; i < players; i++) {
            final int pi = i;
            List<Sample> mine = samples.stream().filter(s -> s.player() == pi)
                    .sorted((a, b) -> Double.compare(a.rttUs(), b.rttUs())).toList();
            List<Sample> shortest = mine.subList(0, Math.max(1, mine.size() / 10));
            double[] u = mine.stream().mapToDouble(Sample::offsetUserUs).toArray();
            double[] kk = mine.stream().mapToDouble(Sample::offsetKernelUs).toArray();
            double[] su = shortest.stream().mapToDouble(Sample::offsetUserUs).toArray();
            double[] sk = shortest.stream().mapToDouble(Sample::offsetKernelUs).toArray();
            double[] rtt = mine.stream().mapToDouble(Sample::rttUs).toArray();
            System.out.printf("%d | %.1f | %.1f, %.1f, %.1f, %.1f | %.1f, %.1f, %.1f, %.1f%n", i, pctD(rtt, 50),
                    pctD(u, 50), pctD(abs(u), 99), mean(su), sd(su),
                    pctD(kk, 50), pctD(abs(kk), 99), mean(sk), sd(sk));
        }
        System.out.println("all stamps from the kernel (t1, t3 tx; t2, t4 rx): player | samples | all p50, |all| p99, short mean, short sd");
        for (int i = 0; i < players; i++) {
            final int pi = i;
            List<Sample> mine = samples.stream().filter(s -> s.player() == pi && s.hasTx())
                    .sorted((a, b) -> Double.compare(a.rttUs(), b.rttUs())).toList();
            if (mine.isEmpty()) {
                System.out.printf("%d | 0 (no tx stamps)%n", i);
                continue;
            }
            double[] v = mine.stream().mapToDouble(Sample::offsetKernelTxUs).toArray();
            double[] sv = mine.subList(0, Math.max(1, mine.size() / 10)).stream().mapToDouble(Sample::offsetKernelTxUs).toArray();
            System.out.printf("%d | %d | %.1f, %.1f, %.1f, %.1f%n", i, v.length, pctD(v, 50), pctD(abs(v), 99), mean(sv), sd(sv));
        }
        director.close();
        for (Sock p : ps) {
            p.close();
        }
    }

    static double[] abs(double[] v) {
        return Arrays.stream(v).map(Math::abs).toArray();
    }

    static double pct(long[] v, double p) {
        return pctD(Arrays.stream(v).mapToDouble(x -> x / 1e3).toArray(), p);
    }

    static double pctD(double[] v, double p) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    static double sd(double[] v) {
        double m = mean(v);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).average().orElse(Double.NaN));
    }
}
