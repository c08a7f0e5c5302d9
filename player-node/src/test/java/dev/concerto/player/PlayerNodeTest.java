package dev.concerto.player;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.player.core.PlayerCounters;
import dev.concerto.player.synth.Audio;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.RejectReason;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real UDP on loopback, ephemeral ports, a recording generator. */
class PlayerNodeTest {

    final RecordingGenerator gen = new RecordingGenerator();
    PlayerNode node;
    Udp udp;

    @TempDir
    Path dir;

    PlayerNode start(PlayerConfig config) throws Exception {
        node = new PlayerNode(config).start();
        udp = new Udp();
        return node;
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (udp != null) {
            udp.close();
        }
    }

    @Test
    void datagramsBecomeToneChanges() throws Exception {
        start(PlayerConfig.of(gen).withLoopbackEphemeral().withName("t"));
        InetSocketAddress to = node.localAddress();
        assertThat(to.getPort()).isPositive();
        udp.send(to, "440");
        assertThat(gen.next()).isEqualTo(440.0);
        udp.send(to, "0");
        assertThat(gen.next()).isEqualTo(0.0);
        udp.send(to, " 262\n");
        assertThat(gen.next()).isEqualTo(262.0);
        Audio.await(() -> node.counters().datagrams() == 3, "3 datagrams handled"); // counted once handled
        assertThat(node.counters().toneChanges()).isEqualTo(3);
        assertThat(node.currentHz()).isEqualTo(262.0);
    }

    @Test
    void acceptsExactlyWhatTheAncestorsDirectorSends() throws Exception {
        start(PlayerConfig.of(gen).withLoopbackEphemeral());
        // Python 3: sendto(str(freq).encode(), addr) with freq from round(55*2**(x/12)) -> b"55" .. b"988"
        for (int hz : dev.concerto.protocol.ToneTable.ancestor()) {
            udp.send(node.localAddress(), String.valueOf(hz).getBytes(StandardCharsets.US_ASCII));
            assertThat(gen.next()).isEqualTo((double) hz);
        }
        udp.send(node.localAddress(), "0".getBytes(StandardCharsets.US_ASCII)); // the ancestor's stop()
        assertThat(gen.next()).isZero();
        assertThat(node.counters().dropped()).isZero();
    }

    @Test
    void badDatagramsAreCountedPerReasonAndNeverPlayed() throws Exception {
        start(PlayerConfig.of(gen).withLoopbackEphemeral());
        InetSocketAddress to = node.localAddress();
        udp.send(to, "440");
        assertThat(gen.next()).isEqualTo(440.0);
        udp.send(to, "abc");
        udp.send(to, "-5");
        udp.send(to, "99999");
        udp.send(to, "");
        udp.send(to, "44 0");
        udp.send(to, new byte[] {'4', (byte) 0xC3, '0'});
        udp.send(to, "12345678901");                 // 11 bytes: dropped whole, not read as 1234567890
        udp.send(to, "440".repeat(1000));            // far larger than the firmware's 10 bytes
        for (int i = 0; i < 50; i++) {
            udp.send(to, "junk");                    // a flood: counted, logged once
        }
        udp.send(to, "523");                          // a marker: everything before it was handled
        assertThat(gen.next()).isEqualTo(523.0);
        assertThat(gen.changes).isEmpty();
        Audio.await(() -> node.counters().datagrams() == 1 + 8 + 50 + 1, "the marker handled"); // counted once handled
        PlayerCounters c = node.counters();
        assertThat(c.toneChanges()).isEqualTo(2);
        assertThat(c.dropped(RejectReason.NOT_A_NUMBER)).isEqualTo(2 + 50);
        assertThat(c.dropped(RejectReason.NEGATIVE)).isEqualTo(1);
        assertThat(c.dropped(RejectReason.OUT_OF_RANGE)).isEqualTo(1);
        assertThat(c.dropped(RejectReason.EMPTY)).isEqualTo(1);
        assertThat(c.dropped(RejectReason.NOT_ASCII)).isEqualTo(1);
        assertThat(c.dropped(RejectReason.TOO_LONG)).isEqualTo(2);
        assertThat(c.format()).contains("too-long=2").contains("dropped=58");
    }

    @Test
    void aFloodOfBadDatagramsIsLoggedOncePerReason() throws Exception {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(dev.concerto.player.core.PlayerCore.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            start(PlayerConfig.of(gen).withLoopbackEphemeral().withName("flooded"));
            for (int i = 0; i < 30; i++) { // few enough that loopback never drops any
                udp.send(node.localAddress(), "junk" + i);
                udp.send(node.localAddress(), "-" + i);
            }
            udp.send(node.localAddress(), "440");
            assertThat(gen.next()).isEqualTo(440.0);
            assertThat(node.counters().dropped()).isEqualTo(60);
            List<String> warnings = appender.list.stream()
                    .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
            assertThat(warnings).filteredOn(m -> m.contains("not-a-number")).hasSize(1);
            assertThat(warnings).filteredOn(m -> m.contains("negative")).hasSize(1);
            assertThat(warnings.get(0)).contains("flooded").contains("127.0.0.1:");
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void allowListIsRespected() throws Exception {
        start(PlayerConfig.of(gen).withLoopbackEphemeral().withAllow(AllowList.parse("203.0.113.0/24")));
        udp.send(node.localAddress(), "440");
        Audio.await(() -> node.counters().dropped(RejectReason.NOT_ALLOWED) == 1, "a not-allowed drop");
        assertThat(gen.changes).isEmpty();
        node.close();

        RecordingGenerator g2 = new RecordingGenerator();
        node = new PlayerNode(PlayerConfig.of(g2).withLoopbackEphemeral()
                .withAllow(AllowList.parse("198.51.100.0/24", "127.0.0.1/32"))).start();
        udp.send(node.localAddress(), "440");
        assertThat(g2.next()).isEqualTo(440.0);
        assertThat(node.counters().dropped()).isZero();
    }

    @Test
    void allowListParsing() {
        AllowList a = AllowList.parse("203.0.113.0/24", "::1", "fd00::/8");
        assertThat(a.allows(addr("203.0.113.77"))).isTrue();
        assertThat(a.allows(addr("203.0.114.1"))).isFalse();
        assertThat(a.allows(addr("::1"))).isTrue();
        assertThat(a.allows(addr("fd12::3"))).isTrue();
        assertThat(a.allows(addr("fe80::1"))).isFalse();
        assertThat(AllowList.anyone().allows(addr("8.8.8.8"))).isTrue();
        assertThatThrownBy(() -> AllowList.parse("203.0.113.0/33")).hasMessageContaining("203.0.113.0/33");
        assertThatThrownBy(() -> AllowList.parse("example.org")).hasMessageContaining("example.org");
    }

    @Test
    void watchdogSilencesASoundingToneOnTheInjectedClock() throws Exception {
        FakeClock clock = new FakeClock();
        start(PlayerConfig.of(gen).withLoopbackEphemeral().withWatchdogSeconds(1).withClock(clock));
        long received = PlayerNode.playerMicros(clock.nanoTime()); // the clock stands still until advanced
        udp.send(node.localAddress(), "440");
        assertThat(gen.next()).isEqualTo(440.0);
        // The cut is planned at the exact frame one watchdog interval after the news.
        String cut = "0@" + gen.frameAt((received + 1_000_000) * 1000);
        Audio.await(() -> gen.plan().equals(List.of(cut)), "the cut planned");
        clock.advanceSeconds(0.5);
        Thread.sleep(400); // a couple of receive timeouts: not yet
        assertThat(node.counters().watchdogSilences()).isZero();
        clock.advanceSeconds(1);
        Audio.await(() -> node.counters().watchdogSilences() == 1, "the watchdog counted");
        assertThat(gen.changes).isEmpty();
    }

    @Test
    void eventsFileHasPacketsAndTones() throws Exception {
        Path file = dir.resolve("events.jsonl");
        try (EventLog events = EventLog.open(file)) {
            start(PlayerConfig.of(gen).withLoopbackEphemeral().withEvents(events));
            udp.send(node.localAddress(), "440");
            udp.send(node.localAddress(), "x");
            udp.send(node.localAddress(), "0");
            assertThat(gen.next()).isEqualTo(440.0);
            assertThat(gen.next()).isZero();
            Audio.await(() -> node.counters().datagrams() == 3, "3 datagrams");
            node.close();
        }
        ObjectMapper m = new ObjectMapper();
        List<JsonNode> lines = Files.readAllLines(file).stream().map(l -> {
            try {
                return m.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).toList();
        List<JsonNode> packets = lines.stream().filter(n -> n.get("event").asText().equals("packet")).toList();
        List<JsonNode> tones = lines.stream().filter(n -> n.get("event").asText().equals("tone")).toList();
        assertThat(packets).hasSize(2);
        assertThat(packets.get(0).get("raw").asText()).isEqualTo("440");
        assertThat(packets.get(0).get("accepted").asBoolean()).isTrue();
        assertThat(packets.get(0).get("src").asText()).startsWith("127.0.0.1:");
        assertThat(packets.get(0).get("t_us").asLong()).isGreaterThan(1_600_000_000_000_000L); // epoch µs
        // Rejected datagrams: one line per reason and second, not one per datagram.
        List<JsonNode> rejected = lines.stream().filter(n -> n.get("event").asText().equals("rejected")).toList();
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0).get("reason").asText()).isEqualTo("not-a-number");
        assertThat(rejected.get(0).get("count").asLong()).isEqualTo(1);
        assertThat(rejected.get(0).get("example_raw").asText()).isEqualTo("x");
        assertThat(tones).extracting(n -> n.get("hz").asInt()).startsWith(440, 0);
        assertThat(tones.get(0).has("frame")).isTrue();
    }

    @Test
    void portInUseIsReportedByName() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = taken.getLocalPort();
            PlayerNode n = new PlayerNode(PlayerConfig.of(gen)
                    .withBind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
            assertThatThrownBy(n::start).isInstanceOf(PlayerBindException.class)
                    .hasMessageContaining("port " + port).hasMessageContaining("in use");
        }
    }

    @Test
    void closeStopsTheReceiveThreadAndSilences() throws Exception {
        start(PlayerConfig.of(gen).withLoopbackEphemeral().withName("closer"));
        udp.send(node.localAddress(), "440");
        assertThat(gen.next()).isEqualTo(440.0);
        node.close();
        assertThat(gen.next()).isZero();
        Audio.await(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("player-closer")), "receive thread ended");
    }

    private static InetAddress addr(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A clock the test moves by hand. */
    static final class FakeClock implements Clock {
        private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        void advanceSeconds(double s) {
            nanos.addAndGet((long) (s * 1e9));
        }

        @Override
        public long nanoTime() {
            return nanos.get();
        }

        @Override
        public long epochMicros() {
            return 1_700_000_000_000_000L + nanos.get() / 1000;
        }
    }
}
