package dev.concerto.player.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.player.PlayerNode;
import dev.concerto.player.synth.Audio;
import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.RejectReason;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile neighbour on loopback (issue 18): a real player ({@code concerto player}, in this JVM)
 * with {@code --key-file} or {@code --allow}, a director socket, and a stranger's socket that sends
 * 10,000 datagrams — replays of the director's signed messages and random signed-looking ones, or
 * anything at all from 127.0.0.2. What sounds is read from the player's events file (the tone
 * changes its generator applied). Every datagram goes to 127.0.0.1; loops are bounded.
 */
class StrangerLoopbackTest {

    static final int FLOOD = 10_000;

    @TempDir
    Path dir;

    final PlayerMain main = new PlayerMain();
    final ExecutorService ex = Executors.newSingleThreadExecutor();
    Future<PlayerMainTest.Run> run;

    @AfterEach
    void stop() throws Exception {
        main.stop.countDown();
        if (run != null) {
            run.get(20, TimeUnit.SECONDS);
        }
        ex.shutdownNow();
    }

    PlayerNode start(String... args) throws Exception {
        run = ex.submit(() -> PlayerMainTest.run(main, args));
        Audio.await(() -> main.node != null || run.isDone(), "the player to listen");
        assertThat(run.isDone()).as("player exited early").isFalse();
        return main.node;
    }

    static DatagramSocket socket(String host) throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0));
        s.setSoTimeout(10_000);
        return s;
    }

    static void send(DatagramSocket s, InetSocketAddress to, byte[] b) throws Exception {
        assertThat(to.getAddress().isLoopbackAddress()).isTrue();
        s.send(new DatagramPacket(b, b.length, to));
    }

    /**
     * Sends a sync from the director and waits for its answer: everything sent before it was handled.
     * Resent (bounded) if the flood made the kernel drop it or its answer: that is not what is tested.
     */
    static void barrier(DatagramSocket director, InetSocketAddress to, Authenticator auth, long seq) throws Exception {
        byte[] buf = new byte[256];
        director.setSoTimeout(1_000);
        for (int attempt = 0; attempt < 30; attempt++) {
            send(director, to, TimedCodec.encode(new TimedMessage.SyncRequest(seq, seq), auth));
            try {
                while (true) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    director.receive(p);
                    if (TimedCodec.decode(buf, 0, p.getLength(), auth) instanceof dev.concerto.protocol.DecodeResult
                            .Accepted<TimedMessage> a && a.value() instanceof TimedMessage.SyncReply r && r.seq() == seq) {
                        return;
                    }
                }
            } catch (java.net.SocketTimeoutException e) {
                // not answered within a second: send it again
            }
        }
        throw new AssertionError("the player never answered sync " + seq);
    }

    List<String> applied(Path events) throws Exception {
        ObjectMapper m = new ObjectMapper();
        return Files.readAllLines(events).stream().map(l -> {
            try {
                return m.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).filter(n -> n.get("event").asText().equals("tone"))
                .map(n -> n.get("cause").asText() + (n.has("seq") ? " " + n.get("seq").asLong() : "") + " "
                        + n.get("hz").asText())
                .toList();
    }

    @Test
    void withAKeyReplaysAndSignedLookingMessagesFromAnotherPortChangeNothing() throws Exception {
        byte[] key = "a shared key of more than 16 bytes".getBytes(StandardCharsets.US_ASCII);
        Path keyFile = Files.write(dir.resolve("concerto.key"), key);
        Path events = dir.resolve("keyed.jsonl");
        PlayerNode node = start("--bind", "127.0.0.1:0", "--synth", "null", "--watchdog", "0",
                "--key-file", keyFile.toString(), "--events", events.toString());
        InetSocketAddress to = node.localAddress();
        Authenticator director = new Authenticator(key);
        try (DatagramSocket d = socket("127.0.0.1"); DatagramSocket stranger = socket("127.0.0.1")) {
            long now = PlayerNode.playerMicros(System.nanoTime());
            byte[] first = TimedCodec.encode(new TimedMessage.Tone(1, now + 300_000, 440_000, 2000), director);
            byte[] second = TimedCodec.encode(new TimedMessage.Tone(2, now + 600_000, 523_251, 1500), director);
            send(d, to, first);
            send(d, to, second);
            barrier(d, to, director, 100);
            assertThat(node.counters().timedTones()).isEqualTo(2);

            Random r = new Random(18);
            Authenticator otherKey = new Authenticator("not the key this player holds".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < FLOOD; i++) {
                byte[] b;
                switch (i % 4) {
                    case 0 -> b = (i / 4) % 2 == 0 ? first : second;       // replays, from another port
                    case 1 -> {                                          // signed-looking: random signer and MAC
                        String body = "T " + (3 + r.nextInt(1000)) + " " + (now + r.nextInt(2_000_000)) + " "
                                + (1 + r.nextInt(2000)) + " " + (1 + r.nextInt(2000)) + " "
                                + String.format("%08x", r.nextInt()) + " " + HexFormat.of().formatHex(randomBytes(r, 8));
                        b = body.getBytes(StandardCharsets.US_ASCII);
                    }
                    case 2 -> b = TimedCodec.encode(new TimedMessage.Tone(3 + r.nextInt(1000),
                            now + r.nextInt(2_000_000), 880_000, 2000), otherKey);  // signed with another key
                    default -> b = (r.nextBoolean() ? "880" : "T 9 " + now + " 880 2000").getBytes(StandardCharsets.US_ASCII);
                }
                send(stranger, to, b);
                if (i % 500 == 499) {
                    Thread.sleep(2); // let the player keep up: the point is what it does, not the kernel's buffer
                }
            }
            barrier(d, to, director, 101);
            Audio.await(() -> {
                try {
                    return applied(events).size() >= 3;
                } catch (Exception e) {
                    return false;
                }
            }, "both notes and the lease end applied");
            var c = node.counters();
            assertThat(c.timedTones()).as("only the director's two notes were accepted").isEqualTo(2);
            assertThat(c.toneChanges()).isEqualTo(2);
            assertThat(c.dropped(RejectReason.DUPLICATE)).isPositive();
            assertThat(c.dropped(RejectReason.FORGED)).isPositive();
            assertThat(c.dropped(RejectReason.UNAUTHENTICATED)).isPositive();
            assertThat(c.dropped()).isLessThanOrEqualTo(FLOOD);
        }
        main.stop.countDown();
        run.get(20, TimeUnit.SECONDS);
        assertThat(applied(events)).containsExactly("start 1 440", "start 2 523.251", "lease-end 2 0", "stop 0");
    }

    @Test
    void withAnAllowListTrafficFrom127002ChangesNothing() throws Exception {
        Path events = dir.resolve("allow.jsonl");
        PlayerNode node = start("--bind", "127.0.0.1:0", "--synth", "null", "--watchdog", "0",
                "--allow", "127.0.0.1", "--events", events.toString());
        InetSocketAddress to = node.localAddress();
        try (DatagramSocket d = socket("127.0.0.1"); DatagramSocket stranger = socket("127.0.0.2")) {
            send(d, to, "440".getBytes(StandardCharsets.US_ASCII));
            barrier(d, to, null, 1);
            long now = PlayerNode.playerMicros(System.nanoTime());
            for (int i = 0; i < FLOOD; i++) {
                String s = switch (i % 4) {
                    case 0 -> "0";
                    case 1 -> Integer.toString(100 + i % 1000);
                    case 2 -> "T " + (1_000_000 + i) + " " + (now + 100_000) + " 880 2000";
                    default -> "S " + i + " 1";
                };
                send(stranger, to, s.getBytes(StandardCharsets.US_ASCII));
                if (i % 500 == 499) {
                    Thread.sleep(2);
                }
            }
            barrier(d, to, null, 2);
            var c = node.counters();
            assertThat(c.toneChanges()).isEqualTo(1);
            assertThat(c.syncReplies()).isPositive();                   // the director's barriers only
            assertThat(c.dropped(RejectReason.NOT_ALLOWED)).isPositive().isEqualTo(c.dropped());
            assertThat(node.currentHz()).isEqualTo(440);
        }
        main.stop.countDown();
        run.get(20, TimeUnit.SECONDS);
        assertThat(applied(events)).containsExactly("plain 440", "stop 0");
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
