package dev.concerto.player.stamp;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * The switch and the start-up report of kernel time stamps ({@link StampedSocket}). Off unless turned
 * on, with the system property {@value #PROPERTY}{@code =on} or the environment variable
 * {@value #ENVIRONMENT}{@code =on} (inherited by the player processes a bench or a test starts: an
 * A/B of the two stamping paths without rebuilding). Not on by default: the automatic lead is chosen
 * from the exchanges' round trips, and kernel stamps take the threads' wake-ups out of them, which a
 * note still waits for. With them on, `./concerto bench scale` had 524 of 96,000 notes late at 1000
 * players (the lead stayed at 100 ms; with user stamps it rose to 500 ms and none was late).
 */
public final class KernelStamps {

    /** System property that turns kernel stamps on ({@code on}, {@code true}, {@code 1}) or off. */
    public static final String PROPERTY = "concerto.kernelStamps";
    /** Environment variable that does the same. */
    public static final String ENVIRONMENT = "CONCERTO_KERNEL_STAMPS";

    /** Reports once per process (the first socket): 250 players of an ensemble print one line, not 250. */
    private static final AtomicBoolean REPORTED = new AtomicBoolean();

    private KernelStamps() {
    }

    /** Why kernel stamps are not used, or null when they are turned on. */
    static String disabled() {
        String p = System.getProperty(PROPERTY);
        if (p != null) {
            return isOn(p) ? null : "turned off (-D" + PROPERTY + "=" + p + ")";
        }
        String e = System.getenv(ENVIRONMENT);
        if (e != null) {
            return isOn(e) ? null : "turned off (" + ENVIRONMENT + "=" + e + ")";
        }
        return "not turned on (" + ENVIRONMENT + "=on turns them on)";
    }

    private static boolean isOn(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        return s.equals("on") || s.equals("true") || s.equals("1") || s.equals("yes");
    }

    /**
     * Logs, once per process at INFO (later sockets at DEBUG), which stamps {@code who} uses.
     *
     * @param attempt the outcome of {@link StampedSocket#attach}
     * @param what    what is stamped, e.g. "sync receive and reply times"
     */
    public static void report(Logger log, String who, StampedSocket.Attempt attempt, String what) {
        boolean first = REPORTED.compareAndSet(false, true);
        if (attempt.socket() != null) {
            String line = "{}: {} from the kernel's time stamps (SO_TIMESTAMPING, software)";
            if (first) {
                log.info(line, who, what);
            } else {
                log.debug(line, who, what);
            }
        } else {
            String line = "{}: {} from user space (kernel time stamps not used: {})";
            if (first) {
                log.info(line, who, what, attempt.whyNot());
            } else {
                log.debug(line, who, what, attempt.whyNot());
            }
        }
    }
}
