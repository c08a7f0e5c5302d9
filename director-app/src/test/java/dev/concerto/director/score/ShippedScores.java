package dev.concerto.director.score;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository's {@code scores/} directory from the module directory Surefire runs in. */
public final class ShippedScores {

    private ShippedScores() {
    }

    public static Path path(String name) {
        for (Path dir : new Path[] {Path.of("..", "scores"), Path.of("scores")}) {
            if (Files.isDirectory(dir)) {
                return dir.resolve(name);
            }
        }
        throw new IllegalStateException("no scores/ directory near " + Path.of("").toAbsolutePath());
    }

    /** MIDI note number of an equal-tempered frequency at A4 = 440 Hz. */
    public static int midiOf(double hz) {
        return (int) Math.round(69 + 12 * Math.log(hz / 440.0) / Math.log(2));
    }
}
