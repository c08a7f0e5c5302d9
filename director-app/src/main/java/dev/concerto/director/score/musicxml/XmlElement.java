package dev.concerto.director.score.musicxml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One element of a parsed XML document with its attributes, child elements, text and the line
 * where it starts (for messages). Built by {@link SafeXml}; not modified afterwards. Not
 * thread-safe while being built; safe to share once built.
 */
final class XmlElement {

    private final String name;
    private final int line;
    private final int column;
    // Made on first use: most elements of a score have no attributes, and either children or text.
    private Map<String, String> attributes = Map.of();
    private List<XmlElement> children = List.of();
    private StringBuilder text;

    XmlElement(String name, int line, int column) {
        this.name = name;
        this.line = line;
        this.column = column;
    }

    String name() {
        return name;
    }

    int line() {
        return line;
    }

    int column() {
        return column;
    }

    List<XmlElement> children() {
        return children;
    }

    /** The attribute's value, or {@code null}. */
    String attr(String key) {
        return attributes.get(key);
    }

    /** The element's own text, trimmed. */
    String text() {
        return text == null ? "" : text.toString().trim();
    }

    /** The first child of that name, or {@code null}. */
    XmlElement child(String childName) {
        for (XmlElement c : children) {
            if (c.name.equals(childName)) {
                return c;
            }
        }
        return null;
    }

    /** All children of that name. */
    List<XmlElement> all(String childName) {
        List<XmlElement> out = new ArrayList<>();
        for (XmlElement c : children) {
            if (c.name.equals(childName)) {
                out.add(c);
            }
        }
        return out;
    }

    /** The text of the first child of that name, or {@code null}. */
    String childText(String childName) {
        XmlElement c = child(childName);
        return c == null ? null : c.text();
    }

    boolean has(String childName) {
        return child(childName) != null;
    }

    void putAttribute(String key, String value) {
        if (attributes.isEmpty()) {
            attributes = new LinkedHashMap<>();
        }
        attributes.put(key, value);
    }

    void addChild(XmlElement child) {
        if (children.isEmpty()) {
            children = new ArrayList<>();
        }
        children.add(child);
    }

    /** True before any text: the indentation in front of an element's first child need not be kept. */
    boolean hasNoText() {
        return text == null;
    }

    void appendText(String s) {
        if (text == null) {
            text = new StringBuilder(s.length());
        }
        if (text.length() < 10_000) { // no element of a score needs more text than this
            text.append(s);
        }
    }
}
