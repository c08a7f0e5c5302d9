package dev.concerto.netem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Real UDP on loopback through the proxy; behaviour only (nothing here depends on timing). */
class PathProxyTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void forwardsBothWaysAndRepliesReachTheSender() throws Exception {
        try (DatagramSocket player = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket director = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             PathProxy proxy = PathProxy.start((InetSocketAddress) player.getLocalSocketAddress(),
                     PathProfile.Named.LAN.profile(), 1, Duration.ofMinutes(1))) {
            player.setSoTimeout(10_000);
            director.setSoTimeout(10_000);
            byte[] hello = "S 1 1000".getBytes(StandardCharsets.US_ASCII);
            director.send(new DatagramPacket(hello, hello.length, proxy.address()));
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            player.receive(p);
            assertThat(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII)).isEqualTo("S 1 1000");
            byte[] reply = "R 1 1000 5 6 timed/1".getBytes(StandardCharsets.US_ASCII);
            player.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
            DatagramPacket r = new DatagramPacket(new byte[100], 100);
            director.receive(r);
            assertThat(r.getSocketAddress()).isEqualTo(proxy.address());
            assertThat(new String(r.getData(), 0, r.getLength(), StandardCharsets.US_ASCII)).startsWith("R 1 1000");
            // The releasing thread counts a datagram after sending it: wait (bounded) for the count.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (proxy.fromPlayer().forwarded() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(proxy.toPlayer().forwarded()).isEqualTo(1);
            assertThat(proxy.fromPlayer().forwarded()).isEqualTo(1);
        }
    }

    @Test
    void dropsWhatItsProfileLosesAndDuplicatesTheRest() throws Exception {
        Direction half = Direction.PERFECT.withLoss(0.5).withDuplication(0.5);
        try (DatagramSocket player = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket director = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             PathProxy proxy = PathProxy.start((InetSocketAddress) player.getLocalSocketAddress(),
                     PathProfile.symmetric("half", half), 5, Duration.ofMinutes(1))) {
            player.setSoTimeout(2_000);
            int n = 200;
            for (int i = 0; i < n; i++) {
                byte[] b = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
                director.send(new DatagramPacket(b, b.length, proxy.address()));
            }
            Set<String> distinct = new HashSet<>();
            int got = 0;
            try {
                while (true) {
                    DatagramPacket p = new DatagramPacket(new byte[16], 16);
                    player.receive(p);
                    got++;
                    distinct.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII));
                }
            } catch (SocketTimeoutException done) {
                // all delivered
            }
            PathCounters c = proxy.toPlayer();
            assertThat(c.received()).isEqualTo(n);
            assertThat(c.lostRandom()).isBetween(60L, 140L);
            assertThat(distinct).hasSize((int) (n - c.lostRandom()));
            assertThat(got).isEqualTo(distinct.size() + (int) c.duplicated());
        }
    }

    @Test
    void proxiesOfOneEmulatorShareItsReleasingThreadAndKeepTheirOwnCounts() throws Exception {
        try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket b = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket director = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             PathEmulator emulator = PathEmulator.start(Duration.ofMinutes(1))) {
            PathProxy toA = emulator.add((InetSocketAddress) a.getLocalSocketAddress(), PathProfile.Named.LAN.profile(), 1);
            PathProxy toB = emulator.add((InetSocketAddress) b.getLocalSocketAddress(), PathProfile.Named.LAN.profile(), 2);
            a.setSoTimeout(10_000);
            b.setSoTimeout(10_000);
            for (int i = 0; i < 3; i++) {
                byte[] x = ("chord " + i).getBytes(StandardCharsets.US_ASCII);
                director.send(new DatagramPacket(x, x.length, toA.address()));
                director.send(new DatagramPacket(x, x.length, toB.address()));
            }
            for (DatagramSocket player : List.of(a, b)) {
                Set<String> got = new HashSet<>();
                for (int i = 0; i < 3; i++) {
                    DatagramPacket p = new DatagramPacket(new byte[32], 32);
                    player.receive(p);
                    got.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII));
                }
                assertThat(got).containsExactlyInAnyOrder("chord 0", "chord 1", "chord 2");
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            // A datagram is counted once its send returned, which may be after the player got it.
            while ((toA.toPlayer().forwarded() < 3 || toB.toPlayer().forwarded() < 3) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(toA.toPlayer().forwarded()).isEqualTo(3);
            assertThat(toB.toPlayer().forwarded()).isEqualTo(3);
            assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("netem-release")))
                    .hasSize(1);
            toA.close(); // one path closed: the other still forwards
            byte[] x = "after".getBytes(StandardCharsets.US_ASCII);
            director.send(new DatagramPacket(x, x.length, toB.address()));
            DatagramPacket p = new DatagramPacket(new byte[32], 32);
            b.receive(p);
            assertThat(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII)).isEqualTo("after");
        }
    }

    @Test
    void refusesAnythingButLoopback() {
        assertThatThrownBy(() -> PathProxy.start(new InetSocketAddress("192.0.2.1", 10001),
                PathProfile.Named.LAN.profile(), 1, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    }
}
