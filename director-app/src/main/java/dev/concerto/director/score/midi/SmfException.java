package dev.concerto.director.score.midi;

/**
 * A structural fault in a Standard MIDI File, at a byte offset. The message says what was found
 * and what was expected, e.g. {@code track 2 (chunk at byte 1021): byte 4000: the chunk declares
 * 3100 bytes but the file ends 100 bytes before that; the file is truncated}.
 */
public final class SmfException extends Exception {

    private static final long serialVersionUID = 1L;

    private final long offset;
    private final String where;
    private final String detail;

    /**
     * @param where  the part of the file ({@code "header"}, {@code "track 2 (chunk at byte 1021)"})
     * @param offset the byte offset from the start of the file
     * @param detail what is wrong and what was expected
     */
    public SmfException(String where, long offset, String detail) {
        super(where + ": byte " + offset + ": " + detail);
        this.offset = offset;
        this.where = where;
        this.detail = detail;
    }

    /** The byte offset from the start of the file. */
    public long offset() {
        return offset;
    }

    /** The part of the file, e.g. {@code "header"} or {@code "track 2 (chunk at byte 1021)"}. */
    public String where() {
        return where;
    }

    /** What is wrong, without the place. */
    public String detail() {
        return detail;
    }
}
