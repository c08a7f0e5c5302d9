package dev.concerto.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The timed protocol, version 1: "play f at T" messages and the clock-sync exchange, sharing the
 * player's port with the plain integer. ASCII, space-separated fields, so a MicroPython board
 * parses it with {@code data.split()}. The first byte is a letter, which no plain-integer datagram
 * starts with, so a receiver tells the formats apart by {@link #isTimed(byte)}.
 *
 * <pre>
 *   tone     = "T" SP seq SP at SP hz SP lease [SP signer SP mac] [eol]  ; at most {@value #MAX_TONE_BYTES} bytes
 *   sync     = "S" SP seq SP t1 [SP signer SP mac] [eol]
 *   reply    = "R" SP seq SP t1 SP t2 SP t3 SP versions [SP signer SP mac] [eol]
 *   seq      = 1*10DIGIT            ; 0..4294967295, compared by serial arithmetic (RFC 1982)
 *   at, t1, t2, t3 = 1*15DIGIT      ; microseconds of a monotonic clock (never epoch time)
 *   hz       = 1*5DIGIT ["." 1*3DIGIT] ; 0 (silence at that time) or 1..20000, millihertz precision
 *   lease    = 1*6DIGIT             ; milliseconds, 1..600000
 *   versions = token *("," token)   ; token = 1*(a-z / 0-9 / "/" / "." / "-"), e.g. "legacy,timed/1"
 *   signer   = 8HEXDIG              ; lower case: the sender's identity, random per start ({@link Authenticator#signer()})
 *   mac      = 16HEXDIG             ; lower case; see {@link Authenticator}; signs every byte before SP mac
 *   eol      = LF / CR LF           ; tolerated, as nc and echo send it
 * </pre>
 *
 * <p>{@code at} is in the <em>player's</em> clock: the director learns the offset from sync
 * exchanges ({@code t1} and {@code t4} in its clock, {@code t2} and {@code t3} in the player's) and
 * converts. {@code t1} is echoed unchanged so the director needs no state to match a reply.
 *
 * <p>A signed message names its <em>signer</em> inside the signed part: a receiver keys its
 * duplicate and stale checks by signer rather than by the socket a copy came from, so a captured
 * message re-sent from anywhere is recognized ({@link #decodeSigned}).
 *
 * <p>Decoding never throws and never returns {@code null} for any bytes: a failure is a
 * {@link DecodeResult.Rejected} — {@link RejectReason#TOO_LONG}, {@link RejectReason#NOT_ASCII},
 * {@link RejectReason#EMPTY}, {@link RejectReason#BAD_SYNTAX} (wrong type letter, field count or
 * field), {@link RejectReason#OUT_OF_RANGE}; with an {@link Authenticator}, a message without a MAC
 * is {@link RejectReason#UNAUTHENTICATED} and a wrong MAC {@link RejectReason#FORGED}. Without one,
 * the signer and MAC fields are accepted (well-formed) and not checked. Pure and stateless; thread-safe.
 */
public final class TimedCodec {

    /**
     * The most bytes a tone message may hold, signer, MAC and line end included (the longest valid
     * one is 73: 45 for the fields, 26 for the signature, 2 for CR LF).
     */
    public static final int MAX_TONE_BYTES = 80;
    /** The most bytes any timed-protocol datagram may hold (sync replies carry more fields). */
    public static final int MAX_DATAGRAM_BYTES = 128;
    /** The largest time value, in microseconds (15 digits: about 31 years of a monotonic clock). */
    public static final long MAX_TIME_MICROS = 999_999_999_999_999L;
    /** The longest lease, in milliseconds. */
    public static final int MAX_LEASE_MILLIS = 600_000;
    /** The version token of the plain-integer protocol. */
    public static final String VERSION_LEGACY = "legacy";
    /** The version token of this protocol. */
    public static final String VERSION_TIMED_1 = "timed/1";

    /** The {@link Envelope#signer()} of an unsigned message. */
    public static final long UNSIGNED = -1;

    private static final byte TONE = 'T';
    private static final byte SYNC = 'S';
    private static final byte REPLY = 'R';

    private TimedCodec() {
    }

    /** Whether a datagram starting with {@code first} belongs to this protocol rather than the plain integer. */
    public static boolean isTimed(byte first) {
        return first == TONE || first == SYNC || first == REPLY;
    }

    /**
     * Encodes a message, signed when {@code auth} is not {@code null}. No line end is added.
     *
     * @return a new array; a tone message is at most {@value #MAX_TONE_BYTES} bytes
     */
    public static byte[] encode(TimedMessage message, Authenticator auth) {
        StringBuilder sb = new StringBuilder(MAX_TONE_BYTES);
        if (message instanceof TimedMessage.Tone t) {
            sb.append('T').append(' ').append(t.seq()).append(' ').append(t.atMicros()).append(' ');
            appendMilliHz(sb, t.milliHz());
            sb.append(' ').append(t.leaseMillis());
        } else if (message instanceof TimedMessage.SyncRequest s) {
            sb.append('S').append(' ').append(s.seq()).append(' ').append(s.t1Micros());
        } else if (message instanceof TimedMessage.SyncReply r) {
            sb.append('R').append(' ').append(r.seq()).append(' ').append(r.t1Micros()).append(' ')
                    .append(r.t2Micros()).append(' ').append(r.t3Micros()).append(' ')
                    .append(String.join(",", r.versions()));
        }
        if (auth != null) {
            sb.append(' ').append(auth.signerHex());
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.US_ASCII);
        if (auth == null) {
            return body;
        }
        String mac = auth.sign(body, 0, body.length);
        return (sb.append(' ').append(mac)).toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A decoded message with the identity that signed it.
     *
     * @param message the message
     * @param signer  the signer field, 0..2^32-1, or {@link #UNSIGNED} for a message without a
     *                signature (only a receiver without a key accepts those). Without a key the
     *                field is not verified: only a keyed receiver may trust it.
     */
    public record Envelope(TimedMessage message, long signer) {
        public Envelope {
            java.util.Objects.requireNonNull(message, "message");
        }

        /** Whether the message carried a signature. */
        public boolean signed() {
            return signer != UNSIGNED;
        }
    }

    /**
     * Encodes a tone message into {@code out} without allocating (unless signed): the same bytes as
     * {@link #encode(TimedMessage, Authenticator)} for {@code new Tone(seq, atMicros, milliHz, leaseMillis)}.
     * The director's send path uses it for every note.
     *
     * @param out at least {@value #MAX_TONE_BYTES} bytes
     * @return the number of bytes written
     * @throws IllegalArgumentException when a field is out of range (as the {@link TimedMessage.Tone} constructor)
     */
    public static int encodeTone(long seq, long atMicros, long milliHz, int leaseMillis, Authenticator auth,
                                 byte[] out) {
        if (seq < 0 || seq > TimedMessage.MAX_SEQ || atMicros < 0 || atMicros > MAX_TIME_MICROS
                || (milliHz != 0 && (milliHz < LegacyCodec.MIN_HZ * 1000L || milliHz > LegacyCodec.MAX_HZ * 1000L))
                || leaseMillis < 1 || leaseMillis > MAX_LEASE_MILLIS) {
            new TimedMessage.Tone(seq, atMicros, milliHz, leaseMillis); // throws, naming the field
        }
        int n = 0;
        out[n++] = TONE;
        out[n++] = ' ';
        n = putDigits(out, n, seq);
        out[n++] = ' ';
        n = putDigits(out, n, atMicros);
        out[n++] = ' ';
        n = putDigits(out, n, milliHz / 1000);
        int frac = (int) (milliHz % 1000);
        if (frac != 0) {
            out[n++] = '.';
            out[n++] = (byte) ('0' + frac / 100);
            if (frac % 100 != 0) {
                out[n++] = (byte) ('0' + frac / 10 % 10);
                if (frac % 10 != 0) {
                    out[n++] = (byte) ('0' + frac % 10);
                }
            }
        }
        out[n++] = ' ';
        n = putDigits(out, n, leaseMillis);
        return auth == null ? n : sign(out, n, auth);
    }

    /**
     * Encodes a clock-sync request into {@code out} without allocating (unless signed): the same bytes
     * as {@link #encode(TimedMessage, Authenticator)} for {@code new SyncRequest(seq, t1Micros)}. The
     * director's scheduler sends one per player every interval.
     *
     * @param out at least {@value #MAX_TONE_BYTES} bytes
     * @return the number of bytes written
     * @throws IllegalArgumentException when a field is out of range (as the {@link TimedMessage.SyncRequest} constructor)
     */
    public static int encodeSyncRequest(long seq, long t1Micros, Authenticator auth, byte[] out) {
        if (seq < 0 || seq > TimedMessage.MAX_SEQ || t1Micros < 0 || t1Micros > MAX_TIME_MICROS) {
            new TimedMessage.SyncRequest(seq, t1Micros); // throws, naming the field
        }
        int n = 0;
        out[n++] = SYNC;
        out[n++] = ' ';
        n = putDigits(out, n, seq);
        out[n++] = ' ';
        n = putDigits(out, n, t1Micros);
        return auth == null ? n : sign(out, n, auth);
    }

    /** Appends the signer and the MAC of {@code out[0..n)} (as {@link #encode} writes them); returns the new length. */
    private static int sign(byte[] out, int n, Authenticator auth) {
        // The signer is inside the signed part (see the class comment), as encode writes it.
        out[n++] = ' ';
        String signer = auth.signerHex();
        for (int i = 0; i < signer.length(); i++) {
            out[n++] = (byte) signer.charAt(i);
        }
        String mac = auth.sign(out, 0, n);
        out[n++] = ' ';
        for (int i = 0; i < mac.length(); i++) {
            out[n++] = (byte) mac.charAt(i);
        }
        return n;
    }

    /** Writes {@code value} (&ge; 0) as decimal digits at {@code at}; returns the index after them. */
    private static int putDigits(byte[] out, int at, long value) {
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = at + digits - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + digits;
    }

    /** Decodes a whole datagram. */
    public static DecodeResult<TimedMessage> decode(byte[] datagram, Authenticator auth) {
        if (datagram == null) {
            return DecodeResult.rejected(RejectReason.EMPTY, "no datagram");
        }
        return decode(datagram, 0, datagram.length, auth);
    }

    /**
     * Decodes {@code buf[offset .. offset+length)}, dropping the signer (see {@link #decodeSigned}).
     *
     * @param auth the shared key's authenticator, or {@code null} when the receiver holds no key
     * @throws IndexOutOfBoundsException if the range lies outside {@code buf} (a caller's bug)
     */
    public static DecodeResult<TimedMessage> decode(byte[] buf, int offset, int length, Authenticator auth) {
        DecodeResult<Envelope> r = decodeSigned(buf, offset, length, auth);
        if (r instanceof DecodeResult.Accepted<Envelope> a) {
            return DecodeResult.accepted(a.value().message());
        }
        DecodeResult.Rejected<Envelope> rej = (DecodeResult.Rejected<Envelope>) r;
        return DecodeResult.rejected(rej.reason(), rej.detail());
    }

    /**
     * Decodes {@code buf[offset .. offset+length)} with its signer. See the class comment for the
     * grammar.
     *
     * @param auth the shared key's authenticator, or {@code null} when the receiver holds no key
     * @throws IndexOutOfBoundsException if the range lies outside {@code buf} (a caller's bug)
     */
    public static DecodeResult<Envelope> decodeSigned(byte[] buf, int offset, int length, Authenticator auth) {
        java.util.Objects.checkFromIndexSize(offset, length, buf.length);
        DecodeResult<Envelope> badFraming = AsciiLine.check(buf, offset, length, MAX_DATAGRAM_BYTES);
        if (badFraming != null) {
            return badFraming;
        }
        int end = AsciiLine.end(buf, offset, length);
        if (buf[offset] == TONE && length > MAX_TONE_BYTES) {
            // Before any other check, so an oversize tone is always too-long, whatever else is wrong.
            return DecodeResult.rejected(RejectReason.TOO_LONG, "a tone message is at most " + MAX_TONE_BYTES + " bytes");
        }
        List<int[]> fields = split(buf, offset, end);
        if (fields == null) {
            return syntax(buf, offset, end, "fields must be separated by single spaces");
        }
        byte type = buf[offset];
        int[] first = fields.get(0);
        if (first[1] - first[0] != 1 || !isTimed(type)) {
            return syntax(buf, offset, end, "unknown message type");
        }
        int bodyFields = type == TONE ? 5 : type == SYNC ? 3 : 6;
        if (fields.size() != bodyFields && fields.size() != bodyFields + 2) {
            return syntax(buf, offset, end, "expected " + (bodyFields - 1) + " fields after '" + (char) type
                    + "' and an optional signer and MAC, got " + (fields.size() - 1));
        }
        boolean signed = fields.size() == bodyFields + 2;
        long signer = UNSIGNED;
        if (signed) {
            int[] id = fields.get(bodyFields);
            if (id[1] - id[0] != Authenticator.SIGNER_HEX_CHARS || !isLowerHex(buf, id[0], id[1])) {
                return syntax(buf, offset, end, "a signer is " + Authenticator.SIGNER_HEX_CHARS + " lower-case hex digits");
            }
            int[] mac = fields.get(bodyFields + 1);
            if (mac[1] - mac[0] != Authenticator.MAC_HEX_CHARS || !isLowerHex(buf, mac[0], mac[1])) {
                return syntax(buf, offset, end, "a MAC is " + Authenticator.MAC_HEX_CHARS + " lower-case hex digits");
            }
            if (auth != null && !auth.verify(buf, offset, id[1] - offset, buf, mac[0])) {
                return DecodeResult.rejected(RejectReason.FORGED, "the MAC does not match the message");
            }
            signer = hex(buf, id[0], id[1]);
        } else if (auth != null) {
            return DecodeResult.rejected(RejectReason.UNAUTHENTICATED, "a key is configured and the message has no MAC");
        }

        long seq = number(buf, fields.get(1), 10);
        if (seq < 0) {
            return syntax(buf, offset, end, "sequence number must be 1 to 10 digits");
        }
        if (seq > TimedMessage.MAX_SEQ) {
            return DecodeResult.rejected(RejectReason.OUT_OF_RANGE, "sequence number " + seq + " above " + TimedMessage.MAX_SEQ);
        }
        long t1 = number(buf, fields.get(2), 15);
        if (t1 < 0) {
            return syntax(buf, offset, end, "time must be 1 to 15 digits of microseconds");
        }
        if (type == SYNC) {
            return DecodeResult.accepted(new Envelope(new TimedMessage.SyncRequest(seq, t1), signer));
        }
        if (type == TONE) {
            long milliHz = milliHz(buf, fields.get(3));
            if (milliHz < 0) {
                return syntax(buf, offset, end, "frequency must be digits with at most 3 decimals");
            }
            if (milliHz != 0 && (milliHz < LegacyCodec.MIN_HZ * 1000L || milliHz > LegacyCodec.MAX_HZ * 1000L)) {
                return DecodeResult.rejected(RejectReason.OUT_OF_RANGE,
                        "frequency " + milliHz / 1000.0 + " Hz is outside 0 or " + LegacyCodec.MIN_HZ + ".." + LegacyCodec.MAX_HZ);
            }
            long lease = number(buf, fields.get(4), 6);
            if (lease < 0) {
                return syntax(buf, offset, end, "lease must be 1 to 6 digits of milliseconds");
            }
            if (lease < 1 || lease > MAX_LEASE_MILLIS) {
                return DecodeResult.rejected(RejectReason.OUT_OF_RANGE, "lease " + lease + " ms outside 1.." + MAX_LEASE_MILLIS);
            }
            return DecodeResult.accepted(new Envelope(new TimedMessage.Tone(seq, t1, milliHz, (int) lease), signer));
        }
        long t2 = number(buf, fields.get(3), 15);
        long t3 = number(buf, fields.get(4), 15);
        if (t2 < 0 || t3 < 0) {
            return syntax(buf, offset, end, "time must be 1 to 15 digits of microseconds");
        }
        int[] v = fields.get(5);
        List<String> versions = new ArrayList<>();
        int start = v[0];
        for (int i = v[0]; i <= v[1]; i++) {
            if (i == v[1] || buf[i] == ',') {
                if (i == start) {
                    return syntax(buf, offset, end, "empty version token");
                }
                versions.add(new String(buf, start, i - start, StandardCharsets.US_ASCII));
                start = i + 1;
            } else if (!isVersionChar(buf[i])) {
                return syntax(buf, offset, end, "bad character in version list");
            }
        }
        return DecodeResult.accepted(new Envelope(new TimedMessage.SyncReply(seq, t1, t2, t3, versions), signer));
    }

    /**
     * Whether sequence number {@code a} comes after {@code b} under 32-bit serial arithmetic
     * (RFC 1982): true when {@code a} is ahead of {@code b} by less than half the number space.
     */
    public static boolean seqAfter(long a, long b) {
        long diff = (a - b) & TimedMessage.MAX_SEQ;
        return diff != 0 && diff < (1L << 31);
    }

    static boolean isVersionChar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '.' || c == '-';
    }

    private static <T> DecodeResult<T> syntax(byte[] buf, int from, int to, String why) {
        return DecodeResult.rejected(RejectReason.BAD_SYNTAX, why + ": '" + LegacyCodec.printable(buf, from, to) + "'");
    }

    /** Field ranges {start, end} split on single spaces, or null when a field is empty. */
    private static List<int[]> split(byte[] buf, int from, int to) {
        List<int[]> fields = new ArrayList<>(7);
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || buf[i] == ' ') {
                if (i == start || fields.size() > 8) {
                    return null;
                }
                fields.add(new int[] {start, i});
                start = i + 1;
            }
        }
        return fields;
    }

    /** The field's decimal value, or -1 when it is not 1..maxDigits ASCII digits. */
    private static long number(byte[] buf, int[] field, int maxDigits) {
        int len = field[1] - field[0];
        if (len < 1 || len > maxDigits) {
            return -1;
        }
        long value = 0;
        for (int i = field[0]; i < field[1]; i++) {
            if (buf[i] < '0' || buf[i] > '9') {
                return -1;
            }
            value = value * 10 + (buf[i] - '0');
        }
        return value;
    }

    /** "440" or "440.5" or "261.626" as millihertz, or -1 when malformed. */
    private static long milliHz(byte[] buf, int[] field) {
        int dot = -1;
        for (int i = field[0]; i < field[1]; i++) {
            if (buf[i] == '.') {
                dot = i;
                break;
            }
        }
        int intEnd = dot < 0 ? field[1] : dot;
        long whole = number(buf, new int[] {field[0], intEnd}, 5);
        if (whole < 0) {
            return -1;
        }
        long frac = 0;
        if (dot >= 0) {
            int digits = field[1] - dot - 1;
            long f = number(buf, new int[] {dot + 1, field[1]}, 3);
            if (f < 0) {
                return -1;
            }
            frac = f * (digits == 1 ? 100 : digits == 2 ? 10 : 1);
        }
        return whole * 1000 + frac;
    }

    private static void appendMilliHz(StringBuilder sb, long milliHz) {
        sb.append(milliHz / 1000);
        long frac = milliHz % 1000;
        if (frac != 0) {
            String digits = String.format("%03d", frac);
            sb.append('.').append(digits.replaceAll("0+$", ""));
        }
    }

    private static long hex(byte[] buf, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            v = (v << 4) | Character.digit(buf[i], 16);
        }
        return v;
    }

    private static boolean isLowerHex(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
