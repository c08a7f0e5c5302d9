package dev.concerto.director.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.director.engine.DiscoveredPlayer;
import dev.concerto.director.engine.DiscoveryTable;
import dev.concerto.player.discovery.JoinAnnouncer;
import dev.concerto.player.discovery.PlayerAdvert;
import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.JoinCodec;
import dev.concerto.protocol.JoinMessage;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The unicast join end to end on loopback: the player's announcer and the director's listener. */
class JoinDiscoveryTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration GENEROUS = Duration.ofSeconds(20);
    private static final Authenticator KEY = new Authenticator("a-key-of-sixteen-bytes".getBytes(StandardCharsets.US_ASCII));

    private static Discovery joinOnly(Authenticator auth) {
        Discovery d = Discovery.start(new Discovery.Options(new InetSocketAddress(LOOPBACK, 0), null, auth), Clock.SYSTEM);
        assertThat(d.problems()).isEmpty();
        return d;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + GENEROUS.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aPlayerJoinsIsAcknowledgedAndLeavesOnGoodbye() throws Exception {
        try (Discovery d = joinOnly(KEY)) {
            PlayerAdvert advert = PlayerAdvert.of("tenor", 10002, "virtual", "tenor");
            long started = System.nanoTime();
            JoinAnnouncer a = new JoinAnnouncer(advert, LOOPBACK, "127.0.0.1", d.joinAddress().getPort(), 6, KEY,
                    Clock.SYSTEM).start();
            try {
                await("the player listed", () -> d.players().size() == 1);
                System.out.printf("join: listed %d ms after the announcer started%n", (System.nanoTime() - started) / 1_000_000);
                DiscoveredPlayer p = d.players().get(0);
                assertThat(p.name()).isEqualTo("tenor");
                assertThat(p.address()).isEqualTo("127.0.0.1:10002");
                assertThat(p.voice()).isEqualTo("tenor");
                assertThat(p.generator()).isEqualTo("virtual");
                assertThat(p.via()).isEqualTo(DiscoveredPlayer.Via.JOIN);
                await("the announce acknowledged", a::joined);
            } finally {
                a.close();
            }
            long stopped = System.nanoTime();
            await("the player gone after its goodbye", () -> d.players().isEmpty());
            System.out.printf("join: gone %d ms after the player stopped%n", (System.nanoTime() - stopped) / 1_000_000);
        }
    }

    @Test
    void aSilentPlayerExpiresAfterItsTtl() throws Exception {
        try (Discovery d = joinOnly(null); DatagramSocket player = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            byte[] announce = JoinCodec.encode(new JoinMessage.Announce(1, 10003, 1, "brief", "0.1.0",
                    List.of("legacy"), "null", ""), null);
            player.send(new DatagramPacket(announce, announce.length, d.joinAddress()));
            player.setSoTimeout((int) GENEROUS.toMillis());
            DatagramPacket ack = new DatagramPacket(new byte[64], 64);
            player.receive(ack);
            assertThat(new String(ack.getData(), 0, ack.getLength(), StandardCharsets.US_ASCII)).isEqualTo("K 1");
            await("listed", () -> d.players().size() == 1);
            await("expired after 1 s without a refresh", () -> d.players().isEmpty());
        }
    }

    @Test
    void aKeyedDirectorIgnoresUnsignedAndForgedAnnounces() throws Exception {
        Authenticator other = new Authenticator("some-other-key-16b".getBytes(StandardCharsets.US_ASCII));
        try (Discovery d = joinOnly(KEY); DatagramSocket forger = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            JoinMessage.Announce a = new JoinMessage.Announce(1, 10004, 6, "evil", "0.1.0", List.of("legacy"), "null", "");
            for (Authenticator signer : new Authenticator[] {null, other}) {
                byte[] bytes = JoinCodec.encode(a, signer);
                forger.send(new DatagramPacket(bytes, bytes.length, d.joinAddress()));
            }
            // A signed announce after them: once it is listed, the two before it have been handled.
            byte[] good = JoinCodec.encode(new JoinMessage.Announce(2, 10005, 6, "good", "0.1.0", List.of("legacy"),
                    "null", ""), KEY);
            forger.send(new DatagramPacket(good, good.length, d.joinAddress()));
            forger.setSoTimeout((int) GENEROUS.toMillis());
            DatagramPacket reply = new DatagramPacket(new byte[64], 64);
            forger.receive(reply);
            assertThat(JoinCodec.decode(reply.getData(), 0, reply.getLength(), KEY).toString()).contains("Ack[seq=2]");
            await("the signed one listed", () -> d.players().size() == 1);
            assertThat(d.players()).extracting(DiscoveredPlayer::name).containsExactly("good");
            assertThat(d.counters()).contains("UNAUTHENTICATED=1").contains("FORGED=1");
            forger.setSoTimeout(300);
            boolean moreReplies;
            try {
                forger.receive(reply);
                moreReplies = true;
            } catch (SocketTimeoutException e) {
                moreReplies = false;
            }
            assertThat(moreReplies).as("forged announces are never acknowledged").isFalse();
        }
    }

    @Test
    void aFloodOfBogusAndValidAnnouncesStaysBounded() throws Exception {
        try (Discovery d = joinOnly(null); DatagramSocket flooder = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            int valid = 3 * DiscoveryTable.MAX_PLAYERS;
            for (int i = 0; i < valid; i++) {
                byte[] junk = ("A " + i + " not an announce \u0001").getBytes(StandardCharsets.US_ASCII);
                flooder.send(new DatagramPacket(junk, junk.length, d.joinAddress()));
                byte[] a = JoinCodec.encode(new JoinMessage.Announce(i, 20_000 + i, 600, "p" + i, "0.1.0",
                        List.of("legacy"), "null", ""), null);
                flooder.send(new DatagramPacket(a, a.length, d.joinAddress()));
                if (i % 64 == 63) {
                    Thread.sleep(2); // let the listener keep up: loopback drops what overflows its buffer
                }
            }
            byte[] last = JoinCodec.encode(new JoinMessage.Announce(99_999, 30_000, 600, "last", "0.1.0",
                    List.of("legacy"), "null", ""), null);
            // Repeated, as a player repeats an unacknowledged announce: the flood may have filled the socket buffer.
            await("the last announce handled", () -> {
                try {
                    flooder.send(new DatagramPacket(last, last.length, d.joinAddress()));
                    Thread.sleep(50);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return d.players().stream().anyMatch(p -> p.name().equals("last"));
            });
            assertThat(d.players()).hasSizeLessThanOrEqualTo(DiscoveryTable.MAX_PLAYERS);
            assertThat(d.counters()).contains("BAD_SYNTAX");
        }
    }
}
