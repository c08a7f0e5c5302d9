package dev.concerto.player.core;

/**
 * One change the player core asks the tone generator to make: sound {@code hz} from audio frame
 * {@code frame}. The object itself is the <em>tag</em>: it travels with the change to the audio
 * thread and comes back in the generator's callback when the change is applied (so the events file
 * says why a tone changed without any shared map), and it names the change to withdraw. Immutable.
 *
 * @param id       unique per core, increasing
 * @param cause    why the tone changes
 * @param hz       the new frequency in hertz; 0 = silence
 * @param frame    the generator frame it takes effect at; {@link #AT_ONCE} = as soon as possible
 * @param atMicros the time it is for, in the player's clock (µs): a timed message's {@code at} (for a
 *                 late start, the {@code at} it had, though it is applied at once), a lease end, the
 *                 watchdog's deadline, or the receive time of a plain integer
 * @param seq      the timed message's sequence number, or -1
 * @param late     a timed start whose time had passed when it arrived
 */
public record ToneChange(long id, Cause cause, double hz, long frame, long atMicros, long seq, boolean late) {

    /** {@link #frame()} of a change applied as soon as possible. */
    public static final long AT_ONCE = -1;

    /** Why a tone changes. */
    public enum Cause {
        /** A plain-integer datagram. */
        PLAIN("plain"),
        /** A timed message's start. */
        START("start"),
        /** A timed message's lease ran out. */
        LEASE_END("lease-end"),
        /** The watchdog: no news for its interval. */
        WATCHDOG("watchdog"),
        /** The player stopped. */
        STOP("stop");

        private final String key;

        Cause(String key) {
            this.key = key;
        }

        /** Stable lower-case name for the events file. */
        public String key() {
            return key;
        }
    }
}
