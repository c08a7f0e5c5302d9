package dev.concerto.player.synth;

/**
 * A line's time-keeping so far. Immutable; read from another thread than the audio thread, the
 * counts may lag by one block.
 *
 * @param corrections  times the output was brought back in time
 * @param droppedMs    audio skipped after the line fell behind (stalls), ms
 * @param insertedMs   silence inserted after the line ran ahead, ms
 * @param driftPpm     the line's rate against the clock, parts per million off nominal
 */
public record LineTiming(long corrections, double droppedMs, double insertedMs, double driftPpm) {
}
