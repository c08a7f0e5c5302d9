package dev.concerto.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The plain-integer format of the original ESP8266 players: one UDP datagram holds a frequency in
 * hertz as ASCII decimal digits, and {@code 0} means silence.
 *
 * <p>The firmware reads with {@code recvfrom(10)} and calls Python's {@code int()} on what it got,
 * so the encoder writes canonical digits only and the decoder accepts what {@code int()} accepts for
 * plain decimal, and nothing more. The grammar of an accepted datagram:
 *
 * <pre>
 *   datagram = *ws [ "+" ] 1*digit *ws          ; at most {@value #MAX_DATAGRAM_BYTES} bytes in all
 *   ws       = SP / HT / LF / VT / FF / CR      ; the ASCII whitespace int() strips
 *   digit    = "0" .. "9"                       ; leading zeros are allowed, as int() allows them
 *   value    = 0 (silence) or {@value #MIN_HZ} .. {@value #MAX_HZ}
 * </pre>
 *
 * <p>Everything else is a {@link DecodeResult.Rejected} with a {@link RejectReason}, checked in this
 * order: more than {@value #MAX_DATAGRAM_BYTES} bytes is {@link RejectReason#TOO_LONG} (the datagram
 * is dropped whole: a truncated number would be a wrong tone); a byte of 0x80 or above is
 * {@link RejectReason#NOT_ASCII}; nothing but whitespace is {@link RejectReason#EMPTY}; a leading
 * {@code -} is {@link RejectReason#NEGATIVE} (even {@code -0}: a director that sends a sign is broken);
 * any other byte, an inner space, an underscore (which {@code int()} would take) or a sign without
 * digits is {@link RejectReason#NOT_A_NUMBER}; a value above {@value #MAX_HZ} is
 * {@link RejectReason#OUT_OF_RANGE}.
 *
 * <p>Pure and stateless: no sockets, threads or logging. Thread-safe. {@link #decode} never throws
 * and never returns {@code null} for any byte array.
 */
public final class LegacyCodec {

    /** The firmware's {@code recvfrom(10)}: the most bytes a plain-integer datagram may hold. */
    public static final int MAX_DATAGRAM_BYTES = 10;

    /** The lowest audible frequency accepted, in hertz. */
    public static final int MIN_HZ = 1;

    /**
     * The highest frequency accepted, in hertz: the top of human hearing. A player may narrow the
     * range to its hardware (the ESP8266's PWM tops out near 1 kHz).
     */
    public static final int MAX_HZ = 20_000;

    private LegacyCodec() {
    }

    /**
     * Encodes a frequency as canonical ASCII digits: no sign, no whitespace, no leading zeros.
     *
     * @param hz {@code 0} for silence, or {@value #MIN_HZ}..{@value #MAX_HZ}
     * @return a new array of 1 to 5 bytes
     * @throws IllegalArgumentException if {@code hz} is outside the valid range
     */
    public static byte[] encode(int hz) {
        return Integer.toString(checkedHz(hz)).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Encodes a frequency into {@code dst} without allocating, for a sender's hot path.
     *
     * @return the number of bytes written (1 to 5)
     * @throws IllegalArgumentException  if {@code hz} is outside the valid range
     * @throws IndexOutOfBoundsException if fewer than 5 bytes are free at {@code offset}
     */
    public static int encode(int hz, byte[] dst, int offset) {
        int value = checkedHz(hz);
        int digits = 1;
        for (int v = value; v >= 10; v /= 10) {
            digits++;
        }
        java.util.Objects.checkFromIndexSize(offset, digits, dst.length);
        for (int i = offset + digits - 1; i >= offset; i--) {
            dst[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return digits;
    }

    /** Decodes a whole datagram. See the class comment for the grammar. */
    public static DecodeResult<ToneCommand> decode(byte[] datagram) {
        if (datagram == null) {
            return DecodeResult.rejected(RejectReason.EMPTY, "no datagram");
        }
        return decode(datagram, 0, datagram.length);
    }

    /**
     * Decodes the datagram held in {@code buf[offset .. offset+length)}.
     *
     * @throws IndexOutOfBoundsException if the range lies outside {@code buf} (a caller's bug, not
     *                                   bad input)
     */
    public static DecodeResult<ToneCommand> decode(byte[] buf, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, buf.length);
        if (length > MAX_DATAGRAM_BYTES) {
            return DecodeResult.rejected(RejectReason.TOO_LONG,
                    length + " bytes, more than " + MAX_DATAGRAM_BYTES);
        }
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (buf[i] < 0) {
                return DecodeResult.rejected(RejectReason.NOT_ASCII,
                        String.format("byte 0x%02x at %d", buf[i] & 0xff, i - offset));
            }
        }
        int from = offset;
        int to = end;
        while (from < to && isWhitespace(buf[from])) {
            from++;
        }
        while (to > from && isWhitespace(buf[to - 1])) {
            to--;
        }
        if (from == to) {
            return DecodeResult.rejected(RejectReason.EMPTY, length == 0 ? "no bytes" : "only whitespace");
        }
        if (buf[from] == '-') {
            return DecodeResult.rejected(RejectReason.NEGATIVE, "'" + printable(buf, from, to) + "' is negative");
        }
        if (buf[from] == '+') {
            from++;
        }
        if (from == to) {
            return DecodeResult.rejected(RejectReason.NOT_A_NUMBER, "a sign without digits");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b < '0' || b > '9') {
                return DecodeResult.rejected(RejectReason.NOT_A_NUMBER,
                        "'" + printable(buf, offset, end) + "' is not a decimal number");
            }
            value = value * 10 + (b - '0'); // at most 10 digits: no overflow of a long
        }
        if (value != 0 && (value < MIN_HZ || value > MAX_HZ)) {
            return DecodeResult.rejected(RejectReason.OUT_OF_RANGE,
                    value + " Hz is outside 0 or " + MIN_HZ + ".." + MAX_HZ);
        }
        return DecodeResult.accepted(value == 0 ? ToneCommand.SILENCE : new ToneCommand((int) value));
    }

    private static int checkedHz(int hz) {
        if (hz != 0 && (hz < MIN_HZ || hz > MAX_HZ)) {
            throw new IllegalArgumentException(
                    "frequency " + hz + " Hz is outside 0 or " + MIN_HZ + ".." + MAX_HZ);
        }
        return hz;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /** The bytes as text with control characters escaped, for rejection details. */
    public static String printable(byte[] buf, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            int b = buf[i] & 0xff;
            if (b >= 0x20 && b < 0x7f) {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        return sb.toString();
    }
}
