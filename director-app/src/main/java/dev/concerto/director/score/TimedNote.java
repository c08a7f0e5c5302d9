package dev.concerto.director.score;

/**
 * One note of one voice in a compiled {@link Timeline}.
 *
 * <p>{@code hz == 0} is an explicit silence command (the ancestor's {@code stop()}); it may have a
 * zero duration. A sender sends {@code hz} at {@code startSeconds}, and sends silence at the note's
 * end unless another event of the same voice starts at or before that end.
 *
 * @param startSeconds    onset from the start of the piece, in seconds at the score's tempo (&ge; 0)
 * @param durationSeconds length in seconds (&ge; 0)
 * @param startBeats      onset in beats of the score's beat unit (&ge; 0)
 * @param durationBeats   length in beats (&ge; 0)
 * @param hz              frequency in hertz, {@code 0} for silence; not rounded
 * @param name            the note's name as written or derived ({@code "C4"}, {@code "rest"}), for display
 */
public record TimedNote(double startSeconds, double durationSeconds,
                        double startBeats, double durationBeats,
                        double hz, String name) {

    public TimedNote {
        if (!(startSeconds >= 0) || !(durationSeconds >= 0) || !(startBeats >= 0) || !(durationBeats >= 0)) {
            throw new IllegalArgumentException("negative or NaN time in note " + name);
        }
        if (!(hz >= 0) || Double.isInfinite(hz)) {
            throw new IllegalArgumentException("bad frequency " + hz + " in note " + name);
        }
    }

    public double endSeconds() {
        return startSeconds + durationSeconds;
    }

    public double endBeats() {
        return startBeats + durationBeats;
    }

    public boolean isSilence() {
        return hz == 0;
    }
}
