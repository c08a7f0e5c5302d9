package dev.concerto.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The unicast join: how a player that cannot be found by mDNS (multicast filtered, as on many school
 * and office Wi-Fi networks) makes itself known to a director. ASCII, space-separated, like the
 * timed protocol; the first byte tells the two messages apart.
 *
 * <pre>
 *   announce  = "A" SP seq SP port SP ttl SP name SP version SP protocols SP generator SP voice [SP mac] [eol]
 *   ack       = "K" SP seq [SP mac] [eol]                  ; director -> player, to the announce's source
 *   seq       = 1*10DIGIT            ; 0..4294967295, one per announce; the ack echoes it
 *   port      = 1*5DIGIT             ; 1..65535: the player's UDP port (the address is the datagram's source)
 *   ttl       = 1*3DIGIT             ; seconds, 0..{@value #MAX_TTL_SECONDS}; 0 withdraws the player
 *   name, version, generator, voice = 1*32tchar   ; voice "-" = none
 *   tchar     = ALPHA / DIGIT / "-" / "_" / "." / "+"
 *   protocols = token *("," token)   ; as in the sync reply: "legacy,timed/1"
 *   mac       = 16HEXDIG             ; see {@link Authenticator}; signs every byte before SP mac
 *   eol       = LF / CR LF           ; tolerated
 * </pre>
 *
 * A datagram is at most {@value #MAX_DATAGRAM_BYTES} bytes. Decoding never throws for any bytes:
 * a failure is a {@link DecodeResult.Rejected} ({@link RejectReason#TOO_LONG},
 * {@link RejectReason#NOT_ASCII}, {@link RejectReason#EMPTY}, {@link RejectReason#BAD_SYNTAX},
 * {@link RejectReason#OUT_OF_RANGE}; with an {@link Authenticator}, {@link RejectReason#UNAUTHENTICATED}
 * and {@link RejectReason#FORGED}). Pure and stateless; thread-safe.
 */
public final class JoinCodec {

    /** The most bytes a join datagram may hold, MAC and line end included. */
    public static final int MAX_DATAGRAM_BYTES = 256;
    /** The longest time a director keeps a player without a new announce, seconds. */
    public static final int MAX_TTL_SECONDS = 600;
    /** The most characters of a name, version, generator or voice token. */
    public static final int MAX_TOKEN_CHARS = 32;
    /** The voice field of a player that prefers none. */
    public static final String NO_VOICE = "-";

    private static final byte ANNOUNCE = 'A';
    private static final byte ACK = 'K';
    private static final int ANNOUNCE_FIELDS = 9;
    private static final int ACK_FIELDS = 2;

    private JoinCodec() {
    }

    /** Encodes a message, signed when {@code auth} is not {@code null}. No line end is added. */
    public static byte[] encode(JoinMessage message, Authenticator auth) {
        StringBuilder sb = new StringBuilder(128);
        if (message instanceof JoinMessage.Announce a) {
            sb.append('A').append(' ').append(a.seq()).append(' ').append(a.port()).append(' ')
                    .append(a.ttlSeconds()).append(' ').append(a.name()).append(' ').append(a.version())
                    .append(' ').append(String.join(",", a.protocols())).append(' ').append(a.generator())
                    .append(' ').append(a.voice().isEmpty() ? NO_VOICE : a.voice());
        } else if (message instanceof JoinMessage.Ack k) {
            sb.append('K').append(' ').append(k.seq());
        }
        if (auth != null) {
            byte[] body = sb.toString().getBytes(StandardCharsets.US_ASCII);
            sb.append(' ').append(auth.sign(body, 0, body.length));
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Decodes a whole datagram. */
    public static DecodeResult<JoinMessage> decode(byte[] datagram, Authenticator auth) {
        if (datagram == null) {
            return DecodeResult.rejected(RejectReason.EMPTY, "no datagram");
        }
        return decode(datagram, 0, datagram.length, auth);
    }

    /**
     * Decodes {@code buf[offset .. offset+length)}. See the class comment for the grammar.
     *
     * @param auth the shared key's authenticator, or {@code null} when the receiver holds no key
     * @throws IndexOutOfBoundsException if the range lies outside {@code buf} (a caller's bug)
     */
    public static DecodeResult<JoinMessage> decode(byte[] buf, int offset, int length, Authenticator auth) {
        Objects.checkFromIndexSize(offset, length, buf.length);
        DecodeResult<JoinMessage> badFraming = AsciiLine.check(buf, offset, length, MAX_DATAGRAM_BYTES);
        if (badFraming != null) {
            return badFraming;
        }
        int end = AsciiLine.end(buf, offset, length);
        String text = new String(buf, offset, end - offset, StandardCharsets.US_ASCII);
        String[] f = text.split(" ", -1);
        byte type = buf[offset];
        if (f[0].length() != 1 || (type != ANNOUNCE && type != ACK)) {
            return syntax(text, "unknown message type (A = announce, K = ack)");
        }
        int bodyFields = type == ANNOUNCE ? ANNOUNCE_FIELDS : ACK_FIELDS;
        if (f.length != bodyFields && f.length != bodyFields + 1) {
            return syntax(text, "expected " + (bodyFields - 1) + " fields after '" + (char) type
                    + "' and an optional MAC, got " + (f.length - 1));
        }
        if (f.length == bodyFields + 1) {
            String mac = f[bodyFields];
            if (mac.length() != Authenticator.MAC_HEX_CHARS || !mac.chars().allMatch(JoinCodec::isLowerHex)) {
                return syntax(text, "a MAC is " + Authenticator.MAC_HEX_CHARS + " lower-case hex digits");
            }
            int signedLength = end - offset - Authenticator.MAC_HEX_CHARS - 1;
            if (auth != null && !auth.verify(buf, offset, signedLength, buf, offset + signedLength + 1)) {
                return DecodeResult.rejected(RejectReason.FORGED, "the MAC does not match the message");
            }
        } else if (auth != null) {
            return DecodeResult.rejected(RejectReason.UNAUTHENTICATED, "a key is configured and the message has no MAC");
        }
        long seq = number(f[1], 10);
        if (seq < 0) {
            return syntax(text, "sequence number must be 1 to 10 digits");
        }
        if (seq > TimedMessage.MAX_SEQ) {
            return DecodeResult.rejected(RejectReason.OUT_OF_RANGE, "sequence number " + seq + " above " + TimedMessage.MAX_SEQ);
        }
        if (type == ACK) {
            return DecodeResult.accepted(new JoinMessage.Ack(seq));
        }
        long port = number(f[2], 5);
        long ttl = number(f[3], 3);
        if (port < 0 || ttl < 0) {
            return syntax(text, "port and ttl must be digits");
        }
        if (port < 1 || port > 65_535 || ttl > MAX_TTL_SECONDS) {
            return DecodeResult.rejected(RejectReason.OUT_OF_RANGE,
                    "port " + port + " outside 1..65535 or ttl " + ttl + " s above " + MAX_TTL_SECONDS);
        }
        for (int i : new int[] {4, 5, 7, 8}) {
            if (!isToken(f[i])) {
                return syntax(text, "field " + i + " must be 1 to " + MAX_TOKEN_CHARS
                        + " of A-Z a-z 0-9 - _ . +");
            }
        }
        List<String> protocols = new ArrayList<>();
        for (String p : f[6].split(",", -1)) {
            if (p.isEmpty() || !p.chars().allMatch(TimedCodec::isVersionChar)) {
                return syntax(text, "bad protocol list");
            }
            protocols.add(p);
        }
        String voice = f[8].equals(NO_VOICE) ? "" : f[8];
        return DecodeResult.accepted(new JoinMessage.Announce(seq, (int) port, (int) ttl, f[4], f[5], protocols,
                f[7], voice));
    }

    /** Whether {@code s} may stand in a name, version, generator or voice field. */
    public static boolean isToken(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_TOKEN_CHARS) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '+')) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code s} made into a token: characters outside the token set become "_", cut at
     * {@value #MAX_TOKEN_CHARS} ("player 1" becomes "player_1"); "" becomes "_".
     */
    public static String toToken(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < MAX_TOKEN_CHARS; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '+';
            sb.append(ok ? c : '_');
        }
        return sb.length() == 0 ? "_" : sb.toString();
    }

    static void requireToken(String what, String value) {
        if (!isToken(value)) {
            throw new IllegalArgumentException(what + " '" + value + "' must be 1 to " + MAX_TOKEN_CHARS
                    + " of A-Z a-z 0-9 - _ . +");
        }
    }

    static void requireSeq(long seq) {
        if (seq < 0 || seq > TimedMessage.MAX_SEQ) {
            throw new IllegalArgumentException("sequence number " + seq + " outside 0.." + TimedMessage.MAX_SEQ);
        }
    }

    private static DecodeResult<JoinMessage> syntax(String text, String why) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return DecodeResult.rejected(RejectReason.BAD_SYNTAX, why + ": '" + LegacyCodec.printable(b, 0, b.length) + "'");
    }

    private static long number(String field, int maxDigits) {
        if (field.isEmpty() || field.length() > maxDigits) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isLowerHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }
}
