package dev.concerto.protocol;

/**
 * Why a datagram was not accepted. Players count rejections per reason, so the set is closed and
 * each constant's {@link #key()} is stable (it appears in logs, counters and event files).
 */
public enum RejectReason {
    /** No bytes, or only whitespace. */
    EMPTY("empty"),
    /** Not of the format's grammar (a letter, a second sign, an inner space, ...). */
    NOT_A_NUMBER("not-a-number"),
    /** A minus sign before the digits. */
    NEGATIVE("negative"),
    /** A number, but outside the valid frequency range. */
    OUT_OF_RANGE("out-of-range"),
    /** More bytes than the format allows; dropped whole, never truncated. */
    TOO_LONG("too-long"),
    /** A byte outside 7-bit ASCII. */
    NOT_ASCII("not-ascii"),
    /** A timed-protocol message that does not follow its grammar (wrong field count, bad field). */
    BAD_SYNTAX("bad-syntax"),
    /** A player holds a key, and the message carries no MAC. */
    UNAUTHENTICATED("unauthenticated"),
    /** The message's MAC does not match: forged, corrupted, or signed with another key. */
    FORGED("forged"),
    /** Refused by a player's policy (for example an address outside its allow-list). */
    NOT_ALLOWED("not-allowed"),
    /** A timed message whose sequence number was already applied (a redundant copy). */
    DUPLICATE("duplicate"),
    /** A timed message older than one already applied. */
    STALE("stale"),
    /** A timed message that arrived after its lease had already run out. */
    EXPIRED("expired"),
    /** A timed message whose start is further ahead than the player's limit ({@code --max-ahead-ms}). */
    TOO_EARLY("too-early"),
    /** A signed timed message whose start lies further back than the freshness window ({@code --max-age-ms}). */
    TOO_OLD("too-old");

    private final String key;

    RejectReason(String key) {
        this.key = key;
    }

    /** A short, stable, lower-case name for logs and event files, e.g. {@code "too-long"}. */
    public String key() {
        return key;
    }
}
