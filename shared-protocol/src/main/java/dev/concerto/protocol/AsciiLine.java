package dev.concerto.protocol;

/**
 * The framing the text protocols (timed/1 and join, PROTOCOL.md) share, defined once: a datagram is
 * at most a given number of bytes, ASCII only, one line with an optional trailing LF or CRLF, and
 * not empty. Allocates only to describe a rejection.
 */
final class AsciiLine {

    private AsciiLine() {
    }

    /**
     * Checks the framing of {@code buf[offset, offset + length)}.
     *
     * @return {@code null} when the framing is right, else the rejection (too-long, not-ascii, empty)
     */
    static <T> DecodeResult<T> check(byte[] buf, int offset, int length, int maxBytes) {
        if (length > maxBytes) {
            return DecodeResult.rejected(RejectReason.TOO_LONG, length + " bytes, more than " + maxBytes);
        }
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (buf[i] < 0) {
                return DecodeResult.rejected(RejectReason.NOT_ASCII,
                        String.format("byte 0x%02x at %d", buf[i] & 0xff, i - offset));
            }
        }
        if (end(buf, offset, length) == offset) {
            return DecodeResult.rejected(RejectReason.EMPTY, "no bytes");
        }
        return null;
    }

    /** Where the line's text ends: before a trailing LF or CRLF, if any. */
    static int end(byte[] buf, int offset, int length) {
        int end = offset + length;
        if (end > offset && buf[end - 1] == '\n') {
            end--;
            if (end > offset && buf[end - 1] == '\r') {
                end--;
            }
        }
        return end;
    }
}
