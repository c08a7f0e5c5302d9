package dev.concerto.director.score;

/**
 * A score that cannot be read or is inconsistent. The message names the file, the line and column
 * (1-based; 0 when unknown, as for a score built in memory) and the field path, e.g.
 * {@code scores/x.json:12:9: parts[0].chords[3][1]: unknown note name 'H4'}.
 */
public final class ScoreException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String field;
    private final String detail;

    public ScoreException(String file, int line, int column, String field, String detail) {
        this(file, line, column, field, detail, null);
    }

    public ScoreException(String file, int line, int column, String field, String detail, Throwable cause) {
        super(format(file, line, column, field, detail), cause);
        this.file = file;
        this.line = line;
        this.column = column;
        this.field = field;
        this.detail = detail;
    }

    private static String format(String file, int line, int column, String field, String detail) {
        StringBuilder b = new StringBuilder(file);
        if (line > 0) {
            b.append(':').append(line).append(':').append(column);
        }
        b.append(": ");
        if (field != null && !field.isEmpty()) {
            b.append(field).append(": ");
        }
        return b.append(detail).toString();
    }

    /** The file (or source name) the error is in. */
    public String file() {
        return file;
    }

    /** 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column, or 0 when unknown. */
    public int column() {
        return column;
    }

    /** The field path such as {@code parts[0].chords[3]}, or an empty string for the whole document. */
    public String field() {
        return field;
    }

    /** What is wrong, without the location. */
    public String detail() {
        return detail;
    }
}
