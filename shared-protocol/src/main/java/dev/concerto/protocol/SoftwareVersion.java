package dev.concerto.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Concerto's software version ("0.1.0-SNAPSHOT"), as players announce it and directors compare it.
 * Read once from {@code version.properties}, which Maven fills in at build time; "dev" when the
 * resource is missing or unfiltered. Comparison looks at the leading numbers only ("0.1.0-SNAPSHOT"
 * and "0.1.0" are equal), which is what "too old for a feature" needs. Immutable; thread-safe.
 */
public final class SoftwareVersion {

    /** The version when the build did not fill one in. */
    public static final String UNKNOWN = "dev";

    private static final String CURRENT = load();

    private SoftwareVersion() {
    }

    /** This build's version, a {@link JoinCodec#isToken token}. */
    public static String current() {
        return CURRENT;
    }

    /**
     * Compares the numeric parts of two versions ("0.1.0" &lt; "0.2" &lt; "1.0.0-SNAPSHOT"); a version
     * without numbers ({@value #UNKNOWN}) counts as older than any numbered one.
     *
     * @return negative, zero or positive as {@code a} is older than, as old as, or newer than {@code b}
     */
    public static int compare(String a, String b) {
        List<Integer> x = numbers(a);
        List<Integer> y = numbers(b);
        for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
            int xi = i < x.size() ? x.get(i) : 0;
            int yi = i < y.size() ? y.get(i) : 0;
            if (xi != yi) {
                return Integer.compare(xi, yi);
            }
        }
        return Integer.compare(x.isEmpty() ? 0 : 1, y.isEmpty() ? 0 : 1);
    }

    private static List<Integer> numbers(String v) {
        List<Integer> out = new ArrayList<>();
        for (String part : v.split("[.-]")) {
            if (part.isEmpty() || !part.chars().allMatch(Character::isDigit) || part.length() > 9) {
                break;
            }
            out.add(Integer.parseInt(part));
        }
        return out;
    }

    private static String load() {
        try (InputStream in = SoftwareVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", UNKNOWN).strip();
            return JoinCodec.isToken(v) ? v : UNKNOWN;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }
}
