package dev.concerto.player;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.player.core.PlayerCounters;
import dev.concerto.player.synth.Audio;
import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.RejectReason;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import java.net.DatagramPacket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timed protocol on a player: real UDP on loopback, a clock the test sets (the player's clock
 * is at 10 s = 10 000 000 µs unless moved) and a recording generator whose frame is
 * {@code nanoTime * 48 kHz}, so every scheduled frame is known exactly. No timing assertions.
 */
class TimedPlayerTest {

    static final long TEN_S = 10_000_000_000L;
    static final byte[] KEY = "0123456789abcdef-shared-key".getBytes(StandardCharsets.US_ASCII);

    final RecordingGenerator gen = new RecordingGenerator();
    final Audio.SteppedClock clock = new Audio.SteppedClock(TEN_S, 48_000);
    PlayerNode node;
    Udp udp;
    EventLog events;

    @TempDir
    Path dir;

    PlayerNode start(PlayerConfig config) throws Exception {
        gen.clock = clock;
        node = new PlayerNode(config.withLoopbackEphemeral().withClock(clock).withWatchdogSeconds(0)).start();
        udp = new Udp();
        udp.socket.setSoTimeout(10_000);
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
        if (events != null) {
            events.close();
        }
    }

    /** Sends and waits until the player has handled it. */
    void send(String text) throws Exception {
        long before = node.counters().datagrams();
        udp.send(node.localAddress(), text);
        Audio.await(() -> node.counters().datagrams() > before, "'" + text + "' handled");
    }

    void send(byte[] bytes) throws Exception {
        long before = node.counters().datagrams();
        udp.send(node.localAddress(), bytes);
        Audio.await(() -> node.counters().datagrams() > before, "datagram handled");
    }

    TimedMessage.SyncReply receiveReply(Authenticator auth) throws Exception {
        byte[] buf = new byte[256];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.socket.receive(p);
        DecodeResult<TimedMessage> r = TimedCodec.decode(buf, 0, p.getLength(), auth);
        assertThat(r).as(new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII))
                .isInstanceOf(DecodeResult.Accepted.class);
        return (TimedMessage.SyncReply) ((DecodeResult.Accepted<TimedMessage>) r).value();
    }

    @Test
    void answersASyncRequestFromItsSocketWithT1EchoedItsClockAndItsVersions() throws Exception {
        start(PlayerConfig.of(gen));
        udp.send(node.localAddress(), "S 7 123456\n");
        TimedMessage.SyncReply r = receiveReply(null);
        assertThat(r.seq()).isEqualTo(7);
        assertThat(r.t1Micros()).isEqualTo(123_456);
        assertThat(r.t2Micros()).isEqualTo(10_000_000); // the player's clock: nanoTime / 1000
        assertThat(r.t3Micros()).isGreaterThanOrEqualTo(r.t2Micros());
        assertThat(r.versions()).containsExactly("legacy", "timed/1");
        Audio.await(() -> node.counters().syncReplies() == 1, "the reply counted");
        assertThat(gen.changes).isEmpty();
        assertThat(gen.scheduled).isEmpty();
    }

    @Test
    void withAKeyRepliesAreSignedAndUnsignedOrForgedRequestsAreDroppedAndCounted() throws Exception {
        Authenticator auth = new Authenticator(KEY);
        start(PlayerConfig.of(gen).withAuth(auth));
        send("S 1 1000");                                                            // unsigned
        send(TimedCodec.encode(new TimedMessage.SyncRequest(2, 2000),
                new Authenticator("another-key-of-16-bytes".getBytes(StandardCharsets.US_ASCII)))); // wrong key
        send("S 3 3000 0badc0de 0123456789abcdef");                                  // made-up MAC
        udp.send(node.localAddress(), TimedCodec.encode(new TimedMessage.SyncRequest(4, 4000), auth));
        TimedMessage.SyncReply r = receiveReply(auth); // decodes only if the MAC is right
        assertThat(r.seq()).isEqualTo(4);              // the first reply: nothing answered the others
        assertThat(r.t1Micros()).isEqualTo(4000);
        PlayerCounters c = node.counters();
        assertThat(c.dropped(RejectReason.UNAUTHENTICATED)).isEqualTo(1);
        assertThat(c.dropped(RejectReason.FORGED)).isEqualTo(2);
        Audio.await(() -> node.counters().syncReplies() == 1, "one reply");
        // An unsigned reply would not decode with the key: the reply carried a valid MAC.
        assertThat(c.format()).contains("unauthenticated=1").contains("forged=2");
    }

    @Test
    void aToneStartsAtTheFrameOfItsTimeAndItsLeaseEndsIt() throws Exception {
        start(PlayerConfig.of(gen));
        send("T 1 10100000 440 100");
        // 10.1 s * 48 kHz = 484800; lease end 10.2 s = 489600
        assertThat(gen.plan()).containsExactly("440@484800", "0@489600");
        assertThat(node.counters().timedTones()).isEqualTo(1);
        assertThat(node.counters().late()).isZero();
        assertThat(gen.changes).isEmpty(); // nothing sounded at once
        assertThat(node.currentHz()).as("a future tone is not sounding yet").isZero();
    }

    @Test
    void aLaterMessageExtendsTheLeaseAndAnotherReplacesTheTone() throws Exception {
        start(PlayerConfig.of(gen));
        send("T 1 10100000 440 100");
        send("T 2 10150000 440 200");                 // resent before the lease ran out: extended to 10.35 s
        assertThat(gen.plan()).containsExactly("440@484800", "440@487200", "0@496800");
        send("T 3 10200000 261.626 100");             // a new note replaces it from 10.2 s
        assertThat(gen.plan()).containsExactly("440@484800", "440@487200", "261.626@489600", "0@494400");
        send("T 4 10400000 0 100");                   // an explicit silence after a gap
        assertThat(gen.plan()).containsExactly("440@484800", "440@487200", "261.626@489600", "0@494400",
                "0@499200", "0@504000");
    }

    @Test
    void duplicatesStaleLateAndExpiredAreCountedAndNeverSoundWrongly() throws Exception {
        events = EventLog.open(dir.resolve("ev.jsonl"));
        start(PlayerConfig.of(gen).withEvents(events));
        send("T 5 10100000 440 100");
        send("T 5 10100000 440 100");                 // a redundant copy
        send("T 3 10050000 330 100");                 // older, but still in the future: reordering tolerated
        assertThat(gen.plan()).containsExactly("330@482400", "440@484800", "0@489600");
        send("T 4 10200000 392 100");                 // older than 5, which starts earlier: could never sound
        clock.set(10_300_000_000L);                   // the player's clock moves to 10.3 s
        send("T 6 10250000 523 100");                 // start passed, lease not: late, played at once
        send("T 7 10100000 587 100");                 // lease ran out at 10.2 s: expired
        send("T 2 10400000 659 100");                 // older than what sounds now (6): stale
        assertThat(gen.plan()).containsExactly("330@482400", "440@484800", "0@489600", "523@494400", "0@496800");
        PlayerCounters c = node.counters();
        assertThat(c.timedTones()).isEqualTo(3);
        assertThat(c.late()).isEqualTo(1);
        assertThat(c.dropped(RejectReason.DUPLICATE)).isEqualTo(1);
        assertThat(c.dropped(RejectReason.STALE)).isEqualTo(2);
        assertThat(c.dropped(RejectReason.EXPIRED)).isEqualTo(1);
        assertThat(c.format()).contains("timed: tones=3 late=1").contains("duplicate=1 stale=2 expired=1");

        node.close(); // reports the rejections of the last second
        events.flush();
        List<JsonNode> lines = Files.readAllLines(dir.resolve("ev.jsonl")).stream().map(TimedPlayerTest::json).toList();
        List<JsonNode> packets = lines.stream().filter(n -> n.get("event").asText().equals("packet")).toList();
        assertThat(packets).allSatisfy(n -> assertThat(n.get("kind").asText()).isEqualTo("tone"));
        assertThat(packets).extracting(n -> n.get("seq").asLong() + (n.get("late").asBoolean() ? " late" : ""))
                .containsExactly("5", "3", "6 late");
        assertThat(packets.get(2).get("at_us").asLong()).isEqualTo(10_250_000);
        assertThat(packets.get(2).get("early_us").asLong()).isEqualTo(-50_000);
        // Rejections: one line per reason for the second they fell in.
        assertThat(lines).filteredOn(n -> n.get("event").asText().equals("rejected"))
                .extracting(n -> n.get("reason").asText() + "=" + n.get("count").asLong())
                .containsExactlyInAnyOrder("duplicate=1", "stale=2", "expired=1");
    }

    @Test
    void unsignedAndForgedTonesAreDroppedWithAKey() throws Exception {
        Authenticator auth = new Authenticator(KEY);
        start(PlayerConfig.of(gen).withAuth(auth));
        send("T 1 10100000 440 100");
        send(TimedCodec.encode(new TimedMessage.Tone(2, 10_100_000, 880_000, 100),
                new Authenticator("not-the-shared-key-at-all".getBytes(StandardCharsets.US_ASCII))));
        byte[] good = TimedCodec.encode(new TimedMessage.Tone(3, 10_100_000, 523_000, 100), auth);
        byte[] tampered = new String(good, StandardCharsets.US_ASCII).replace(" 523 ", " 524 ")
                .getBytes(StandardCharsets.US_ASCII);  // the frequency changed after signing
        send(tampered);
        send(good);
        assertThat(gen.plan()).containsExactly("523@484800", "0@489600");
        PlayerCounters c = node.counters();
        assertThat(c.dropped(RejectReason.UNAUTHENTICATED)).isEqualTo(1);
        assertThat(c.dropped(RejectReason.FORGED)).isEqualTo(2);
        assertThat(c.timedTones()).isEqualTo(1);
    }

    @Test
    void thePlainIntegerStillWorksOnTheSamePortAndTakesOver() throws Exception {
        start(PlayerConfig.of(gen));
        send("T 1 10100000 440 100");
        assertThat(gen.plan()).hasSize(2);
        udp.send(node.localAddress(), "262");
        assertThat(gen.next()).isEqualTo(262.0);
        Audio.await(() -> gen.plan().isEmpty(), "the timed changes withdrawn");
        send("Tuesday");                              // a letter that is no timed message: bad syntax
        send("T 1 2 3");                              // too few fields
        send("T 2 10100000 440 100 " + "x".repeat(60)); // longer than 64 bytes: dropped whole
        PlayerCounters c = node.counters();
        assertThat(c.dropped(RejectReason.BAD_SYNTAX)).isEqualTo(2);
        assertThat(c.dropped(RejectReason.TOO_LONG)).isEqualTo(1);
        assertThat(gen.plan()).isEmpty();
        assertThat(c.toneChanges()).isEqualTo(2);
    }

    @Test
    void eachSourceHasItsOwnSequenceNumbers() throws Exception {
        start(PlayerConfig.of(gen));
        send("T 100 10100000 440 100");
        try (Udp restarted = new Udp()) {             // a restarted director: a new socket, seq from 1
            long before = node.counters().datagrams();
            restarted.send(node.localAddress(), "T 1 10200000 330 100");
            Audio.await(() -> node.counters().datagrams() > before, "handled");
        }
        assertThat(node.counters().dropped(RejectReason.STALE)).isZero();
        assertThat(gen.plan()).containsExactly("330@489600", "0@494400"); // the newcomer took over
    }

    static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

}
