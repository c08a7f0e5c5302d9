package dev.concerto.director.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.illposed.osc.argument.OSCTimeTag64;
import java.util.Date;
import org.junit.jupiter.api.Test;

class NtpTimeTest {

    @Test
    void theNtpOriginIs1900AsLibloAndSuperColliderHaveIt() {
        // 2026-12-01T00:00:00Z = 1,796,083,200 s since 1970 = 4,005,072,000 s since 1900
        long micros = 1_796_083_200_000_000L + 250_000;
        OSCTimeTag64 tag = NtpTime.tag(micros);
        assertThat(tag.getNtpTime() >>> 32).isEqualTo(4_005_072_000L);
        assertThat(tag.getNtpTime() & 0xffff_ffffL).isEqualTo(1L << 30); // a quarter second
        assertThat(NtpTime.epochMicros(tag, micros)).isEqualTo(micros);
        // JavaOSC 0.8's own conversions are off: valueOf(Date) by an hour, valueOf(Instant) by far more
        assertThat(OSCTimeTag64.valueOf(new Date(micros / 1000)).getNtpTime() >>> 32).isNotEqualTo(4_005_072_000L);
    }

    @Test
    void roundTripsToTheMicrosecondAndAcrossThe2036Wrap() {
        for (long micros : new long[] {1_700_000_000_123_456L, 2_085_978_495_999_999L, 2_085_978_496_000_001L,
                2_200_000_000_000_000L}) {
            assertThat(NtpTime.epochMicros(NtpTime.tag(micros), micros + 3_000_000)).isEqualTo(micros);
        }
    }
}
