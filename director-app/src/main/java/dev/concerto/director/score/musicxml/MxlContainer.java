package dev.concerto.director.score.musicxml;

import dev.concerto.director.score.ScoreException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Opens a compressed MusicXML file ({@code .mxl}: a zip archive whose
 * {@code META-INF/container.xml} names the score's root file). Bounded against zip bombs: at most
 * {@link #MAX_ENTRIES} entries and {@link SafeXml#MAX_BYTES} unpacked bytes per entry read.
 * Stateless; thread-safe.
 */
final class MxlContainer {

    /** Most entries looked at in one archive. */
    static final int MAX_ENTRIES = 1000;

    private MxlContainer() {
    }

    /** An entry's name and unpacked bytes. */
    record Entry(String name, byte[] bytes) {
    }

    /** The score file inside the archive. */
    static Entry rootFile(byte[] zip, String sourceName) throws ScoreException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            int count = 0;
            while ((e = in.getNextEntry()) != null) {
                if (++count > MAX_ENTRIES) {
                    throw new ScoreException(sourceName, 0, 0, "", "the .mxl archive has more than " + MAX_ENTRIES + " entries");
                }
                String name = e.getName();
                boolean wanted = !e.isDirectory() && (name.equals("META-INF/container.xml")
                        || (!name.startsWith("META-INF/") && (name.endsWith(".xml") || name.endsWith(".musicxml"))));
                if (wanted) {
                    entries.put(name, readBounded(in, sourceName, name));
                }
            }
        } catch (IOException e) {
            throw new ScoreException(sourceName, 0, 0, "", "not a readable .mxl (zip) archive: " + e.getMessage(), e);
        }
        String root = null;
        byte[] container = entries.get("META-INF/container.xml");
        if (container != null) {
            try (InputStream in = new ByteArrayInputStream(container)) {
                XmlElement c = SafeXml.parse(in);
                XmlElement rootfiles = c.child("rootfiles");
                if (rootfiles != null) {
                    for (XmlElement rf : rootfiles.all("rootfile")) {
                        String type = rf.attr("media-type");
                        if (type == null || type.contains("musicxml")) {
                            root = rf.attr("full-path");
                            break;
                        }
                    }
                }
            } catch (SafeXml.XmlException | IOException e) {
                throw new ScoreException(sourceName + "!META-INF/container.xml", 0, 0, "", e.getMessage(), e);
            }
        }
        if (root == null) { // no container: the first score-like entry
            root = entries.keySet().stream().filter(n -> !n.startsWith("META-INF/")).findFirst().orElse(null);
        }
        if (root == null || !entries.containsKey(root)) {
            throw new ScoreException(sourceName, 0, 0, "", root == null
                    ? "the .mxl archive holds no MusicXML file (no META-INF/container.xml and no .musicxml/.xml entry)"
                    : "META-INF/container.xml names '" + root + "', which is not in the archive");
        }
        return new Entry(root, entries.get(root));
    }

    private static byte[] readBounded(InputStream in, String sourceName, String entry) throws IOException, ScoreException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > SafeXml.MAX_BYTES) {
                throw new ScoreException(sourceName + "!" + entry, 0, 0, "", "unpacks to more than "
                        + (SafeXml.MAX_BYTES >> 20) + " MiB; refused");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
