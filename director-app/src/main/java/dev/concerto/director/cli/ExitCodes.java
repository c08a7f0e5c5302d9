package dev.concerto.director.cli;

/** The director's exit codes, the same for every subcommand (and the player's CLI uses the same meanings). */
final class ExitCodes {

    /** Done. */
    static final int OK = 0;
    /** Bad input: a score or roster that does not load, a player that plays wrong. */
    static final int BAD_INPUT = 1;
    /** A usage or environment problem: bad options, a port in use, no sound card, no display. */
    static final int ENVIRONMENT = 2;
    /** {@code players --roster}: a timed or auto player of the roster did not answer. */
    static final int PLAYERS_MISSING = 3;
    /** calibrate: some players were not heard clearly (the others were calibrated). */
    static final int INCOMPLETE = 3;

    private ExitCodes() {
    }
}
