package dev.concerto.director.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A sync exchange's {@code t1} from the sink's kernel send stamp ({@link DatagramSink#lastDepartureNanos()}):
 * used only for a reply to the last request and only when the stamp is that request's.
 */
class ClockSyncDepartureTest {

    /** A sink that keeps the last request and says what the test sets as its departure. */
    private static final class StampingSink implements DatagramSink {
        TimedMessage.SyncRequest last;
        long departure = NO_DEPARTURE;
        int stamped;

        @Override
        public boolean send(byte[] datagram, int length) {
            throw new AssertionError("a sync request goes out through sendStamped");
        }

        @Override
        public boolean sendStamped(byte[] datagram, int length) {
            stamped++;
            DecodeResult<TimedMessage> r = TimedCodec.decode(datagram, 0, length, null);
            last = (TimedMessage.SyncRequest) ((DecodeResult.Accepted<TimedMessage>) r).value();
            return true;
        }

        @Override
        public long lastDepartureNanos() {
            return departure;
        }
    }

    private static byte[] reply(TimedMessage.SyncRequest request, long t2, long t3) {
        return TimedCodec.encode(new TimedMessage.SyncReply(request.seq(), request.t1Micros(), t2, t3,
                List.of(TimedCodec.VERSION_TIMED_1)), null);
    }

    @Test
    void theKernelSendStampOfTheLastRequestIsItsT1() {
        StampingSink sink = new StampingSink();
        ClockSyncClient c = new ClockSyncClient(sink, TimedOptions.defaults(), 1, 0);
        c.sendRequest(1_000_000_000L);
        assertThat(sink.stamped).isEqualTo(1);
        sink.departure = 1_000_040_000L; // left 40 µs after the stamp in the request
        byte[] r = reply(sink.last, 1_000_070, 1_000_080);
        assertThat(c.onDatagram(r, r.length, 1_000_150_000L)).isTrue();
        assertThat(c.lastExchange().t1Micros()).isEqualTo(1_000_040);
        assertThat(c.kernelDepartureCount()).isEqualTo(1);
    }

    @Test
    void theOffsetIsFittedToTheKernelsStampsAndThePathJudgedByTheRoundTripTheThreadsSaw() {
        // The request left 40 µs after its stamp, crossed in 30 µs, and waited 2 ms in a busy player
        // before its reply (kernel-stamped t2, t3 at the reply's departure): the exchange's own round trip
        // is 110 µs, but a note sent to that player waits for its queue too.
        StampingSink sink = new StampingSink();
        ClockSyncClient c = new ClockSyncClient(sink, TimedOptions.defaults(), 1, 0);
        c.sendRequest(1_000_000_000L);
        sink.departure = 1_000_040_000L;
        byte[] r = reply(sink.last, 1_000_070, 1_002_070);
        assertThat(c.onDatagram(r, r.length, 1_002_150_000L)).isTrue();
        assertThat(c.lastExchange().rttMicros()).isEqualTo(110);
        assertThat(c.pathStatus().rttP50Micros()).isEqualTo(2_150);
        assertThat(c.estimate().rttMicros()).isEqualTo(2_150);
    }

    @Test
    void aT3ALittleLaterThanAZeroRoundTripAllowsIsTakenAsZeroAndMuchLaterIsRejected() {
        assertThat(SyncDepartures.t3Micros(1_000, 1_002, 1_010, 1_005)).isEqualTo(1_007); // rtt 0
        assertThat(SyncDepartures.t3Micros(1_000, 1_002, 1_006, 1_005)).isEqualTo(1_006); // rtt 1: as it is
        assertThat(SyncDepartures.t3Micros(1_000, 1_002, 1_007 + SyncDepartures.T3_TOLERANCE_MICROS + 1, 1_005))
                .isEqualTo(1_007 + SyncDepartures.T3_TOLERANCE_MICROS + 1);
        StampingSink sink = new StampingSink();
        ClockSyncClient c = new ClockSyncClient(sink, TimedOptions.defaults(), 1, 0);
        c.sendRequest(1_000_000_000L);
        byte[] r = reply(sink.last, 1_000_003, 1_000_020); // t3 estimated 15 µs too late: rtt -12 µs
        assertThat(c.onDatagram(r, r.length, 1_000_005_000L)).isTrue();
        assertThat(c.lastExchange().t3Micros()).isEqualTo(1_000_008);
        assertThat(c.rejectedCount()).isZero();
    }

    @Test
    void answersWithKernelDeparturesAreNotCountedLost() {
        StampingSink sink = new StampingSink();
        ClockSyncClient c = new ClockSyncClient(sink, TimedOptions.defaults(), 1, 0);
        for (int i = 0; i < 40; i++) {
            long sent = 1_000_000_000L + i * 100_000_000L;
            c.sendRequest(sent);
            sink.departure = sent + 40_000;
            long t1 = sent / 1000;
            byte[] r = reply(sink.last, t1 + 70, t1 + 80);
            assertThat(c.onDatagram(r, r.length, sent + 150_000)).isTrue();
        }
        assertThat(c.kernelDepartureCount()).isEqualTo(40);
        assertThat(c.pathStatus().lossPercent()).isZero(); // each reply matched its request, by the t1 it carried
    }

    @Test
    void withoutAStampOrWithAnEarlierRequestsStampTheRequestsOwnT1Stays() {
        StampingSink sink = new StampingSink();
        ClockSyncClient c = new ClockSyncClient(sink, TimedOptions.defaults(), 1, 0);
        c.sendRequest(1_000_000_000L);
        byte[] r = reply(sink.last, 1_000_070, 1_000_080); // no stamp known
        assertThat(c.onDatagram(r, r.length, 1_000_150_000L)).isTrue();
        assertThat(c.lastExchange().t1Micros()).isEqualTo(1_000_000);

        sink.departure = 1_000_040_000L; // the first request's stamp, still the newest read
        c.sendRequest(1_020_000_000L);
        r = reply(sink.last, 1_020_070, 1_020_080);
        assertThat(c.onDatagram(r, r.length, 1_020_150_000L)).isTrue();
        assertThat(c.lastExchange().t1Micros()).isEqualTo(1_020_000);

        // A reply to an older request while a newer one is out: the stamp is the newer one's.
        TimedMessage.SyncRequest older = sink.last;
        c.sendRequest(1_040_000_000L);
        sink.departure = 1_040_030_000L;
        r = reply(older, 1_020_070, 1_020_080);
        c.onDatagram(r, r.length, 1_040_100_000L); // a duplicate of an answered request: not used at all
        assertThat(c.kernelDepartureCount()).isZero();
        // A stamp after the reply arrived cannot be the request's.
        r = reply(sink.last, 1_040_070, 1_040_080);
        assertThat(c.onDatagram(r, r.length, 1_040_020_000L)).isTrue();
        assertThat(c.lastExchange().t1Micros()).isEqualTo(1_040_000);
        assertThat(c.kernelDepartureCount()).isZero();
    }
}
