package dev.concerto.director.ui;

import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.TimedNote;
import dev.concerto.director.score.VoiceTimeline;
import java.util.List;
import java.util.function.DoubleConsumer;
import java.util.function.Function;
import java.util.function.LongToDoubleFunction;
import javafx.animation.AnimationTimer;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * The whole score as a piano roll: one lane per voice in its player's colour, pitch rising within
 * the lane, measure lines and numbers, a moving playhead, and the notes sounding now highlighted.
 *
 * <p>Two stacked canvases: the notes are drawn once per score, size or roster change; each frame
 * (an {@link AnimationTimer}, at the display's rate, normally 60 fps) redraws only the playhead and
 * the few sounding notes, and only when the position moved. Nothing here waits: the position comes
 * from a function that interpolates the engine's last snapshot. FX thread only.
 */
public final class PianoRoll extends Region {

    static final double GUTTER = 150;
    static final double HEADER = 18;

    private final Canvas notes = new Canvas();
    private final Canvas overlay = new Canvas();
    private final LongToDoubleFunction positionAtNanos;
    private final Function<String, List<String>> playersOfVoice;
    private final AnimationTimer timer;

    private Timeline timeline;
    private SoundingNotes[] sounding = new SoundingNotes[0];
    private double[] laneMinLog = new double[0];
    private double[] laneMaxLog = new double[0];
    private double drawnPosition = Double.NaN;
    private DoubleConsumer onSeekSeconds = s -> { };
    private final FrameStats frameStats = new FrameStats();

    /**
     * Frame rate and overlay drawing time, logged at DEBUG every 5 s while the playhead moves
     * ({@code -Dconcerto.log.ui=DEBUG}). FX thread only.
     */
    private static final class FrameStats {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PianoRoll.class);
        private static final long PERIOD_NANOS = 5_000_000_000L;
        private long periodStart = -1;
        private int frames;
        private int drawn;
        private long drawNanos;
        private long maxDrawNanos;

        void record(long now, long drawNanosThisFrame) {
            if (periodStart < 0) {
                periodStart = now;
            }
            frames++;
            if (drawNanosThisFrame >= 0) {
                drawn++;
                drawNanos += drawNanosThisFrame;
                maxDrawNanos = Math.max(maxDrawNanos, drawNanosThisFrame);
            }
            long elapsed = now - periodStart;
            if (elapsed >= PERIOD_NANOS) {
                if (drawn > 0 && LOG.isDebugEnabled()) {
                    LOG.debug(String.format(java.util.Locale.ROOT,
                            "piano roll: %.1f frames/s, playhead drawn in %d of them, %.3f ms mean, %.3f ms max",
                            frames * 1e9 / elapsed, drawn, drawNanos / 1e6 / drawn, maxDrawNanos / 1e6));
                }
                periodStart = now;
                frames = 0;
                drawn = 0;
                drawNanos = 0;
                maxDrawNanos = 0;
            }
        }
    }

    /**
     * @param positionAtNanos the score position (seconds) at a {@code System.nanoTime()} instant
     * @param playersOfVoice  the names of the players that play a voice (for the lane labels)
     */
    public PianoRoll(LongToDoubleFunction positionAtNanos, Function<String, List<String>> playersOfVoice) {
        this.positionAtNanos = positionAtNanos;
        this.playersOfVoice = playersOfVoice;
        setId("piano-roll");
        getChildren().addAll(notes, overlay);
        setMinSize(300, 120);
        setPrefSize(900, 300);
        widthProperty().addListener(o -> redrawAll());
        heightProperty().addListener(o -> redrawAll());
        overlay.setOnMouseClicked(e -> {
            if (timeline != null && e.getX() > GUTTER) {
                onSeekSeconds.accept(secondsAt(e.getX()));
            }
        });
        timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                double pos = PianoRoll.this.positionAtNanos.applyAsDouble(now);
                if (pos != drawnPosition) {
                    long t0 = System.nanoTime();
                    drawOverlay(pos);
                    frameStats.record(now, System.nanoTime() - t0);
                } else {
                    frameStats.record(now, -1);
                }
            }
        };
        sceneProperty().addListener((obs, old, scene) -> {
            if (scene == null) {
                timer.stop();
            } else {
                timer.start();
            }
        });
    }

    /** Called with the score seconds under a click on the roll. */
    public void setOnSeek(DoubleConsumer seekSeconds) {
        this.onSeekSeconds = seekSeconds;
    }

    public void setTimeline(Timeline t) {
        this.timeline = t;
        int n = t == null ? 0 : t.voices().size();
        sounding = new SoundingNotes[n];
        laneMinLog = new double[n];
        laneMaxLog = new double[n];
        for (int v = 0; v < n; v++) {
            List<TimedNote> list = t.voices().get(v).notes();
            sounding[v] = new SoundingNotes(t.voices().get(v));
            double lo = Double.MAX_VALUE;
            double hi = -Double.MAX_VALUE;
            for (int i = 0; i < list.size(); i++) {
                TimedNote note = list.get(i);
                if (!note.isSilence()) {
                    double l = log2(note.hz());
                    lo = Math.min(lo, l);
                    hi = Math.max(hi, l);
                }
            }
            if (lo > hi) {
                lo = hi = log2(440);
            }
            // A semitone of room above and below the lane's extremes.
            laneMinLog[v] = lo - 1.0 / 12;
            laneMaxLog[v] = hi + 1.0 / 12;
        }
        redrawAll();
    }

    /** Redraws the notes layer (after a roster change recolours or relabels lanes). */
    public void redrawAll() {
        notes.setWidth(getWidth());
        notes.setHeight(getHeight());
        overlay.setWidth(getWidth());
        overlay.setHeight(getHeight());
        drawNotes();
        drawnPosition = Double.NaN;
    }

    @Override
    protected void layoutChildren() {
        notes.relocate(0, 0);
        overlay.relocate(0, 0);
    }

    private static double log2(double hz) {
        return Math.log(hz) / Math.log(2);
    }

    private double xOf(double seconds) {
        double span = Math.max(1e-9, timeline.totalSeconds());
        return GUTTER + (getWidth() - GUTTER - 6) * seconds / span;
    }

    private double secondsAt(double x) {
        return Math.max(0, (x - GUTTER) / (getWidth() - GUTTER - 6) * timeline.totalSeconds());
    }

    private double laneTop(int v) {
        return HEADER + (getHeight() - HEADER) * v / timeline.voices().size();
    }

    private double laneHeight() {
        return (getHeight() - HEADER) / timeline.voices().size();
    }

    private double noteHeight(int v) {
        double semitones = (laneMaxLog[v] - laneMinLog[v]) * 12;
        return Math.max(3, Math.min(10, (laneHeight() - 8) / Math.max(1, semitones)));
    }

    private double yOf(int v, double hz) {
        double frac = (log2(hz) - laneMinLog[v]) / (laneMaxLog[v] - laneMinLog[v]);
        double top = laneTop(v) + 4;
        double usable = laneHeight() - 8 - noteHeight(v);
        return top + usable * (1 - frac);
    }

    private int colourIndex(int v) {
        return playersOfVoice.apply(timeline.voices().get(v).name()).isEmpty() ? -1 : v;
    }

    private void drawNotes() {
        GraphicsContext g = notes.getGraphicsContext2D();
        double w = getWidth();
        double h = getHeight();
        g.setFill(Color.web("#1e2128"));
        g.fillRect(0, 0, w, h);
        if (timeline == null || timeline.voices().isEmpty()) {
            g.setFill(Color.web("#9aa0aa"));
            g.setTextAlign(TextAlignment.CENTER);
            g.setFont(Font.font(14));
            g.fillText("No score loaded — File ▸ Open score, or drop a file here", w / 2, h / 2);
            return;
        }
        // Measure lines and numbers.
        g.setFont(Font.font(10));
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        List<Double> measures = timeline.measureStartSeconds();
        double minLabelGap = 22;
        double lastLabelX = -1e9;
        for (int m = 0; m < measures.size(); m++) {
            double x = xOf(measures.get(m));
            g.setStroke(Color.web("#3a3f4a"));
            g.setLineWidth(1);
            g.strokeLine(x + 0.5, HEADER, x + 0.5, h);
            if (x - lastLabelX >= minLabelGap) {
                g.setFill(Color.web("#9aa0aa"));
                g.fillText(String.valueOf(m + 1), x + 8, HEADER / 2);
                lastLabelX = x;
            }
        }
        // Lanes.
        for (int v = 0; v < timeline.voices().size(); v++) {
            VoiceTimeline voice = timeline.voices().get(v);
            double top = laneTop(v);
            Color colour = VoicePalette.of(colourIndex(v));
            g.setFill(v % 2 == 0 ? Color.web("#23272f") : Color.web("#262a33"));
            g.fillRect(0, top, GUTTER, laneHeight());
            g.setFill(colour);
            g.fillRect(0, top, 5, laneHeight());
            g.setStroke(Color.web("#3a3f4a"));
            g.strokeLine(0, top + 0.5, w, top + 0.5);
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.TOP);
            g.setFont(Font.font(null, javafx.scene.text.FontWeight.BOLD, 12));
            g.setFill(colour.brighter());
            g.fillText(voice.name(), 10, top + 4);
            g.setFont(Font.font(10));
            List<String> players = playersOfVoice.apply(voice.name());
            g.setFill(Color.web("#c8ccd4"));
            String who = players.isEmpty() ? (voice.optional() ? "optional · no player" : "no player")
                    : "→ " + String.join(", ", players);
            g.fillText(who, 10, top + 20, GUTTER - 14);
            double nh = noteHeight(v);
            Color fill = colour.deriveColor(0, 0.9, 0.85, 0.85);
            g.setFill(fill);
            for (TimedNote note : voice.notes()) {
                if (note.isSilence() || note.durationSeconds() <= 0) {
                    continue;
                }
                double x0 = xOf(note.startSeconds());
                double x1 = xOf(note.endSeconds());
                g.fillRect(x0, yOf(v, note.hz()), Math.max(1, x1 - x0 - 0.5), nh);
            }
        }
    }

    /** The playhead and the sounding notes at {@code pos} seconds. */
    private void drawOverlay(double pos) {
        drawnPosition = pos;
        GraphicsContext g = overlay.getGraphicsContext2D();
        g.clearRect(0, 0, overlay.getWidth(), overlay.getHeight());
        if (timeline == null || timeline.voices().isEmpty()) {
            return;
        }
        for (int v = 0; v < timeline.voices().size(); v++) {
            TimedNote note = soundingNote(v, pos);
            if (note == null) {
                continue;
            }
            double x0 = xOf(note.startSeconds());
            double x1 = xOf(note.endSeconds());
            double y = yOf(v, note.hz());
            double nh = noteHeight(v);
            g.setFill(Color.WHITE);
            g.fillRect(x0 - 1, y - 1, Math.max(3, x1 - x0 + 1), nh + 2);
            g.setFill(VoicePalette.of(colourIndex(v)).brighter());
            g.fillRect(x0, y, Math.max(1, x1 - x0 - 0.5), nh);
            // The note's name just right of the playhead, kept inside the lane.
            g.setFill(Color.WHITE);
            g.setFont(Font.font(null, javafx.scene.text.FontWeight.BOLD, 11));
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.CENTER);
            double labelY = y - 7 >= laneTop(v) + 8 ? y - 7 : y + nh + 7; // above the note, or below at the lane's top
            g.fillText(note.name(), Math.min(xOf(pos) + 6, getWidth() - 30), labelY);
        }
        double x = xOf(pos);
        g.setStroke(Color.web("#ff5252"));
        g.setLineWidth(2);
        g.strokeLine(x, HEADER, x, getHeight());
        g.setFill(Color.web("#ff5252"));
        g.fillPolygon(new double[] {x - 5, x + 5, x}, new double[] {HEADER - 6, HEADER - 6, HEADER}, 3);
    }

    /** The sounding (non-silence) note of voice {@code v} at {@code pos}, or null. */
    private TimedNote soundingNote(int v, double pos) {
        return sounding[v].at(pos);
    }
}
