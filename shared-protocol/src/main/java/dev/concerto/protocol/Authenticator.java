package dev.concerto.protocol;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks timed-protocol messages with a shared key: the MAC is the first
 * {@value #MAC_BYTES} bytes of HMAC-SHA256(key, message bytes before the MAC field), written as
 * {@value #MAC_HEX_CHARS} lower-case hex digits.
 *
 * <p>An authenticator is also a <em>signer</em>: a 32-bit identity, drawn at random when it is
 * made (so once per director or player start), that {@link TimedCodec#encode} writes before the
 * MAC, inside the signed bytes. Receivers key duplicate and stale checks by it, so a signed
 * message's identity does not depend on the socket a copy of it came from.
 *
 * <p>Thread-safe: each thread keeps one initialised
 * {@link Mac} (a sender's or a receive thread's hot path neither looks up the algorithm nor
 * re-keys per message).
 */
public final class Authenticator {

    /** Bytes of the truncated HMAC. */
    public static final int MAC_BYTES = 8;
    /** Hex digits of the MAC field on the wire. */
    public static final int MAC_HEX_CHARS = 2 * MAC_BYTES;
    /** Hex digits of the signer field on the wire (a 32-bit identity). */
    public static final int SIGNER_HEX_CHARS = 8;
    /** The largest signer identity. */
    public static final long MAX_SIGNER = 0xFFFF_FFFFL;

    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;
    private final long signer;
    private final String signerHex;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);
    private final ThreadLocal<byte[]> expectedHex = ThreadLocal.withInitial(() -> new byte[MAC_HEX_CHARS]);

    /**
     * @param key the shared secret, at least 16 bytes (e.g. the bytes of a key file)
     * @throws IllegalArgumentException if the key is shorter than 16 bytes
     */
    public Authenticator(byte[] key) {
        this(key, new java.security.SecureRandom().nextInt() & MAX_SIGNER);
    }

    /**
     * An authenticator with a chosen signer identity (test vectors, or a sender that must keep its
     * identity across restarts on purpose).
     *
     * @param signer 0..{@link #MAX_SIGNER}
     * @throws IllegalArgumentException if the key is shorter than 16 bytes or the signer out of range
     */
    public Authenticator(byte[] key, long signer) {
        if (key == null || key.length < 16) {
            throw new IllegalArgumentException("a shared key needs at least 16 bytes");
        }
        if (signer < 0 || signer > MAX_SIGNER) {
            throw new IllegalArgumentException("signer " + signer + " outside 0.." + MAX_SIGNER);
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
        this.signer = signer;
        this.signerHex = String.format("%08x", signer);
    }

    /** This signer's identity, 0..{@link #MAX_SIGNER}. */
    public long signer() {
        return signer;
    }

    /** {@link #signer()} as it goes on the wire: {@value #SIGNER_HEX_CHARS} lower-case hex digits. */
    public String signerHex() {
        return signerHex;
    }

    /** The MAC of {@code buf[off .. off+len)} as {@value #MAC_HEX_CHARS} lower-case hex digits. */
    public String sign(byte[] buf, int off, int len) {
        return HexFormat.of().formatHex(macBytes(buf, off, len));
    }

    /** Whether {@code macHex} is the MAC of {@code buf[off .. off+len)}; compared in constant time. */
    public boolean verify(byte[] buf, int off, int len, byte[] macHex, int macOff) {
        if (macOff < 0 || macOff + MAC_HEX_CHARS > macHex.length) {
            return false;
        }
        byte[] mac = macBytes(buf, off, len);
        byte[] expected = expectedHex.get();
        for (int i = 0; i < MAC_BYTES; i++) {
            expected[2 * i] = (byte) Character.forDigit((mac[i] >> 4) & 0xf, 16);
            expected[2 * i + 1] = (byte) Character.forDigit(mac[i] & 0xf, 16);
        }
        int diff = 0;
        for (int i = 0; i < MAC_HEX_CHARS; i++) {
            diff |= expected[i] ^ macHex[macOff + i];
        }
        return diff == 0;
    }

    private byte[] macBytes(byte[] buf, int off, int len) {
        Mac mac = macs.get();
        mac.update(buf, off, len);
        return Arrays.copyOf(mac.doFinal(), MAC_BYTES); // doFinal resets the Mac for the next message
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
