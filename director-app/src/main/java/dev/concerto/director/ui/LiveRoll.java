package dev.concerto.director.ui;

import java.util.List;
import java.util.function.LongSupplier;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

/**
 * The Live mode's roll: what was played over the last {@value #WINDOW_SECONDS} seconds, scrolling
 * right to left, one colour per player, pitch upwards (a logarithmic frequency axis, 30 Hz..4 kHz).
 * Draws the view model's notes; {@link #redraw()} is called on every poll. FX thread only.
 */
final class LiveRoll extends Region {

    static final double WINDOW_SECONDS = 8;
    private static final double LOW_HZ = 30;
    private static final double HIGH_HZ = 4_000;

    private final Canvas canvas = new Canvas();
    private final List<LiveViewModel.RollNote> notes;
    private final LongSupplier nanoClock;

    LiveRoll(List<LiveViewModel.RollNote> notes, LongSupplier nanoClock) {
        this.notes = notes;
        this.nanoClock = nanoClock;
        setId("live-roll");
        getChildren().add(canvas);
        setMinHeight(120);
        widthProperty().addListener(o -> redraw());
        heightProperty().addListener(o -> redraw());
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
    }

    void redraw() {
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(Color.web("#fafafa"));
        g.fillRect(0, 0, w, h);
        g.setStroke(Color.web("#e4e4e4"));
        for (double hz = 55; hz < HIGH_HZ; hz *= 2) { // a line at every A
            double y = y(hz, h);
            g.strokeLine(0, y, w, y);
        }
        long now = nanoClock.getAsLong();
        double pxPerNano = w / (WINDOW_SECONDS * 1e9);
        for (LiveViewModel.RollNote n : notes) {
            long end = n.endNanos() == Long.MAX_VALUE ? now : n.endNanos();
            double x1 = w - (now - end) * pxPerNano;
            if (x1 < 0) {
                continue;
            }
            double x0 = Math.max(0, w - (now - n.startNanos()) * pxPerNano);
            g.setFill(VoicePalette.of(n.player()));
            g.fillRect(x0, y(n.hz(), h) - 3, Math.max(2, x1 - x0), 6);
        }
    }

    private static double y(double hz, double h) {
        double f = Math.log(Math.max(LOW_HZ, Math.min(HIGH_HZ, hz)) / LOW_HZ) / Math.log(HIGH_HZ / LOW_HZ);
        return h - 6 - f * (h - 12);
    }
}
