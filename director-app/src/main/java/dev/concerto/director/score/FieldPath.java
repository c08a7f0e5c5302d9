package dev.concerto.director.score;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable path into the score document: {@code parts[0].chords[3]}, pointer {@code /parts/0/chords/3}.
 * Each path points at its parent, so extending one is a single small allocation: the compiler makes
 * one for every event of a 65,000-note import, and renders one only for an error.
 */
final class FieldPath {

    static final FieldPath ROOT = new FieldPath(null, null);

    /** The path this one extends, {@code null} for {@link #ROOT}. */
    private final FieldPath parent;
    /** A field name (String) or an array index (Integer); {@code null} for {@link #ROOT}. */
    private final Object last;

    private FieldPath(FieldPath parent, Object last) {
        this.parent = parent;
        this.last = last;
    }

    FieldPath field(String name) {
        return new FieldPath(this, name);
    }

    FieldPath index(int i) {
        return new FieldPath(this, i);
    }

    /** The segments from the root, outermost first. */
    private List<Object> segments() {
        List<Object> s = new ArrayList<>();
        for (FieldPath p = this; p.parent != null; p = p.parent) {
            s.add(p.last);
        }
        java.util.Collections.reverse(s);
        return s;
    }

    String pointer() {
        return pointerOf(segments());
    }

    static String pointerOf(List<Object> segments) {
        StringBuilder b = new StringBuilder();
        for (Object o : segments) {
            b.append('/').append(o.toString().replace("~", "~0").replace("/", "~1"));
        }
        return b.toString();
    }

    static String dotted(List<Object> segments) {
        StringBuilder b = new StringBuilder();
        for (Object o : segments) {
            if (o instanceof Integer) {
                b.append('[').append(o).append(']');
            } else {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(o);
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return dotted(segments());
    }
}
