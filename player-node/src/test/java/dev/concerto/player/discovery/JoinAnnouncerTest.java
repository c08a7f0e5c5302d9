package dev.concerto.player.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.JoinCodec;
import dev.concerto.protocol.JoinMessage;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The announcer against a scripted director socket on loopback. */
class JoinAnnouncerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static JoinMessage.Announce receive(DatagramSocket director, DatagramPacket p, Authenticator auth)
            throws Exception {
        director.receive(p);
        DecodeResult<JoinMessage> r = JoinCodec.decode(p.getData(), p.getOffset(), p.getLength(), auth);
        assertThat(r).isInstanceOf(DecodeResult.Accepted.class);
        return (JoinMessage.Announce) ((DecodeResult.Accepted<JoinMessage>) r).value();
    }

    @Test
    void repeatsUntilAcknowledgedThenSaysGoodbye() throws Exception {
        Authenticator key = new Authenticator("sixteen-byte-key!".getBytes(StandardCharsets.US_ASCII));
        try (DatagramSocket director = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            director.setSoTimeout(10_000);
            PlayerAdvert advert = PlayerAdvert.of("bass player", 10001, "virtual", "bass");
            JoinAnnouncer a = new JoinAnnouncer(advert, LOOPBACK, "127.0.0.1", director.getLocalPort(), 6, key,
                    Clock.SYSTEM).start();
            try {
                DatagramPacket p = new DatagramPacket(new byte[512], 512);
                List<Long> seqs = new ArrayList<>();
                for (int i = 0; i < 3; i++) { // unanswered: it keeps announcing
                    JoinMessage.Announce ann = receive(director, p, key);
                    assertThat(ann.name()).isEqualTo("bass_player");
                    assertThat(ann.voice()).isEqualTo("bass");
                    assertThat(ann.ttlSeconds()).isEqualTo(6);
                    assertThat(ann.protocols()).contains("timed/1");
                    seqs.add(ann.seq());
                }
                assertThat(seqs).doesNotHaveDuplicates();
                assertThat(a.joined()).isFalse();
                byte[] ack = JoinCodec.encode(new JoinMessage.Ack(seqs.get(2)), key);
                director.send(new DatagramPacket(ack, ack.length, p.getSocketAddress()));
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!a.joined() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(a.joined()).isTrue();
                // Acknowledged, it keeps refreshing (every third of the ttl).
                assertThat(receive(director, p, key).ttlSeconds()).as("the refresh").isEqualTo(6);
            } finally {
                a.close();
            }
            DatagramPacket p = new DatagramPacket(new byte[512], 512);
            JoinMessage.Announce last;
            do {
                last = receive(director, p, key);
            } while (!last.isGoodbye());
            assertThat(last.isGoodbye()).isTrue();
        }
    }
}
