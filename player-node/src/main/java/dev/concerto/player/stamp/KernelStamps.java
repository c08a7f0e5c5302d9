package dev.concerto.player.stamp;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * The switch and the start-up report of kernel time stamps ({@link StampedSocket}). On by default
 * where they work; off with the system property {@value #PROPERTY}{@code =off} or the environment
 * variable {@value #ENVIRONMENT}{@code =off} (inherited by the player processes a bench or a test
 * starts: an A/B of the two stamping paths without rebuilding). The clock's offset is fitted to the
 * kernel's stamps; the automatic lead is judged by the round trip as the threads saw it (the
 * director's {@code ClockSyncClient}), since a note still waits for their wake-ups: judged by the
 * kernel's round trips alone, the lead stayed at 100 ms at 1000 players and 524 of 96,000 notes
 * were late (`./concerto bench scale`).
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

    /** Why kernel stamps are turned off, or null when they are not. */
    static String disabled() {
        String p = System.getProperty(PROPERTY);
        if (isOff(p)) {
            return "turned off (-D" + PROPERTY + "=" + p + ")";
        }
        String e = System.getenv(ENVIRONMENT);
        if (p == null && isOff(e)) {
            return "turned off (" + ENVIRONMENT + "=" + e + ")";
        }
        return null;
    }

    private static boolean isOff(String v) {
        if (v == null) {
            return false;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        return s.equals("off") || s.equals("false") || s.equals("0") || s.equals("no");
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
