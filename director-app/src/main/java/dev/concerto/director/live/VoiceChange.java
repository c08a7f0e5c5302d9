package dev.concerto.director.live;

/**
 * What the voice allocator decided for one player: sound {@code hz} from now on (0: silence).
 *
 * @param player   the player's index in the roster
 * @param hz       the exact frequency, or 0 for silence
 * @param key      the MIDI key (as played, before transposition) now sounding, or -1 for silence
 * @param channel0 its MIDI channel, 0..15, or -1 for silence
 */
public record VoiceChange(int player, double hz, int key, int channel0) {

    static VoiceChange silence(int player) {
        return new VoiceChange(player, 0, -1, -1);
    }

    public boolean isSilence() {
        return hz == 0;
    }
}
