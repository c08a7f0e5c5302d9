package dev.concerto.director.ui;

import dev.concerto.director.live.AllocationPolicy;
import dev.concerto.director.live.OverflowPolicy;
import java.util.Objects;

/**
 * What the Live view asks the backend to start.
 *
 * @param midiInput  the MIDI input's name as listed
 * @param policy     which player takes a new key
 * @param overflow   more keys than players: steal or drop
 * @param transpose  semitones added to every key, -48..48
 * @param tuning     a score tuning's key ({@code equal}, {@code werckmeister3}, ...)
 */
public record LiveRequest(String midiInput, AllocationPolicy policy, OverflowPolicy overflow, int transpose,
                          String tuning) {

    public LiveRequest {
        Objects.requireNonNull(midiInput, "midiInput");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(overflow, "overflow");
        Objects.requireNonNull(tuning, "tuning");
    }
}
