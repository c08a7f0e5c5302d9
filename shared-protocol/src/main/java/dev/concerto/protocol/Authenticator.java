package dev.concerto.protocol;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks timed-protocol messages with a shared key: the MAC is the first
 * {@value #MAC_BYTES} bytes of HMAC-SHA256(key, message bytes before the MAC field), written as
 * {@value #MAC_HEX_CHARS} lower-case hex digits. Thread-safe (each call uses its own {@link Mac}).
 */
public final class Authenticator {

    /** Bytes of the truncated HMAC. */
    public static final int MAC_BYTES = 8;
    /** Hex digits of the MAC field on the wire. */
    public static final int MAC_HEX_CHARS = 2 * MAC_BYTES;

    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;

    /**
     * @param key the shared secret, at least 16 bytes (e.g. the bytes of a key file)
     * @throws IllegalArgumentException if the key is shorter than 16 bytes
     */
    public Authenticator(byte[] key) {
        if (key == null || key.length < 16) {
            throw new IllegalArgumentException("a shared key needs at least 16 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    /** The MAC of {@code buf[off .. off+len)} as {@value #MAC_HEX_CHARS} lower-case hex digits. */
    public String sign(byte[] buf, int off, int len) {
        return HexFormat.of().formatHex(macBytes(buf, off, len));
    }

    /** Whether {@code macHex} is the MAC of {@code buf[off .. off+len)}; compared in constant time. */
    public boolean verify(byte[] buf, int off, int len, byte[] macHex, int macOff) {
        byte[] expected = sign(buf, off, len).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(macHex, macOff, macOff + MAC_HEX_CHARS));
    }

    private byte[] macBytes(byte[] buf, int off, int len) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(buf, off, len);
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
