package dev.concerto.player.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JoinScheduleTest {

    private static final long MS = 1_000_000;

    @Test
    void retriesWithBackoffUntilAcknowledgedThenRefreshesEveryThirdOfTheTtl() {
        JoinSchedule s = new JoinSchedule(6, 100, 0);
        assertThat(s.nextSendNanos()).isZero();
        assertThat(s.send(0)).isEqualTo(100);
        assertThat(s.nextSendNanos()).isEqualTo(250 * MS);
        assertThat(s.send(250 * MS)).isEqualTo(101);
        assertThat(s.nextSendNanos()).isEqualTo(750 * MS);
        s.send(750 * MS);
        s.send(1_750 * MS);
        assertThat(s.nextSendNanos()).as("capped").isEqualTo(3_750 * MS);
        assertThat(s.joined(2_000 * MS)).isFalse();
        assertThat(s.onAck(999, 2_000 * MS)).as("not ours").isFalse();
        assertThat(s.onAck(103, 1_760 * MS)).isTrue();
        assertThat(s.joined(1_760 * MS)).isTrue();
        assertThat(s.nextSendNanos()).isEqualTo(1_750 * MS + 2_000 * MS);
        s.send(3_750 * MS);
        assertThat(s.nextSendNanos()).as("backoff restarts after an ack").isEqualTo(4_000 * MS);
        assertThat(s.joined(7_759 * MS)).isTrue();
        assertThat(s.joined(7_760 * MS)).as("no ack for a whole ttl").isFalse();
    }

    @Test
    void sequenceNumbersWrap() {
        JoinSchedule s = new JoinSchedule(6, 0xFFFF_FFFFL, 0);
        assertThat(s.send(0)).isEqualTo(0xFFFF_FFFFL);
        assertThat(s.send(1)).isZero();
    }
}
