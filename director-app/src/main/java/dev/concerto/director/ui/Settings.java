package dev.concerto.director.ui;

import dev.concerto.director.engine.RosterEntry;
import java.util.List;

/**
 * What the GUI remembers between runs, as stored in {@code settings.json} in the user's config
 * directory.
 *
 * @param lastScore     the score open when the window closed, or null
 * @param recentScores  recently opened scores, most recent first
 * @param roster        the roster in use, or null for the embedded local players
 * @param rosterFile    the file that roster was loaded from or saved to, or null
 * @param windowWidth   window width in pixels (0: default)
 * @param windowHeight  window height in pixels (0: default)
 * @param logLevel      the log pane's level filter ("INFO", ...)
 */
public record Settings(String lastScore, List<String> recentScores, List<RosterEntry> roster, String rosterFile,
                       double windowWidth, double windowHeight, String logLevel) {

    public Settings {
        recentScores = recentScores == null ? List.of() : List.copyOf(recentScores);
        roster = roster == null ? null : List.copyOf(roster);
    }

    /** First run: no score remembered, local players, default window. */
    public static Settings defaults() {
        return new Settings(null, List.of(), null, null, 0, 0, "INFO");
    }
}
