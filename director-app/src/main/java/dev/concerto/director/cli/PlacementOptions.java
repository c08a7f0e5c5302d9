package dev.concerto.director.cli;

import dev.concerto.director.score.Placement;
import dev.concerto.director.score.Score;
import dev.concerto.director.score.ScoreCompiler;
import dev.concerto.director.score.ScoreException;
import dev.concerto.director.score.ScoreLoader;
import dev.concerto.director.score.Timeline;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Options that say how an imported file's notes (MIDI, MusicXML) are spread over monophonic
 * players; a JSON score ignores them. Unset options take the format's default (MIDI: high-to-low
 * over 4 players; MusicXML: one voice per part, as many as needed), always keeping the outer voices.
 */
final class PlacementOptions {

    @Option(names = "--split", paramLabel = "PRESET",
            description = "MIDI/MusicXML: how notes are spread over monophonic voices: part (or track: one voice "
                    + "per part/track, more where it has chords), channel, high-to-low (a pool of players, chords "
                    + "top-down) or round-robin. Default: high-to-low for MIDI, part for MusicXML.")
    String split;

    @Option(names = "--players", paramLabel = "N|auto",
            description = "MIDI/MusicXML: players available, or 'auto' for as many as the piece's polyphony needs. "
                    + "Default: 4 for MIDI, auto for MusicXML.")
    String players;

    @Option(names = "--keep", paramLabel = "RULE",
            description = "MIDI/MusicXML: which notes of a chord keep a player when too few are free: outer (the top "
                    + "and the bass, inner voices dropped first), top (the bass dropped first) or bottom. Default: outer.")
    String keep;

    @Option(names = "--sustain-pedal",
            description = "MIDI: hold notes while the sustain pedal (CC 64) is down, as a piano sounds; off by default "
                    + "(held notes keep monophonic players busy, so more notes find no player)")
    boolean sustainPedal;

    /** The placement these options give for {@code file}, or {@code null} for a JSON score. */
    Placement placementFor(Path file, CommandSpec spec) {
        ScoreLoader.Format format = ScoreLoader.Format.of(file);
        if (!format.imported()) {
            return null;
        }
        Placement d = format.defaultPlacement();
        Placement.Split s = d.split();
        if (split != null) {
            try {
                s = Placement.Split.parse(split);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(),
                        "unknown --split '" + split + "' (part, track, channel, high-to-low, round-robin)");
            }
        }
        int n = d.players();
        if (players != null) {
            if (players.trim().equalsIgnoreCase("auto")) {
                n = Placement.AUTO;
            } else {
                try {
                    n = Integer.parseInt(players.trim());
                } catch (NumberFormatException e) {
                    n = -1;
                }
                if (n < 1) {
                    throw new ParameterException(spec.commandLine(), "--players must be a number >= 1 or 'auto', not '" + players + "'");
                }
            }
        }
        Placement.Keep k = d.keep();
        if (keep != null) {
            try {
                k = Placement.Keep.parse(keep);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "unknown --keep '" + keep + "' (outer, top, bottom)");
            }
        }
        return new Placement(s, n, k, sustainPedal);
    }

    /** Loads {@code file} with these options. */
    Score load(Path file, CommandSpec spec) throws ScoreException {
        return ScoreLoader.load(file, placementFor(file, spec));
    }

    /**
     * The compiled timeline of {@code file}, or {@code null} for a bad score, after saying why on
     * the command's error stream ({@code concerto <command>: <file, place, field and problem>}).
     */
    Timeline compileOrReport(Path file, CommandSpec spec) {
        try {
            return ScoreCompiler.compile(load(file, spec));
        } catch (ScoreException e) {
            spec.commandLine().getErr().println("concerto " + spec.name() + ": " + e.getMessage());
            return null;
        }
    }
}
