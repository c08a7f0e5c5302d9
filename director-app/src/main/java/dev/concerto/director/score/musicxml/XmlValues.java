package dev.concerto.director.score.musicxml;

import dev.concerto.director.score.ScoreException;

/**
 * Reads numbers from MusicXML elements and attributes, and makes the located error for a bad one
 * (file, line, column, element). One per document; stateless beyond the document's name;
 * thread-safe.
 */
final class XmlValues {

    private final String where;

    /** @param where the document's name in messages ({@code song.mxl!score.xml}) */
    XmlValues(String where) {
        this.where = where;
    }

    ScoreException err(XmlElement at, String detail) {
        return new ScoreException(where, at == null ? 0 : at.line(), at == null ? 0 : at.column(),
                at == null ? "" : "<" + at.name() + ">", detail);
    }

    /** The whole number in child {@code child} of {@code parent}, or {@code dflt} without that child. */
    int intText(XmlElement parent, String child, int dflt) throws ScoreException {
        XmlElement c = parent.child(child);
        return c == null ? dflt : (int) parseLong(c, c.text(), child);
    }

    long longText(XmlElement e) throws ScoreException {
        return parseLong(e, e.text(), e.name());
    }

    long positiveLong(XmlElement e, String what) throws ScoreException {
        long v = parseLong(e, e == null ? null : e.text(), what);
        if (v <= 0) {
            throw err(e, "<" + what + "> must be a positive whole number, not " + v);
        }
        return v;
    }

    /** A duration: a number (decimals allowed by MusicXML, rounded) from 0 to {@code Integer.MAX_VALUE}. */
    long nonNegativeLong(XmlElement e, String what) throws ScoreException {
        if (e == null) {
            throw err(null, "missing <" + what + ">");
        }
        String t = e.text();
        long v;
        try {
            v = Math.round(Double.parseDouble(t)); // MusicXML allows decimals; files from notation programs write integers
        } catch (NumberFormatException ex) {
            throw err(e, "<" + what + "> must be a number, not '" + t + "'");
        }
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw err(e, "<" + what + "> must be between 0 and " + Integer.MAX_VALUE + ", not " + t);
        }
        return v;
    }

    long parseLong(XmlElement at, String text, String what) throws ScoreException {
        try {
            return Long.parseLong(text == null ? "" : text.trim());
        } catch (NumberFormatException e) {
            throw err(at, "<" + what + "> (or its attribute) must be a whole number, not '" + text + "'");
        }
    }
}
