package dev.concerto.director.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlayerProbesTest {

    private static final long MS = 1_000_000;
    private static final PlayerProbes.Target BASS = new PlayerProbes.Target("bass", "127.0.0.1", 10001, true, "");
    private static final PlayerProbes.Target GONE = new PlayerProbes.Target("gone", "127.0.0.1", 10002, true, "");
    private static final PlayerProbes.Target ESP = new PlayerProbes.Target("esp", "127.0.0.1", 10003, false, "");
    private static final PlayerProbes.Target NOWHERE = new PlayerProbes.Target("nowhere", null, 10004, true,
            "host 'x.invalid' does not resolve");

    /** What each roster index's sink was handed, in order. */
    private final List<List<byte[]>> written = new ArrayList<>();

    private PlayerProbes probes(List<PlayerProbes.Target> targets) {
        for (int i = 0; i < targets.size(); i++) {
            written.add(new ArrayList<>());
        }
        return new PlayerProbes(targets, i -> (bytes, length) -> written.get(i).add(Arrays.copyOf(bytes, length)),
                TimedOptions.defaults(), 1, 0);
    }

    /** What a player 5 ms ahead of us answers, 200 µs each way. */
    private static byte[] reply(byte[] request) {
        TimedMessage.SyncRequest s = (TimedMessage.SyncRequest) ((DecodeResult.Accepted<TimedMessage>)
                TimedCodec.decode(request, null)).value();
        long t2 = s.t1Micros() + 200 + 5_000;
        return TimedCodec.encode(new TimedMessage.SyncReply(s.seq(), s.t1Micros(), t2, t2 + 10,
                List.of("legacy", "timed/1")), null);
    }

    @Test
    void everyTimedPlayerIsKnownWithinASecond() {
        PlayerProbes probes = probes(List.of(BASS, GONE, ESP, NOWHERE));
        assertThat(probes.sendDue(0)).isEqualTo(2);
        assertThat(written).extracting(List::size).containsExactly(1, 1, 0, 0);
        assertThat(probes.status(0)).extracting(PlayerProbe::state).containsExactly(PlayerProbe.State.CHECKING,
                PlayerProbe.State.CHECKING, PlayerProbe.State.CANNOT_KNOW, PlayerProbe.State.SILENT);
        byte[] answer = reply(written.get(0).get(0));
        assertThat(probes.onDatagram(0, answer, answer.length, 410_000)).isTrue();
        assertThat(probes.onDatagram(0, answer, answer.length, 410_000)).as("duplicate").isFalse();
        assertThat(probes.onDatagram(2, answer, answer.length, 410_000)).as("a player never asked").isFalse();
        PlayerProbe bass = probes.status(MS).get(0);
        assertThat(bass.state()).isEqualTo(PlayerProbe.State.REACHABLE);
        assertThat(bass.rttMicros()).isEqualTo(410); // the player's 10 µs turnaround included: a note waits for it too
        assertThat(bass.offsetMicros()).isEqualTo(5_000);
        assertThat(bass.protocols()).contains("timed/1");
        assertThat(bass.describe()).isEqualTo("reachable · RTT 0.4 ms · offset +5.0 ms");
        assertThat(probes.nextDecisionNanos(MS)).as("gone is still waited for").isEqualTo(PlayerProbes.DECIDE_AFTER_NANOS);
        assertThat(probes.nextDecisionNanos(PlayerProbes.DECIDE_AFTER_NANOS)).as("decided").isEqualTo(Long.MAX_VALUE);
        assertThat(probes.status(PlayerProbes.DECIDE_AFTER_NANOS - 1).get(1).state()).isEqualTo(PlayerProbe.State.CHECKING);
        assertThat(probes.status(PlayerProbes.DECIDE_AFTER_NANOS).get(1).state()).isEqualTo(PlayerProbe.State.SILENT);
        assertThat(probes.status(PlayerProbes.DECIDE_AFTER_NANOS)).as("every timed player known within 1 s")
                .extracting(PlayerProbe::state).doesNotContain(PlayerProbe.State.CHECKING);
        assertThat(probes.status(1_000 * MS).get(3).describe()).contains("does not resolve");
        assertThat(probes.status(1_000 * MS).get(2).describe()).startsWith("cannot be known");
        assertThat(probes.status(3_001 * MS).get(0).state()).as("stopped answering").isEqualTo(PlayerProbe.State.SILENT);
        assertThat(probes.status(3_001 * MS).get(0).describe()).isEqualTo("silent (no answer for 3 s)");
    }

    @Test
    void theOutputLatencyAPlayerStatesIsShownAndIsNotAProtocol() {
        PlayerProbes probes = probes(List.of(BASS));
        probes.sendDue(0);
        TimedMessage.SyncRequest s = (TimedMessage.SyncRequest) ((DecodeResult.Accepted<TimedMessage>)
                TimedCodec.decode(written.get(0).get(0), null)).value();
        byte[] answer = TimedCodec.encode(new TimedMessage.SyncReply(s.seq(), s.t1Micros(), s.t1Micros() + 5_200,
                s.t1Micros() + 5_210, List.of("legacy", "timed/1", "output-ms/16.1")), null);
        assertThat(probes.onDatagram(0, answer, answer.length, 410_000)).isTrue();
        PlayerProbe bass = probes.status(MS).get(0);
        assertThat(bass.outputLatencyMs()).isEqualTo(16.1);
        assertThat(bass.protocols()).containsExactly("legacy", "timed/1");
        assertThat(bass.describe()).isEqualTo("reachable · RTT 0.4 ms · offset +5.0 ms · output 16.1 ms");
        assertThat(bass.versions("0.1.0")).isEqualTo("0.1.0 · legacy,timed/1");
    }

    @Test
    void aKeyedPlayerIsAskedWithSignedRequestsAndOnlyItsSignedRepliesCount() {
        dev.concerto.protocol.Authenticator key = new dev.concerto.protocol.Authenticator(
                "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        written.add(new ArrayList<>());
        PlayerProbes probes = new PlayerProbes(List.of(BASS), i -> (bytes, length) -> written.get(i).add(
                Arrays.copyOf(bytes, length)), TimedOptions.defaults().withAuthenticator(key), 1, 0);
        probes.sendDue(0);
        byte[] request = written.get(0).get(0);
        assertThat(TimedCodec.decode(request, key)).as("signed as the engine signs").isInstanceOf(DecodeResult.Accepted.class);
        TimedMessage.SyncRequest s = (TimedMessage.SyncRequest) ((DecodeResult.Accepted<TimedMessage>)
                TimedCodec.decode(request, key)).value();
        TimedMessage.SyncReply answer = new TimedMessage.SyncReply(s.seq(), s.t1Micros(), s.t1Micros() + 300,
                s.t1Micros() + 310, List.of("legacy", "timed/1"));
        byte[] unsigned = TimedCodec.encode(answer, null);
        assertThat(probes.onDatagram(0, unsigned, unsigned.length, 500_000)).as("an unsigned reply").isFalse();
        byte[] signed = TimedCodec.encode(answer, key);
        assertThat(probes.onDatagram(0, signed, signed.length, 500_000)).isTrue();
        assertThat(probes.status(MS).get(0).state()).isEqualTo(PlayerProbe.State.REACHABLE);
    }

    @Test
    void requestsFollowTheEnginesClockSyncTiming() {
        PlayerProbes probes = probes(List.of(BASS));
        long t = 0;
        for (int i = 0; i < ClockSyncClient.BURST; i++) {
            assertThat(probes.sendDue(t)).isEqualTo(1);
            t = probes.nextDueNanos();
        }
        assertThat(t).isEqualTo((ClockSyncClient.BURST - 1) * ClockSyncClient.BURST_SPACING_NANOS
                + ClockSyncClient.FAST_INTERVAL_NANOS);
        assertThat(probes.sendDue(t - 1)).isZero();
        assertThat(written.get(0)).hasSize(ClockSyncClient.BURST);
    }

    @Test
    void nobodyToAskIsNeverDue() {
        PlayerProbes probes = probes(List.of(ESP, NOWHERE));
        assertThat(probes.nextDueNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(probes.sendDue(Long.MAX_VALUE)).isZero();
    }
}
