package dev.concerto.player.cli;

/**
 * The exit codes of {@code concerto player} and {@code concerto ensemble}, defined once (the
 * {@code --help} lists are built from the same constants). The same meanings as the director's.
 */
final class ExitCodes {

    /** Stopped by Ctrl-C / SIGTERM after a clean stop (silenced, WAV finished, counters printed). */
    static final int STOPPED = 0;
    /** An unexpected error (a bug): the message says what. */
    static final int FAILED = 1;
    /** A usage or environment problem: a bad option, port in use, address not on this machine, no sound card, no PWM. */
    static final int USAGE = 2;

    static final String STOPPED_TEXT = STOPPED + ":stopped by Ctrl-C / SIGTERM";
    static final String FAILED_TEXT = FAILED + ":unexpected error";
    static final String USAGE_TEXT = USAGE + ":usage or environment error (bad option, port in use, address not on"
            + " this machine, no sound card, no PWM)";

    private ExitCodes() {
    }
}
