package dev.concerto.director.score.musicxml;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Parses XML into an {@link XmlElement} tree with the JDK's StAX parser, hardened for files from
 * strangers: no DTD is loaded (MusicXML's DOCTYPE names one on the web, it is not fetched), no
 * external entity is resolved (XXE), a document that declares entities of its own is rejected
 * (billion laughs), and the input size, element count and depth are bounded. Stateless;
 * thread-safe.
 */
final class SafeXml {

    /** Largest XML document read, in bytes (a 10,000-note MusicXML file is about 3 MB). */
    static final long MAX_BYTES = 64L << 20;
    /** Deepest element nesting accepted (MusicXML needs about 8). */
    static final int MAX_DEPTH = 64;
    /** Most elements accepted in one document. */
    static final int MAX_ELEMENTS = 5_000_000;

    private static final XMLInputFactory FACTORY = factory();

    private SafeXml() {
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory(); // the JDK's own, whatever else is on the classpath
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setXMLResolver((publicId, systemId, base, ns) -> {
            throw new XMLStreamException("external entity '" + systemId + "' is not loaded");
        });
        return f;
    }

    /** A document that cannot be read, with the place in it (line 0 when unknown). */
    static final class XmlException extends Exception {
        private static final long serialVersionUID = 1L;
        final int line;
        final int column;

        XmlException(int line, int column, String message, Throwable cause) {
            super(message, cause);
            this.line = line;
            this.column = column;
        }
    }

    /** Parses {@code in} (closed by the caller) into its root element. */
    static XmlElement parse(InputStream in) throws XmlException {
        BoundedInput bounded = new BoundedInput(in, MAX_BYTES);
        XMLStreamReader r = null;
        try {
            synchronized (FACTORY) { // creating readers from a shared factory is not documented as thread-safe
                r = FACTORY.createXMLStreamReader(bounded);
            }
            Deque<XmlElement> stack = new ArrayDeque<>();
            XmlElement root = null;
            int elements = 0;
            while (r.hasNext()) {
                int ev = r.next();
                switch (ev) {
                    case XMLStreamConstants.DTD -> {
                        String dtd = r.getText();
                        if (dtd != null && dtd.contains("<!ENTITY")) {
                            Location l = r.getLocation();
                            throw new XmlException(l.getLineNumber(), l.getColumnNumber(),
                                    "the DOCTYPE declares entities; MusicXML needs none, and they are refused "
                                            + "(external entities and entity expansion are a known attack)", null);
                        }
                    }
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (++elements > MAX_ELEMENTS) {
                            throw at(r, "more than " + MAX_ELEMENTS + " elements", null);
                        }
                        if (stack.size() >= MAX_DEPTH) {
                            throw at(r, "elements nested deeper than " + MAX_DEPTH, null);
                        }
                        Location l = r.getLocation();
                        XmlElement e = new XmlElement(r.getLocalName(), l.getLineNumber(), l.getColumnNumber());
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            e.putAttribute(r.getAttributeLocalName(i), r.getAttributeValue(i));
                        }
                        if (stack.isEmpty()) {
                            root = e;
                        } else {
                            stack.peek().addChild(e);
                        }
                        stack.push(e);
                    }
                    case XMLStreamConstants.END_ELEMENT -> stack.pop();
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        // Whitespace before any text is indentation; skipping it spares a string per element.
                        if (!stack.isEmpty() && !(stack.peek().hasNoText() && r.isWhiteSpace())) {
                            stack.peek().appendText(r.getText());
                        }
                    }
                    case XMLStreamConstants.ENTITY_REFERENCE -> throw at(r, "entity reference &" + r.getLocalName()
                            + "; is not declared (entities are refused)", null);
                    default -> {
                        // comments, processing instructions, the XML declaration
                    }
                }
            }
            if (root == null) {
                throw new XmlException(0, 0, "the file holds no XML element", null);
            }
            return root;
        } catch (XMLStreamException e) {
            if (bounded.exceeded) {
                throw new XmlException(0, 0, "the XML is larger than " + (MAX_BYTES >> 20) + " MiB", e);
            }
            Location l = e.getLocation();
            String msg = e.getMessage() == null ? "unreadable XML" : e.getMessage().replaceFirst("(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message:\\s*", "");
            throw new XmlException(l == null ? 0 : l.getLineNumber(), l == null ? 0 : l.getColumnNumber(),
                    "bad XML: " + msg.trim(), e);
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing left to release
                }
            }
        }
    }

    private static XmlException at(XMLStreamReader r, String message, Throwable cause) {
        Location l = r.getLocation();
        return new XmlException(l.getLineNumber(), l.getColumnNumber(), message, cause);
    }

    /** Fails the read once more than {@code limit} bytes have come through. */
    private static final class BoundedInput extends InputStream {
        private final InputStream in;
        private long left;
        boolean exceeded;

        BoundedInput(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                left -= n;
                if (left < 0) {
                    exceeded = true;
                    throw new IOException("the XML is larger than " + (MAX_BYTES >> 20) + " MiB");
                }
            }
            return n;
        }
    }
}
