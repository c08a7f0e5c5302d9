package dev.concerto.director.live;

import static dev.concerto.director.live.OscTestPackets.bundle;
import static dev.concerto.director.live.OscTestPackets.bytes;
import static dev.concerto.director.live.OscTestPackets.message;
import static dev.concerto.director.live.OscTestPackets.tagAtEpochMicros;
import static org.assertj.core.api.Assertions.assertThat;

import com.illposed.osc.argument.OSCTimeTag64;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OscInboxTest {

    private static final long NOW_NANOS = 5_000_000_000L;
    private static final long NOW_EPOCH_MICROS = 1_780_000_000_000_000L;
    private static final int FUZZED = 8_000;
    private final OscInbox inbox = new OscInbox(60_000_000_000L);

    private OscInbox.Result read(byte[] b) {
        return inbox.read(ByteBuffer.wrap(b), NOW_NANOS, NOW_EPOCH_MICROS);
    }

    private List<OscCommand> commands(byte[] b) {
        return read(b).commands().stream().map(OscInbox.Scheduled::command).toList();
    }

    @Test
    void everyAddressOfTheSpace() {
        assertThat(commands(bytes(message("/concerto/play")))).containsExactly(new OscCommand.Play());
        assertThat(commands(bytes(message("/concerto/pause")))).containsExactly(new OscCommand.Pause());
        assertThat(commands(bytes(message("/concerto/stop")))).containsExactly(new OscCommand.Stop());
        assertThat(commands(bytes(message("/concerto/panic")))).containsExactly(new OscCommand.Panic());
        assertThat(commands(bytes(message("/concerto/seek", 12)))).containsExactly(new OscCommand.Seek(12));
        assertThat(commands(bytes(message("/concerto/seek", 12.0f)))).containsExactly(new OscCommand.Seek(12));
        assertThat(commands(bytes(message("/concerto/tempo", 96.5f)))).containsExactly(new OscCommand.Tempo(96.5));
        assertThat(commands(bytes(message("/concerto/tempo", 96)))).containsExactly(new OscCommand.Tempo(96));
        assertThat(commands(bytes(message("/concerto/loop", 3, 8)))).containsExactly(new OscCommand.Loop(3, 8));
        assertThat(commands(bytes(message("/concerto/loop", 0, 0)))).containsExactly(new OscCommand.Loop(0, 0));
        assertThat(commands(bytes(message("/concerto/note", "bass", 110.0f, 0.5f))))
                .containsExactly(new OscCommand.Note("bass", 110, 0.5));
        assertThat(commands(bytes(message("/concerto/voice/tenor/hz", 261.63f))))
                .containsExactly(new OscCommand.VoiceHz("tenor", 261.63f));
        assertThat(commands(bytes(message("/concerto/subscribe", "127.0.0.1", 9001))))
                .containsExactly(new OscCommand.Subscribe("127.0.0.1", 9001));
        assertThat(commands(bytes(message("/concerto/unsubscribe", "127.0.0.1", 9001))))
                .containsExactly(new OscCommand.Unsubscribe("127.0.0.1", 9001));
        assertThat(commands(bytes(message("/concerto/load", "canon.json")))).containsExactly(new OscCommand.Load("canon.json"));
        assertThat(inbox.refusedCount()).isZero();
    }

    @Test
    void wrongArgumentsAndRangesAreRefusedAndCountedByReason() {
        assertThat(commands(bytes(message("/concerto/tempo")))).isEmpty();
        assertThat(commands(bytes(message("/concerto/tempo", "fast")))).isEmpty();
        assertThat(commands(bytes(message("/concerto/tempo", 0)))).isEmpty();
        assertThat(commands(bytes(message("/concerto/note", "bass", 30_000f, 1f)))).isEmpty();
        assertThat(commands(bytes(message("/concerto/note", "bass", Float.NaN, 1f)))).isEmpty();
        assertThat(commands(bytes(message("/concerto/seek", 2.5f)))).isEmpty();
        assertThat(commands(bytes(message("/concerto/loop", 8, 3)))).isEmpty();
        assertThat(commands(bytes(message("/concerto/subscribe", "127.0.0.1", 70_000)))).isEmpty();
        assertThat(commands(bytes(message("/other/play")))).isEmpty();
        assertThat(inbox.problemCounts()).containsEntry(OscInbox.Problem.BAD_ARGUMENTS, 3L)
                .containsEntry(OscInbox.Problem.OUT_OF_RANGE, 5L).containsEntry(OscInbox.Problem.UNKNOWN_ADDRESS, 1L);
        assertThat(read(bytes(message("/concerto/tempo", 0))).problems()).singleElement().asString().contains("1..2000");
    }

    @Test
    void aBundleIsDueAtItsTimeTagOnTheDirectorsClock() {
        long ahead = 250_000; // µs
        byte[] b = bytes(bundle(tagAtEpochMicros(NOW_EPOCH_MICROS + ahead), message("/concerto/note", "bass", 110f, 1f),
                message("/concerto/note", "tenor", 220f, 1f)));
        OscInbox.Result r = read(b);
        assertThat(r.commands()).hasSize(2).allSatisfy(s -> {
            assertThat(s.dueNanos()).isEqualTo(NOW_NANOS + ahead * 1000);
            assertThat(s.timed()).isTrue();
        });
        assertThat(inbox.lateCount()).isZero();
    }

    @Test
    void immediatelyAndPlainMessagesAreDueNowALateBundleNowAndCounted() {
        OscInbox.Scheduled now = read(bytes(bundle(OSCTimeTag64.IMMEDIATE, message("/concerto/play")))).commands().get(0);
        assertThat(now).isEqualTo(new OscInbox.Scheduled(new OscCommand.Play(), NOW_NANOS, false));
        OscInbox.Scheduled late = read(bytes(bundle(tagAtEpochMicros(NOW_EPOCH_MICROS - 40_000), message("/concerto/stop"))))
                .commands().get(0);
        assertThat(late).isEqualTo(new OscInbox.Scheduled(new OscCommand.Stop(), NOW_NANOS, false));
        assertThat(inbox.lateCount()).isEqualTo(1);
    }

    @Test
    void nestedBundlesAreNeverEarlierThanTheirParentAndDepthIsBounded() {
        long outer = NOW_EPOCH_MICROS + 500_000;
        byte[] b = bytes(bundle(tagAtEpochMicros(outer), message("/concerto/play"),
                bundle(tagAtEpochMicros(outer - 100_000), message("/concerto/stop")),
                bundle(tagAtEpochMicros(outer + 100_000), message("/concerto/pause"))));
        List<OscInbox.Scheduled> s = read(b).commands();
        assertThat(s).extracting(OscInbox.Scheduled::dueNanos)
                .containsExactly(NOW_NANOS + 500_000_000L, NOW_NANOS + 500_000_000L, NOW_NANOS + 600_000_000L);
        com.illposed.osc.OSCPacket deep = message("/concerto/play");
        for (int i = 0; i < OscInbox.MAX_DEPTH + 2; i++) {
            deep = bundle(OSCTimeTag64.IMMEDIATE, deep);
        }
        assertThat(read(bytes(deep)).commands()).isEmpty();
        assertThat(inbox.problemCounts()).containsEntry(OscInbox.Problem.NESTED_TOO_DEEP, 1L);
    }

    @Test
    void aTagTooFarAheadIsRefused() {
        assertThat(read(bytes(bundle(tagAtEpochMicros(NOW_EPOCH_MICROS + 3_600_000_000L), message("/concerto/play"))))
                .commands()).isEmpty();
        assertThat(inbox.problemCounts()).containsEntry(OscInbox.Problem.TOO_FAR_AHEAD, 1L);
    }

    @Test
    void fuzzedDatagramsNeverThrowAndAreCounted() {
        Random random = new Random(7);
        List<byte[]> seeds = List.of(bytes(message("/concerto/note", "bass", 110f, 0.5f)),
                bytes(bundle(tagAtEpochMicros(NOW_EPOCH_MICROS + 1000), message("/concerto/tempo", 90f),
                        message("/concerto/voice/a/hz", 440f))), bytes(message("/concerto/subscribe", "127.0.0.1", 9000)));
        int n = 0;
        for (int i = 0; i < FUZZED; i++) {
            byte[] seed = seeds.get(i % seeds.size());
            byte[] b;
            switch (i % 4) {
                case 0 -> { // truncated
                    b = java.util.Arrays.copyOf(seed, random.nextInt(seed.length));
                }
                case 1 -> { // bit flips
                    b = seed.clone();
                    for (int k = 0; k < 1 + random.nextInt(4); k++) {
                        b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 2 -> { // random bytes, sometimes with a plausible start
                    b = new byte[random.nextInt(200)];
                    random.nextBytes(b);
                    if (b.length > 8 && random.nextBoolean()) {
                        System.arraycopy("#bundle\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, b, 0, 8);
                    }
                }
                default -> { // a huge length or count in an argument
                    b = seed.clone();
                    int at = random.nextInt(Math.max(1, b.length - 4)) & ~3;
                    b[at] = (byte) 0x7f;
                    b[at + 1] = (byte) 0xff;
                }
            }
            OscInbox.Result r = read(b);
            n += r.commands().size() + r.problems().size() > 0 ? 1 : 0;
            for (OscInbox.Scheduled s : r.commands()) {
                assertThat(s.dueNanos()).isGreaterThanOrEqualTo(NOW_NANOS);
                if (s.command() instanceof OscCommand.Note note) {
                    assertThat(note.hz()).isBetween(0.0, 20_000.0);
                }
            }
        }
        assertThat(inbox.datagramCount()).isEqualTo(FUZZED);
        assertThat(inbox.problemCounts().get(OscInbox.Problem.MALFORMED)).isGreaterThan(FUZZED / 4);
        assertThat(n).isPositive();
    }
}
