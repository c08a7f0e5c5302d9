package dev.concerto.director.live;

import com.illposed.osc.argument.OSCTimeTag64;

/**
 * OSC time tags (64-bit NTP: seconds since 1900 in the high 32 bits, a binary fraction in the low
 * 32) to and from wall-clock microseconds since 1970. Done here rather than through
 * {@code OSCTimeTag64.valueOf(Instant|Date)}/{@code toInstant()}, which in JavaOSC 0.8 do not use the
 * NTP origin that liblo, SuperCollider and Pure Data use (measured: the Date one is an hour off, the
 * Instant one decades). The 32-bit seconds wrap in 2036:
 * a tag is read in the NTP era nearest to now. Pure.
 */
public final class NtpTime {

    /** Seconds from 1900-01-01 to 1970-01-01. */
    static final long SECONDS_1900_TO_1970 = 2_208_988_800L;
    private static final long ERA_SECONDS = 1L << 32;

    private NtpTime() {
    }

    /** The tag of a wall-clock time, µs since 1970. */
    public static OSCTimeTag64 tag(long epochMicros) {
        long seconds = Math.floorDiv(epochMicros, 1_000_000L);
        long micros = Math.floorMod(epochMicros, 1_000_000L);
        long ntpSeconds = (seconds + SECONDS_1900_TO_1970) & 0xffff_ffffL;
        long fraction = (micros << 32) / 1_000_000L;
        long raw = (ntpSeconds << 32) | fraction;
        if (raw == OSCTimeTag64.IMMEDIATE_RAW) {
            raw++; // never mistaken for "immediately"
        }
        return OSCTimeTag64.valueOf(raw);
    }

    /**
     * A tag as µs since 1970, in the NTP era nearest to {@code nowEpochMicros}.
     */
    public static long epochMicros(OSCTimeTag64 tag, long nowEpochMicros) {
        long raw = tag.getNtpTime();
        long ntpSeconds = raw >>> 32;
        long fraction = raw & 0xffff_ffffL;
        long nowNtpSeconds = Math.floorDiv(nowEpochMicros, 1_000_000L) + SECONDS_1900_TO_1970;
        long era = Math.floorDiv(nowNtpSeconds, ERA_SECONDS);
        long best = Long.MAX_VALUE;
        long bestSeconds = 0;
        for (long e = era - 1; e <= era + 1; e++) {
            long s = e * ERA_SECONDS + ntpSeconds;
            long d = Math.abs(s - nowNtpSeconds);
            if (d < best) {
                best = d;
                bestSeconds = s;
            }
        }
        long micros = (fraction * 1_000_000L + (1L << 31)) >>> 32;
        return (bestSeconds - SECONDS_1900_TO_1970) * 1_000_000L + micros;
    }
}
