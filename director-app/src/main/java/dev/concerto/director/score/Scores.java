package dev.concerto.director.score;

import java.nio.file.Path;

/** Conveniences over {@link ScoreLoader} and {@link ScoreCompiler}. Stateless; thread-safe. */
public final class Scores {

    private Scores() {
    }

    /** Loads a score file (JSON, or MIDI by extension) and compiles it. */
    public static Timeline loadTimeline(Path file) throws ScoreException {
        return ScoreCompiler.compile(ScoreLoader.load(file));
    }
}
