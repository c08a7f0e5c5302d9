package dev.concerto.director.score;

import java.util.ArrayList;
import java.util.List;

/** An immutable path into the score document: {@code parts[0].chords[3]}, pointer {@code /parts/0/chords/3}. */
final class FieldPath {

    static final FieldPath ROOT = new FieldPath(List.of());

    private final List<Object> segments;

    private FieldPath(List<Object> segments) {
        this.segments = segments;
    }

    FieldPath field(String name) {
        return append(name);
    }

    FieldPath index(int i) {
        return append(i);
    }

    private FieldPath append(Object o) {
        List<Object> s = new ArrayList<>(segments);
        s.add(o);
        return new FieldPath(List.copyOf(s));
    }

    String pointer() {
        return pointerOf(segments);
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
        return dotted(segments);
    }
}
