package dev.concerto.player.stamp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The cmsg parsing on bytes laid out as the kernel writes them (64-bit Linux, little-endian). */
class ControlMessagesTest {

    private static final long T = 1_764_650_000_123_456_789L; // an epoch time, ns

    /** Control data under construction: cmsghdr (len, level, type) then data, each aligned to 8. */
    private static final class Cmsgs {
        final ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

        Cmsgs timespecs(int level, int type, long... nanos) {
            int start = b.position();
            b.putLong(16 + 16L * nanos.length).putInt(level).putInt(type);
            for (long n : nanos) {
                b.putLong(n / 1_000_000_000L).putLong(n % 1_000_000_000L);
            }
            b.position(start + align(16 + 16 * nanos.length));
            return this;
        }

        Cmsgs extendedError(int level, int type, int origin, int info, int data) {
            int start = b.position();
            b.putLong(16 + 16 + 16).putInt(level).putInt(type); // sock_extended_err + the offender's sockaddr_in
            b.putInt(42 /* ENOMSG */).put((byte) origin).put((byte) 0).put((byte) 0).put((byte) 0).putInt(info).putInt(data);
            b.position(start + align(48));
            return this;
        }

        int length() {
            return b.position();
        }

        private static int align(int n) {
            return (n + 7) & ~7;
        }
    }

    @Test
    void aReceiveStampIsTheFirstTimespecOfScmTimestamping() {
        Cmsgs c = new Cmsgs().timespecs(ControlMessages.SOL_SOCKET, ControlMessages.SCM_TIMESTAMPING, T, 0, 0);
        assertThat(ControlMessages.receiveStamp(c.b, c.length())).isEqualTo(T);
    }

    @Test
    void scmTimestampnsIsReadToo() {
        Cmsgs c = new Cmsgs().timespecs(ControlMessages.SOL_SOCKET, ControlMessages.SCM_TIMESTAMPNS, T);
        assertThat(ControlMessages.receiveStamp(c.b, c.length())).isEqualTo(T);
    }

    @Test
    void otherMessagesAreSkippedAndAZeroStampIsNone() {
        Cmsgs c = new Cmsgs().timespecs(ControlMessages.SOL_IP, 8 /* IP_PKTINFO-ish */, 5)
                .timespecs(ControlMessages.SOL_SOCKET, ControlMessages.SCM_TIMESTAMPING, T + 1, 0, 0);
        assertThat(ControlMessages.receiveStamp(c.b, c.length())).isEqualTo(T + 1);
        Cmsgs hardwareOnly = new Cmsgs().timespecs(ControlMessages.SOL_SOCKET, ControlMessages.SCM_TIMESTAMPING, 0, 0, T);
        assertThat(ControlMessages.receiveStamp(hardwareOnly.b, hardwareOnly.length())).isEqualTo(ControlMessages.NONE);
        assertThat(ControlMessages.receiveStamp(c.b, 0)).isEqualTo(ControlMessages.NONE);
    }

    @Test
    void truncatedOrMalformedControlDataNeverThrows() {
        Cmsgs c = new Cmsgs().timespecs(ControlMessages.SOL_SOCKET, ControlMessages.SCM_TIMESTAMPING, T, 0, 0);
        for (int cut = 0; cut < c.length(); cut++) {
            assertThat(ControlMessages.receiveStamp(c.b, cut)).isEqualTo(ControlMessages.NONE); // cut off: not believed
        }
        ByteBuffer garbage = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        garbage.putLong(0, 3); // a length below the header's
        assertThat(ControlMessages.receiveStamp(garbage, 64)).isEqualTo(ControlMessages.NONE);
        garbage.putLong(0, Long.MAX_VALUE);
        assertThat(ControlMessages.sendStamp(garbage, 64)).isNull();
        assertThat(ControlMessages.receiveStamp(garbage, 1_000)).isEqualTo(ControlMessages.NONE); // length past the buffer
    }

    @Test
    void aSendStampNeedsTheTimestampingReportThatNamesIt() {
        for (int level : new int[] {ControlMessages.SOL_IP, ControlMessages.SOL_IPV6}) {
            int type = level == ControlMessages.SOL_IP ? ControlMessages.IP_RECVERR : ControlMessages.IPV6_RECVERR;
            Cmsgs c = new Cmsgs().timespecs(ControlMessages.SOL_SOCKET, ControlMessages.SCM_TIMESTAMPING, T, 0, 0)
                    .extendedError(level, type, ControlMessages.SO_EE_ORIGIN_TIMESTAMPING, ControlMessages.SCM_TSTAMP_SND, 7);
            assertThat(ControlMessages.sendStamp(c.b, c.length())).isEqualTo(new ControlMessages.SendStamp(T, 7));
        }
        Cmsgs icmp = new Cmsgs().timespecs(ControlMessages.SOL_SOCKET, ControlMessages.SCM_TIMESTAMPING, T, 0, 0)
                .extendedError(ControlMessages.SOL_IP, ControlMessages.IP_RECVERR, 2 /* ICMP */, 0, 7);
        assertThat(ControlMessages.sendStamp(icmp.b, icmp.length())).isNull();
        Cmsgs scheduled = new Cmsgs().timespecs(ControlMessages.SOL_SOCKET, ControlMessages.SCM_TIMESTAMPING, T, 0, 0)
                .extendedError(ControlMessages.SOL_IP, ControlMessages.IP_RECVERR, ControlMessages.SO_EE_ORIGIN_TIMESTAMPING,
                        1 /* SCM_TSTAMP_SCHED */, 7);
        assertThat(ControlMessages.sendStamp(scheduled.b, scheduled.length())).isNull();
        Cmsgs noStamp = new Cmsgs().extendedError(ControlMessages.SOL_IP, ControlMessages.IP_RECVERR,
                ControlMessages.SO_EE_ORIGIN_TIMESTAMPING, ControlMessages.SCM_TSTAMP_SND, 7);
        assertThat(ControlMessages.sendStamp(noStamp.b, noStamp.length())).isNull();
    }

    @Test
    void theDatagramCounterIsUnsigned() {
        Cmsgs c = new Cmsgs().timespecs(ControlMessages.SOL_SOCKET, ControlMessages.SCM_TIMESTAMPING, T, 0, 0)
                .extendedError(ControlMessages.SOL_IP, ControlMessages.IP_RECVERR, ControlMessages.SO_EE_ORIGIN_TIMESTAMPING,
                        ControlMessages.SCM_TSTAMP_SND, -1);
        assertThat(ControlMessages.sendStamp(c.b, c.length()).id()).isEqualTo(0xffff_ffffL);
    }
}
