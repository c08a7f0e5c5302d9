package dev.concerto.director.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.JoinCodec;
import dev.concerto.protocol.JoinMessage;
import dev.concerto.protocol.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryTableTest {

    private static final long S = 1_000_000_000L;
    private static final Authenticator KEY = new Authenticator("a-shared-key-of-16+".getBytes(StandardCharsets.US_ASCII));

    private static byte[] announce(long seq, int port, int ttl, String name, Authenticator auth) {
        return JoinCodec.encode(new JoinMessage.Announce(seq, port, ttl, name, "0.1.0",
                List.of("legacy", "timed/1"), "virtual", ""), auth);
    }

    private static DiscoveryTable.Outcome feed(DiscoveryTable t, byte[] d, String host, long now) {
        return t.onJoinDatagram(d, d.length, host, now);
    }

    @Test
    void anAnnounceIsAcknowledgedRefreshedAndExpires() {
        DiscoveryTable t = new DiscoveryTable(null);
        DiscoveryTable.Outcome o = feed(t, announce(5, 10001, 6, "bass", null), "127.0.0.1", 0);
        assertThat(o).isInstanceOf(DiscoveryTable.Outcome.Ack.class);
        assertThat(new String(((DiscoveryTable.Outcome.Ack) o).datagram(), StandardCharsets.US_ASCII)).isEqualTo("K 5");
        assertThat(t.players()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("bass");
            assertThat(p.address()).isEqualTo("127.0.0.1:10001");
            assertThat(p.speaksTimed()).isTrue();
            assertThat(p.via()).isEqualTo(DiscoveredPlayer.Via.JOIN);
        });
        long v = t.version();
        feed(t, announce(6, 10001, 6, "bass", null), "127.0.0.1", 4 * S);
        assertThat(t.version()).as("a refresh is no change").isEqualTo(v);
        assertThat(t.expire(9 * S)).isFalse();
        assertThat(t.expire(10 * S)).isTrue();
        assertThat(t.players()).isEmpty();
    }

    @Test
    void aGoodbyeRemovesAtOnce() {
        DiscoveryTable t = new DiscoveryTable(null);
        feed(t, announce(1, 10001, 6, "bass", null), "127.0.0.1", 0);
        assertThat(feed(t, announce(2, 10001, 0, "bass", null), "127.0.0.1", S)).isInstanceOf(DiscoveryTable.Outcome.Ack.class);
        assertThat(t.players()).isEmpty();
    }

    @Test
    void aKeyedTableIgnoresUnsignedAndForgedAnnounces() {
        DiscoveryTable t = new DiscoveryTable(KEY);
        Authenticator other = new Authenticator("not-the-same-key-!".getBytes(StandardCharsets.US_ASCII));
        assertThat(feed(t, announce(1, 10001, 6, "evil", null), "127.0.0.1", 0)).isInstanceOf(DiscoveryTable.Outcome.Rejected.class);
        assertThat(feed(t, announce(1, 10001, 6, "evil", other), "127.0.0.1", 0)).isInstanceOf(DiscoveryTable.Outcome.Rejected.class);
        assertThat(t.players()).isEmpty();
        assertThat(t.rejectedCounts()).containsEntry(RejectReason.UNAUTHENTICATED, 1L).containsEntry(RejectReason.FORGED, 1L);
        DiscoveryTable.Outcome ok = feed(t, announce(2, 10001, 6, "bass", KEY), "127.0.0.1", 0);
        assertThat(ok).isInstanceOf(DiscoveryTable.Outcome.Ack.class);
        assertThat(JoinCodec.decode(((DiscoveryTable.Outcome.Ack) ok).datagram(), KEY)).as("the ack is signed")
                .isInstanceOf(dev.concerto.protocol.DecodeResult.Accepted.class);
    }

    @Test
    void aFloodStaysWithinTheBound() {
        DiscoveryTable t = new DiscoveryTable(null);
        for (int i = 0; i < 10_000; i++) {
            feed(t, announce(i, 1 + i % 60_000, 600, "p" + i, null), "127.0.1." + (i % 200), i);
            byte[] junk = ("A " + i + " garbage").getBytes(StandardCharsets.US_ASCII);
            feed(t, junk, "127.0.2.1", i);
        }
        assertThat(t.players()).hasSize(DiscoveryTable.MAX_PLAYERS);
        assertThat(t.evictedCount()).isEqualTo(10_000 - DiscoveryTable.MAX_PLAYERS);
        assertThat(t.rejectedCounts()).containsEntry(RejectReason.BAD_SYNTAX, 10_000L);
        assertThat(t.players()).extracting(DiscoveredPlayer::name).contains("p9999").doesNotContain("p0");
    }

    @Test
    void onePlayerFoundBothWaysIsOneEntry() {
        DiscoveryTable t = new DiscoveryTable(null);
        DiscoveredPlayer viaMdns = new DiscoveredPlayer("bass", "127.0.0.1", 10001, "0.1.0", List.of("legacy"),
                "pi4j", "", DiscoveredPlayer.Via.MDNS, 0);
        t.putMdns("bass", viaMdns);
        feed(t, announce(1, 10001, 6, "bass", null), "127.0.0.1", 0);
        assertThat(t.players()).hasSize(1);
        t.removeMdns("bass");
        assertThat(t.players()).as("the join keeps it").hasSize(1);
        t.expire(7 * S);
        assertThat(t.players()).isEmpty();
        t.putMdns("bass", viaMdns);
        assertThat(t.players()).containsExactly(viaMdns);
        t.removeMdns("bass");
        assertThat(t.players()).isEmpty();
    }
}
