package dev.concerto.director.engine;

import java.util.List;

/**
 * An immutable snapshot of the transport, published to listeners on every change of state and
 * about every note while playing. Listeners are called on the engine's thread and must return
 * quickly (the GUI hands the snapshot to the FX thread).
 *
 * @param state           stopped, playing or paused
 * @param positionSeconds the musical position in score seconds (at the score's own tempo)
 * @param measure         the 1-based measure at {@code positionSeconds}
 * @param measureCount    the number of measures in the loaded score (0 when none is loaded)
 * @param tempoBpm        the tempo now in force, in beats per minute
 * @param loopFromMeasure first measure of the loop range (1-based), or 0 when not looping
 * @param loopToMeasure   last measure of the loop range, inclusive, or 0 when not looping
 * @param notesSent       datagrams sent since play began
 * @param players         one entry per roster player, in roster order
 */
public record TransportState(PlayState state, double positionSeconds, int measure, int measureCount,
                             double tempoBpm, int loopFromMeasure, int loopToMeasure, long notesSent,
                             List<PlayerActivity> players) {

    public TransportState {
        players = List.copyOf(players);
    }

    public boolean looping() {
        return loopFromMeasure > 0;
    }
}
