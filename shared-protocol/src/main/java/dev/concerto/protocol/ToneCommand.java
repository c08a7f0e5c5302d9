package dev.concerto.protocol;

/**
 * "Sound this frequency now", as carried by one plain-integer datagram.
 *
 * @param hz the frequency in whole hertz; {@code 0} means silence, otherwise
 *           {@link LegacyCodec#MIN_HZ}..{@link LegacyCodec#MAX_HZ}
 */
public record ToneCommand(int hz) {

    /** The command that silences a player. */
    public static final ToneCommand SILENCE = new ToneCommand(0);

    public ToneCommand {
        if (hz != 0 && (hz < LegacyCodec.MIN_HZ || hz > LegacyCodec.MAX_HZ)) {
            throw new IllegalArgumentException(
                    "frequency " + hz + " Hz is outside 0 or " + LegacyCodec.MIN_HZ + ".." + LegacyCodec.MAX_HZ);
        }
    }

    public boolean isSilence() {
        return hz == 0;
    }
}
