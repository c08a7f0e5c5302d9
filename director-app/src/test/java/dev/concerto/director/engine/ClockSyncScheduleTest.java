package dev.concerto.director.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a roster's clock-sync requests go out: rounds of at most 50 players, at most 1000 requests a second. */
class ClockSyncScheduleTest {

    @Test
    void aSmallRosterAsksEveryPlayerTogether() {
        // Up to 40 players (the budget allows each a request every 40 ms while settling): as one player.
        for (int p = 0; p < 40; p++) {
            assertThat(ClockSyncClient.Schedule.forRoster(40, p)).isEqualTo(ClockSyncClient.Schedule.SINGLE);
        }
        // 50 players: still one round, the fast requests every 50 ms.
        for (int p = 0; p < ClockSyncClient.MAX_ROUND_PLAYERS; p++) {
            assertThat(ClockSyncClient.Schedule.forRoster(ClockSyncClient.MAX_ROUND_PLAYERS, p))
                    .isEqualTo(new ClockSyncClient.Schedule(ClockSyncClient.INTERVAL_NANOS, 0, 0,
                            ClockSyncClient.SETTLE_INTERVAL_NANOS, 0, 50_000_000L));
        }
    }

    @Test
    void aThousandPlayersAreAskedInRoundsOfFiftyOnceASecond() {
        Map<Long, Integer> burstRounds = new HashMap<>();
        Map<Long, Integer> rounds = new HashMap<>();
        for (int p = 0; p < 1000; p++) {
            ClockSyncClient.Schedule s = ClockSyncClient.Schedule.forRoster(1000, p);
            assertThat(s.intervalNanos()).isEqualTo(1_000_000_000L);
            burstRounds.merge(s.burstPhaseNanos(), 1, Integer::sum);
            rounds.merge(s.phaseNanos(), 1, Integer::sum);
        }
        assertThat(rounds).hasSize(20).allSatisfy((phase, players) -> assertThat(players).isEqualTo(50));
        assertThat(burstRounds).hasSize(20);
        assertThat(rounds.keySet()).allSatisfy(phase -> assertThat(phase % 50_000_000L).isZero());
        assertThatThrownBy(() -> ClockSyncClient.Schedule.forRoster(10, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClientSendsItsBurstAtItsPhaseThenMovesToItsPlaceInTheInterval() {
        VirtualTime time = new VirtualTime();
        List<Long> sent = new ArrayList<>();
        long start = time.nanoTime();
        ClockSyncClient.Schedule schedule = new ClockSyncClient.Schedule(1_000_000_000L, 5_000_000L, 300_000_000L);
        ClockSyncClient c = new ClockSyncClient((d, n) -> sent.add(time.nanoTime() - start) , TimedOptions.defaults(), 1,
                start, true, schedule);
        for (int i = 0; i < ClockSyncClient.BURST + 2; i++) {
            time.advance(c.nextRequestNanos() - time.nanoTime());
            c.sendRequest(time.nanoTime());
        }
        assertThat(sent.get(0)).isEqualTo(5_000_000L);
        assertThat(sent.get(ClockSyncClient.BURST - 1))
                .isEqualTo(5_000_000L + (ClockSyncClient.BURST - 1) * ClockSyncClient.BURST_SPACING_NANOS);
        // The first request after the burst: the interval after the burst's last, moved to phase 300 ms.
        assertThat(sent.get(ClockSyncClient.BURST)).isEqualTo(sent.get(ClockSyncClient.BURST - 1) + 1_000_000_000L
                + 300_000_000L - 5_000_000L);
        assertThat(sent.get(ClockSyncClient.BURST + 1) - sent.get(ClockSyncClient.BURST)).isEqualTo(1_000_000_000L);
    }

    @Test
    void afterTheBurstAPlayerIsAskedEvery40MsThenEveryTenthOfASecondUntilSettledThenEveryHalfSecond() {
        VirtualTime time = new VirtualTime();
        List<Long> sent = new ArrayList<>();
        long start = time.nanoTime();
        ClockSyncClient c = new ClockSyncClient((d, n) -> sent.add(time.nanoTime() - start), TimedOptions.defaults(), 1,
                start, true, ClockSyncClient.Schedule.SINGLE);
        int fastEnd = ClockSyncClient.BURST + ClockSyncClient.FAST_REQUESTS;
        int settled = fastEnd + ClockSyncClient.SETTLE_REQUESTS;
        for (int i = 0; i < settled + 2; i++) {
            time.advance(c.nextRequestNanos() - time.nanoTime());
            c.sendRequest(time.nanoTime());
        }
        assertThat(sent.get(ClockSyncClient.BURST) - sent.get(ClockSyncClient.BURST - 1))
                .isEqualTo(ClockSyncClient.FAST_INTERVAL_NANOS);
        assertThat(sent.get(fastEnd - 1) - sent.get(fastEnd - 2)).isEqualTo(ClockSyncClient.FAST_INTERVAL_NANOS);
        assertThat(sent.get(fastEnd) - sent.get(fastEnd - 1)).isEqualTo(ClockSyncClient.SETTLE_INTERVAL_NANOS);
        assertThat(sent.get(settled - 1) - sent.get(settled - 2)).isEqualTo(ClockSyncClient.SETTLE_INTERVAL_NANOS);
        assertThat(sent.get(settled) - sent.get(settled - 1)).isEqualTo(ClockSyncClient.INTERVAL_NANOS);
        assertThat(sent.get(settled + 1) - sent.get(settled)).isEqualTo(ClockSyncClient.INTERVAL_NANOS);
    }

    @Test
    void onceSettledANoisyPathIsAskedEvery300MsAndACleanOneEveryHalfSecond() {
        assertThat(settledSpacing(200)).as("±0.1 ms").isEqualTo(ClockSyncClient.INTERVAL_NANOS);
        assertThat(settledSpacing(20_000)).as("±10 ms").isEqualTo(ClockSyncClient.NOISY_INTERVAL_NANOS);
    }

    /**
     * The space between the last two of three settled requests to a player whose every reply is
     * answered, each way 1 ms plus 0 or {@code jitterMicros} µs in turn.
     */
    private static long settledSpacing(long jitterMicros) {
        VirtualTime time = new VirtualTime();
        List<Long> sent = new ArrayList<>();
        List<byte[]> requests = new ArrayList<>();
        long start = time.nanoTime();
        ClockSyncClient c = new ClockSyncClient((d, n) -> {
            sent.add(time.nanoTime());
            return requests.add(java.util.Arrays.copyOf(d, n));
        }, TimedOptions.defaults(), 1, start, true, ClockSyncClient.Schedule.SINGLE);
        int settled = ClockSyncClient.BURST + ClockSyncClient.FAST_REQUESTS + ClockSyncClient.SETTLE_REQUESTS;
        for (int i = 0; i < settled + 3; i++) {
            time.advance(c.nextRequestNanos() - time.nanoTime());
            c.sendRequest(time.nanoTime());
            byte[] d = requests.get(i);
            var req = (dev.concerto.protocol.TimedMessage.SyncRequest)
                    ((dev.concerto.protocol.DecodeResult.Accepted<?>) dev.concerto.protocol.TimedCodec.decode(d, 0, d.length, null)).value();
            long way = 1_000 + (i % 2) * jitterMicros;
            byte[] reply = dev.concerto.protocol.TimedCodec.encode(new dev.concerto.protocol.TimedMessage.SyncReply(
                    req.seq(), req.t1Micros(), req.t1Micros() + way, req.t1Micros() + way + 10, List.of("timed/1")), null);
            assertThat(c.onDatagram(reply, reply.length, (req.t1Micros() + 2 * way + 10) * 1000)).isTrue();
        }
        return sent.get(settled + 2) - sent.get(settled + 1);
    }

    @Test
    void settlingKeepsTheRostersRequestBudget() {
        // 25 players: 40 fast requests a second each; 100 players: ten a second each is the budget; 400: every 400 ms;
        // 1,000: no faster than settled.
        assertThat(ClockSyncClient.Schedule.forRoster(25, 0).fastIntervalNanos()).isEqualTo(40_000_000L);
        assertThat(ClockSyncClient.Schedule.forRoster(100, 0).fastIntervalNanos()).isEqualTo(100_000_000L);
        assertThat(ClockSyncClient.Schedule.forRoster(100, 0).settleIntervalNanos()).isEqualTo(100_000_000L);
        assertThat(ClockSyncClient.Schedule.forRoster(400, 0).settleIntervalNanos()).isEqualTo(400_000_000L);
        ClockSyncClient.Schedule thousand = ClockSyncClient.Schedule.forRoster(1000, 7);
        assertThat(thousand.settleIntervalNanos()).isEqualTo(thousand.intervalNanos());
        assertThat(thousand.settlePhaseNanos()).isEqualTo(thousand.phaseNanos());
        for (int players : new int[] {1, 50, 100, 101, 400, 1000}) {
            for (int p = 0; p < players; p++) {
                ClockSyncClient.Schedule s = ClockSyncClient.Schedule.forRoster(players, p);
                assertThat(players * 1e9 / s.settleIntervalNanos()).as("%d players", players)
                        .isLessThanOrEqualTo(ClockSyncClient.MAX_ROSTER_REQUESTS_PER_SECOND);
                assertThat(players * 1e9 / s.fastIntervalNanos()).as("%d players, fast", players)
                        .isLessThanOrEqualTo(ClockSyncClient.MAX_ROSTER_REQUESTS_PER_SECOND);
                assertThat(players * 1e9 / s.noisyIntervalNanos()).as("%d noisy players", players)
                        .isLessThanOrEqualTo(ClockSyncClient.MAX_ROSTER_REQUESTS_PER_SECOND);
                assertThat(s.noisyIntervalNanos()).isBetween(ClockSyncClient.NOISY_INTERVAL_NANOS, s.intervalNanos());
            }
        }
    }
}
