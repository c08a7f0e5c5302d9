package dev.concerto.player.stamp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kernel stamps on real loopback sockets (Linux x86_64/aarch64; skipped elsewhere). Behaviour only:
 * that stamps exist, belong to the right datagrams and are not later than the user-space reading.
 */
class StampedSocketTest {

    /** Kernel stamps are on unless turned off; an environment that turns them off is overridden here. */
    @org.junit.jupiter.api.BeforeEach
    void turnOn() {
        System.setProperty(KernelStamps.PROPERTY, "on");
    }

    @org.junit.jupiter.api.AfterEach
    void clear() {
        System.clearProperty(KernelStamps.PROPERTY);
    }

    @Test
    void onUnlessTurnedOff() throws Exception {
        System.clearProperty(KernelStamps.PROPERTY);
        assumeTrue(System.getenv(KernelStamps.ENVIRONMENT) == null, "the environment turns them on or off");
        StampedSocket.Attempt attempt = StampedSocket.attach(channel(), 2048, StampedSocket.Sends.ALL, Clock.SYSTEM);
        if (attempt.socket() == null) { // not Linux 64-bit: unavailable, but not turned off
            assertThat(attempt.whyNot()).doesNotContain("turned off");
            return;
        }
        assertThat(attempt.whyNot()).isNull();
        attempt.socket().release();
    }

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private final List<DatagramChannel> open = new ArrayList<>();

    private DatagramChannel channel() throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        open.add(ch);
        ch.bind(LOOPBACK);
        ch.configureBlocking(false);
        return ch;
    }

    private static boolean linux64() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        return os.toLowerCase().contains("linux") && (arch.equals("amd64") || arch.equals("aarch64"));
    }

    @AfterEach
    void close() throws IOException {
        for (DatagramChannel ch : open) {
            ch.close();
        }
    }

    /** Reads until a datagram comes (bounded: 5 s). */
    private static int receive(StampedSocket s, byte[] into) throws Exception {
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            int n = s.receive(into, Clock.SYSTEM);
            if (n != StampedSocket.NOTHING) {
                return n;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("nothing arrived within 5 s");
    }

    @Test
    void aReceivedDatagramCarriesItsKernelStampItsSourceAndItsBytes() throws Exception {
        assumeTrue(linux64());
        DatagramChannel player = channel();
        DatagramChannel director = channel();
        StampedSocket.Attempt a = StampedSocket.attach(player, 2048, StampedSocket.Sends.ALL, Clock.SYSTEM);
        assertThat(a.whyNot()).isNull();
        StampedSocket s = a.socket();
        for (int i = 0; i < 3; i++) {
            byte[] payload = ("S " + i).getBytes(StandardCharsets.US_ASCII);
            long before = System.nanoTime();
            director.send(ByteBuffer.wrap(payload), player.getLocalAddress());
            byte[] into = new byte[2048];
            int n = receive(s, into);
            long user = System.nanoTime();
            assertThat(new String(into, 0, n, StandardCharsets.US_ASCII)).isEqualTo("S " + i);
            assertThat(s.source()).isEqualTo(director.getLocalAddress());
            assertThat(s.kernelArrival()).isTrue();
            // The kernel stamp: after the send began (a little slack for the two clocks' readings), not after the user one.
            assertThat(s.arrivalNanos()).isLessThanOrEqualTo(user).isGreaterThan(before - 1_000_000);
        }
        assertThat(s.receive(new byte[16], Clock.SYSTEM)).isEqualTo(StampedSocket.NOTHING);
    }

    @Test
    void aPlayerBoundToEveryAddressIsFoundToo() throws Exception {
        assumeTrue(linux64());
        DatagramChannel any = DatagramChannel.open(); // dual-stack where IPv6 is on: bound to "::"
        open.add(any);
        any.bind(new InetSocketAddress(0));
        any.configureBlocking(false);
        StampedSocket s = StampedSocket.attach(any, 2048, StampedSocket.Sends.ALL, Clock.SYSTEM).socket();
        assertThat(s).isNotNull();
        DatagramChannel director = channel();
        director.send(ByteBuffer.wrap(new byte[] {'4', '4', '0'}),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), ((InetSocketAddress) any.getLocalAddress()).getPort()));
        assertThat(receive(s, new byte[16])).isEqualTo(3);
        assertThat(s.source()).isEqualTo(director.getLocalAddress()); // an IPv4 source, as the channel would say
    }

    @Test
    void everySendOfAStampAllSocketIsStampedAndCounted() throws Exception {
        assumeTrue(linux64());
        DatagramChannel player = channel();
        DatagramChannel director = channel();
        StampedSocket s = StampedSocket.attach(player, 2048, StampedSocket.Sends.ALL, Clock.SYSTEM).socket();
        List<long[]> stamps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long before = System.nanoTime();
            player.send(ByteBuffer.wrap(new byte[] {'R'}), director.getLocalAddress());
            long deadline = System.nanoTime() + 5_000_000_000L;
            int got = 0;
            while (got == 0 && System.nanoTime() < deadline) {
                got = s.drainSendStamps(Clock.SYSTEM, (id, nanos) -> stamps.add(new long[] {id, nanos}));
            }
            long after = System.nanoTime();
            assertThat(got).isEqualTo(1);
            long[] last = stamps.get(stamps.size() - 1);
            assertThat(last[0]).isEqualTo(i);
            assertThat(last[1]).isBetween(before - 1_000_000, after);
        }
    }

    @Test
    void aMarkedSocketStampsOnlyWhatIsSentMarked() throws Exception {
        assumeTrue(linux64());
        DatagramChannel player = channel();
        DatagramChannel director = DatagramChannel.open();
        open.add(director);
        director.configureBlocking(false);
        director.connect(player.getLocalAddress());
        StampedSocket s = StampedSocket.attach(director, 2048, StampedSocket.Sends.MARKED, Clock.SYSTEM).socket();
        assertThat(s).isNotNull();
        director.write(ByteBuffer.wrap(new byte[] {'T'})); // a tone: not stamped
        assertThat(s.drainSendStamps(Clock.SYSTEM, (id, nanos) -> { })).isZero();
        long before = System.nanoTime();
        assertThat(s.sendMarked(new byte[] {'S', ' ', '1'}, 3)).isTrue();
        long[] stamp = new long[1];
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (s.drainSendStamps(Clock.SYSTEM, (id, nanos) -> stamp[0] = nanos) == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(stamp[0]).isBetween(before - 1_000_000, System.nanoTime());
        ByteBuffer got = ByteBuffer.allocate(16);
        long end = System.nanoTime() + 5_000_000_000L;
        while (got.position() < 3 && System.nanoTime() < end) {
            player.receive(got);
        }
        assertThat(new String(got.array(), 0, got.position(), StandardCharsets.US_ASCII)).isEqualTo("T" + "S 1");
    }

    @Test
    void turnedOffOrReleasedItStepsAside() throws Exception {
        assumeTrue(linux64());
        DatagramChannel player = channel();
        System.setProperty(KernelStamps.PROPERTY, "off");
        try {
            StampedSocket.Attempt off = StampedSocket.attach(player, 2048, StampedSocket.Sends.ALL, Clock.SYSTEM);
            assertThat(off.socket()).isNull();
            assertThat(off.whyNot()).contains(KernelStamps.PROPERTY);
        } finally {
            System.setProperty(KernelStamps.PROPERTY, "on");
        }
        StampedSocket s = StampedSocket.attach(player, 2048, StampedSocket.Sends.ALL, Clock.SYSTEM).socket();
        s.release();
        assertThatThrownBy(() -> s.receive(new byte[16], Clock.SYSTEM)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> s.sendMarked(new byte[1], 1)).isInstanceOf(ClosedChannelException.class);
        assertThat(s.drainSendStamps(Clock.SYSTEM, (id, nanos) -> { })).isZero();
    }

    @Test
    void aClockThatDoesNotFollowRealTimeKeepsUserSpaceStamps() throws Exception {
        Clock still = new Clock() {
            @Override
            public long nanoTime() {
                return 1;
            }

            @Override
            public long epochMicros() {
                return 1;
            }
        };
        StampedSocket.Attempt a = StampedSocket.attach(channel(), 2048, StampedSocket.Sends.ALL, still);
        assertThat(a.socket()).isNull();
        assertThat(a.whyNot()).contains("real time");
    }

    @Test
    void anUnboundChannelHasNoSocketToFind() throws Exception {
        assumeTrue(linux64());
        DatagramChannel unbound = DatagramChannel.open();
        open.add(unbound);
        assertThat(StampedSocket.attach(unbound, 2048, StampedSocket.Sends.ALL, Clock.SYSTEM).whyNot()).contains("not found");
    }
}
