package dev.concerto.director.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlayerProbesTest {

    private static final long MS = 1_000_000;
    private static final PlayerProbes.Target BASS = new PlayerProbes.Target("bass", "127.0.0.1", 10001, true, "");
    private static final PlayerProbes.Target GONE = new PlayerProbes.Target("gone", "127.0.0.1", 10002, true, "");
    private static final PlayerProbes.Target ESP = new PlayerProbes.Target("esp", "127.0.0.1", 10003, false, "");
    private static final PlayerProbes.Target NOWHERE = new PlayerProbes.Target("nowhere", null, 10004, true,
            "host 'x.invalid' does not resolve");

    /** What a player 5 ms ahead of us answers, 200 µs each way. */
    private static byte[] reply(PlayerProbes.Request r) {
        TimedMessage.SyncRequest s = (TimedMessage.SyncRequest) ((DecodeResult.Accepted<TimedMessage>)
                TimedCodec.decode(r.datagram(), null)).value();
        long t2 = s.t1Micros() + 200 + 5_000;
        return TimedCodec.encode(new TimedMessage.SyncReply(s.seq(), s.t1Micros(), t2, t2 + 10,
                List.of("legacy", "timed/1")), null);
    }

    @Test
    void everyTimedPlayerIsKnownWithinASecond() {
        PlayerProbes probes = new PlayerProbes(List.of(BASS, GONE, ESP, NOWHERE), null, 1, 0);
        List<PlayerProbes.Request> first = probes.due(0);
        assertThat(first).extracting(r -> r.target().name()).containsExactly("bass", "gone");
        assertThat(probes.status(0)).extracting(PlayerProbe::state).containsExactly(PlayerProbe.State.CHECKING,
                PlayerProbe.State.CHECKING, PlayerProbe.State.CANNOT_KNOW, PlayerProbe.State.SILENT);
        byte[] answer = reply(first.get(0));
        assertThat(probes.onDatagram(answer, answer.length, "127.0.0.1", 10001, 410_000)).isTrue();
        assertThat(probes.onDatagram(answer, answer.length, "127.0.0.1", 10001, 410_000)).as("duplicate").isFalse();
        assertThat(probes.onDatagram(answer, answer.length, "127.0.0.1", 10002, 410_000)).as("wrong source").isFalse();
        PlayerProbe bass = probes.status(MS).get(0);
        assertThat(bass.state()).isEqualTo(PlayerProbe.State.REACHABLE);
        assertThat(bass.rttMicros()).isEqualTo(400);
        assertThat(bass.offsetMicros()).isEqualTo(5_000);
        assertThat(bass.protocols()).contains("timed/1");
        assertThat(bass.describe()).isEqualTo("reachable · RTT 0.4 ms · offset +5.0 ms");
        assertThat(probes.status(999 * MS).get(1).state()).isEqualTo(PlayerProbe.State.CHECKING);
        assertThat(probes.status(1_000 * MS).get(1).state()).isEqualTo(PlayerProbe.State.SILENT);
        assertThat(probes.status(1_000 * MS).get(3).describe()).contains("does not resolve");
        assertThat(probes.status(1_000 * MS).get(2).describe()).startsWith("cannot be known");
        assertThat(probes.status(3_001 * MS).get(0).state()).as("stopped answering").isEqualTo(PlayerProbe.State.SILENT);
    }

    @Test
    void aBurstThenOneRequestEveryHalfSecond() {
        PlayerProbes probes = new PlayerProbes(List.of(BASS), null, 1, 0);
        long t = 0;
        for (int i = 0; i < PlayerProbes.BURST; i++) {
            assertThat(probes.due(t)).hasSize(1);
            t = probes.nextDueNanos();
        }
        assertThat(t).isEqualTo(3 * 50 * MS + 500 * MS);
        assertThat(probes.due(t - 1)).isEmpty();
    }
}
