package dev.concerto.netem;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the emulator's own code hot before it emulates a path that is measured: exchanges through a
 * {@code lan} path on loopback to an echo and back, so the JIT has compiled the receiving, deciding,
 * holding and releasing code. Cold, that code made the first run of a bench process release its
 * datagrams late (release lateness p99 0.3–0.6 ms, max 4 ms, against 0.1–0.2 ms in the run after it,
 * on the 2-core VM), and the first seconds' clock exchanges with them: on the {@code lan} profile the
 * first run of two bench processes in three had a player's frames 57–62 µs off at p99 (goal 45);
 * warmed up, no run of five processes had one over 44.
 *
 * <p>Bounded in count and time; loopback only. Blocking; call it before the players start.
 */
public final class EmulatorWarmUp {

    /** Exchanges sent at most (each is a datagram through the path and its echo back). */
    public static final int EXCHANGES = 8_000;
    /** Space between two exchanges' requests, ns: about the path's own delay, so few are held at once. */
    static final long SPACING_NANOS = 200_000;
    /** The whole warm-up stops after this long in any case. */
    public static final Duration LIMIT = Duration.ofSeconds(5);

    /** What a warm-up did: exchanges sent, echoes that came back, and how long it took, ns. */
    public record Result(int sent, int echoed, long nanos) {
    }

    private EmulatorWarmUp() {
    }

    /**
     * Sends up to {@code exchanges} datagrams through a {@code lan} path to an echo on loopback, one every
     * {@value #SPACING_NANOS} ns, for at most {@code limit}, and counts the echoes.
     *
     * @throws IOException when no loopback socket can be bound
     */
    public static Result run(int exchanges, Duration limit) throws IOException, InterruptedException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        try (DatagramChannel echo = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
             DatagramChannel director = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0));
             PathEmulator emulator = PathEmulator.start(limit.plusSeconds(5))) {
            Thread echoer = new Thread(() -> echo(echo), "netem-warm-up-echo");
            echoer.setDaemon(true);
            echoer.start();
            PathProxy proxy = emulator.add((InetSocketAddress) echo.getLocalAddress(), PathProfile.Named.LAN.profile(), 1);
            director.configureBlocking(false);
            ByteBuffer out = ByteBuffer.allocate(24);
            ByteBuffer in = ByteBuffer.allocate(64);
            int sent = 0;
            int echoed = 0;
            long next = System.nanoTime();
            while (sent < exchanges && System.nanoTime() < deadline) {
                out.clear();
                out.putLong(sent).putLong(System.nanoTime()).putLong(0).flip();
                director.send(out, proxy.address());
                sent++;
                next += SPACING_NANOS;
                echoed += receiveUntil(director, in, next, 50_000);
            }
            // The last ones' echoes: the path holds each for well under a millisecond.
            echoed += receiveUntil(director, in, Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50)),
                    1_000_000);
            echo.close(); // ends the echo's receive
            echoer.join(1_000);
            return new Result(sent, echoed, System.nanoTime() - start);
        }
    }

    /** Reads what comes back on {@code channel} (non-blocking) until {@code untilNanos}, parking between reads; returns the count. */
    private static int receiveUntil(DatagramChannel channel, ByteBuffer buf, long untilNanos, long parkNanos)
            throws IOException {
        int received = 0;
        while (System.nanoTime() < untilNanos) {
            buf.clear();
            if (channel.receive(buf) != null) {
                received++;
            } else {
                LockSupport.parkNanos(parkNanos);
            }
        }
        return received;
    }

    /** Sends back every datagram to where it came from until the channel is closed. */
    private static void echo(DatagramChannel channel) {
        ByteBuffer buf = ByteBuffer.allocate(64);
        try {
            while (true) {
                buf.clear();
                SocketAddress from = channel.receive(buf);
                buf.flip();
                channel.send(buf, from);
            }
        } catch (AsynchronousCloseException closed) {
            // the warm-up is over
        } catch (IOException e) {
            // the warm-up only loses echoes
        }
    }
}
