package dev.concerto.director.ui;

import java.util.List;
import javafx.scene.paint.Color;

/**
 * The colour of each voice, by its index in the score: its piano-roll lane and the players that
 * play it share it, which is how the window shows who plays what. Okabe–Ito colours, which stay
 * distinct for colour-blind eyes.
 */
public final class VoicePalette {

    private static final List<Color> COLORS = List.of(
            Color.web("#0072B2"), Color.web("#E69F00"), Color.web("#009E73"), Color.web("#CC79A7"),
            Color.web("#D55E00"), Color.web("#56B4E9"), Color.web("#F0E442"), Color.web("#999999"));

    /** The colour of a lane nobody plays. */
    public static final Color UNPLAYED = Color.web("#b8b8b8");

    private VoicePalette() {
    }

    /** The colour of voice number {@code index} (0-based); -1 gives {@link #UNPLAYED}. */
    public static Color of(int index) {
        return index < 0 ? UNPLAYED : COLORS.get(index % COLORS.size());
    }

    /** CSS for that colour, e.g. {@code "#0072b2"}. */
    public static String css(int index) {
        Color c = of(index);
        return String.format("#%02x%02x%02x", Math.round(c.getRed() * 255), Math.round(c.getGreen() * 255),
                Math.round(c.getBlue() * 255));
    }
}
