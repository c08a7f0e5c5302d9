package dev.concerto.player.cli;

import java.util.Locale;

/** The values of {@code --synth}. */
enum SynthKind {
    AUTO, JAVASOUND, PI4J, WAV, VIRTUAL, NULL;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
