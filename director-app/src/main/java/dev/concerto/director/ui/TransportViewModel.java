package dev.concerto.director.ui;

import dev.concerto.director.engine.PlayState;
import dev.concerto.director.engine.PlayerActivity;
import dev.concerto.director.engine.Transport;
import dev.concerto.director.engine.TransportState;
import dev.concerto.director.score.TempoRange;
import dev.concerto.director.score.Timeline;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.value.ObservableValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Play, pause, stop, loop, tempo and position, adapted from the engine's {@link TransportState}
 * snapshots to properties. The engine calls its listener on its own thread; the latest snapshot is
 * handed to the FX thread through the {@link FxDispatcher}, coalesced (at most one hand-over
 * pending), so a busy engine never floods the FX thread.
 *
 * <p>The transport is opened lazily on Play (in the background), for the score and roster of that
 * moment; a changed score or roster {@linkplain #invalidate() invalidates} it, and the next Play
 * opens a new one. Tempo, loop and a seek made before that carry over. FX thread only, except the
 * engine listener.
 */
public final class TransportViewModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TransportViewModel.class);

    private final BackgroundRunner runner;
    private final DialogService dialogs;
    private final FxDispatcher fx;
    private final LongSupplier nanoClock;
    private final ObservableValue<Timeline> timeline;
    private final Supplier<Callable<Transport>> opener;

    private final ReadOnlyObjectWrapper<PlayState> state = new ReadOnlyObjectWrapper<>(this, "state", PlayState.STOPPED);
    private final ReadOnlyDoubleWrapper position = new ReadOnlyDoubleWrapper(this, "positionSeconds");
    private final ReadOnlyIntegerWrapper measure = new ReadOnlyIntegerWrapper(this, "measure", 1);
    private final ReadOnlyIntegerWrapper measureCount = new ReadOnlyIntegerWrapper(this, "measureCount");
    private final ReadOnlyLongWrapper notesSent = new ReadOnlyLongWrapper(this, "notesSent");
    private final ReadOnlyBooleanWrapper opening = new ReadOnlyBooleanWrapper(this, "opening");
    private final ReadOnlyObjectWrapper<List<PlayerActivity>> players = new ReadOnlyObjectWrapper<>(this, "players", List.of());
    private final DoubleProperty tempo = new SimpleDoubleProperty(this, "tempoBpm", 60);
    private final BooleanProperty loop = new SimpleBooleanProperty(this, "loop");
    private final IntegerProperty loopFrom = new SimpleIntegerProperty(this, "loopFrom", 1);
    private final IntegerProperty loopTo = new SimpleIntegerProperty(this, "loopTo", 1);

    private final BooleanBinding canPlay;
    private final BooleanBinding canPause;
    private final BooleanBinding canStop;

    // The engine's latest snapshot and whether a hand-over to the FX thread is pending.
    private final AtomicReference<TransportState> latest = new AtomicReference<>();
    private final AtomicBoolean handOverPending = new AtomicBoolean();

    private Transport transport;
    private Consumer<TransportState> listener;
    private boolean stale;
    private boolean applyingEngineState;
    private long positionStampNanos;

    /**
     * @param timeline  the loaded score (null when none)
     * @param ready     true when a score is loaded and the roster is valid
     * @param opener    called on the FX thread at Play: captures the current score and roster and
     *                  returns the work that opens a transport for them (run in the background)
     * @param nanoClock monotonic nanoseconds, for the playhead's interpolation between snapshots
     */
    public TransportViewModel(BackgroundRunner runner, DialogService dialogs, FxDispatcher fx, LongSupplier nanoClock,
                              ObservableValue<Timeline> timeline, ObservableBooleanValue ready,
                              Supplier<Callable<Transport>> opener) {
        this.runner = runner;
        this.dialogs = dialogs;
        this.fx = fx;
        this.nanoClock = nanoClock;
        this.timeline = timeline;
        this.opener = opener;
        canPlay = Bindings.createBooleanBinding(() -> ready.get() && !opening.get() && state.get() != PlayState.PLAYING,
                ready, opening, state);
        canPause = state.isEqualTo(PlayState.PLAYING);
        canStop = state.isNotEqualTo(PlayState.STOPPED).or(opening);
        tempo.addListener((obs, old, bpm) -> {
            if (!applyingEngineState && transport != null) {
                transport.setTempo(bpm.doubleValue());
            }
        });
        loop.addListener(o -> {
            if (!applyingEngineState && transport != null && !stale) {
                applyLoop(transport);
            }
        });
        javafx.beans.InvalidationListener rangeChanged = o -> {
            if (!applyingEngineState && transport != null && !stale && loop.get()) {
                applyLoop(transport);
            }
        };
        loopFrom.addListener(rangeChanged);
        loopTo.addListener(rangeChanged);
        timeline.addListener((obs, old, t) -> scoreChanged(t));
        scoreChanged(timeline.getValue());
    }

    private void scoreChanged(Timeline t) {
        closeTransport();
        state.set(PlayState.STOPPED);
        position.set(0);
        measure.set(1);
        measureCount.set(t == null ? 0 : t.measureCount());
        notesSent.set(0);
        players.set(List.of());
        if (t != null) {
            applyingEngineState = true;
            tempo.set(TempoRange.clamp(t.bpm())); // a loaded score's tempo is in range already
            loopFrom.set(1);
            loopTo.set(Math.max(1, t.measureCount()));
            applyingEngineState = false;
        }
    }

    /** Plays from the current position; resumes when paused; opens a transport first when needed. */
    public void play() {
        if (!canPlay.get()) {
            return;
        }
        if (transport != null && !stale) {
            if (state.get() == PlayState.PAUSED) {
                transport.resume();
            } else {
                transport.play();
            }
            return;
        }
        closeTransport();
        Callable<Transport> open;
        try {
            open = opener.get();
        } catch (RuntimeException e) {
            dialogs.showError("Could not start playing", String.valueOf(e.getMessage()));
            return;
        }
        opening.set(true);
        int startMeasure = measure.get();
        runner.run("opening the transport", open, opened -> {
            opening.set(false);
            double bpm = tempo.get();
            attach(opened);
            opened.setTempo(bpm);
            applyLoop(opened);
            if (startMeasure > 1) {
                opened.seekToMeasure(startMeasure);
            }
            opened.play();
        }, error -> {
            opening.set(false);
            LOG.warn("Could not start playing: {}", error.getMessage());
            dialogs.showError("Could not start playing", String.valueOf(error.getMessage()));
        });
    }

    public void pause() {
        if (transport != null && state.get() == PlayState.PLAYING) {
            transport.pause();
        }
    }

    /** Space: pause when playing, play (or resume) otherwise. */
    public void togglePlayPause() {
        if (state.get() == PlayState.PLAYING) {
            pause();
        } else {
            play();
        }
    }

    /** Silences every player and returns to the start (or the loop's start). */
    public void stop() {
        if (transport != null) {
            transport.stop();
        }
        if (stale) {
            closeTransport();
            state.set(PlayState.STOPPED);
        }
        if (transport == null) {
            seekLocally(1);
        }
    }

    /** Moves to the start of a 1-based measure (clamped to the score). */
    public void seek(int toMeasure) {
        int count = measureCount.get();
        if (count == 0) {
            return;
        }
        int m = Math.max(1, Math.min(count, toMeasure));
        if (transport != null && !stale) {
            transport.seekToMeasure(m);
        }
        seekLocally(m);
    }

    /** Arrow keys: one measure back or forward. */
    public void step(int measures) {
        seek(measure.get() + measures);
    }

    /** Changes the tempo by {@code delta} BPM, within the {@link TempoRange}. */
    public void nudgeTempo(double delta) {
        tempo.set(TempoRange.clamp(tempo.get() + delta));
    }

    private void seekLocally(int m) {
        Timeline t = timeline.getValue();
        measure.set(m);
        position.set(t == null || t.measureCount() == 0 ? 0 : t.measureStartSeconds().get(m - 1));
        positionStampNanos = nanoClock.getAsLong();
    }

    private void applyLoop(Transport t) {
        int count = measureCount.get();
        if (loop.get() && count > 0) {
            int from = Math.max(1, Math.min(count, loopFrom.get()));
            int to = Math.max(1, Math.min(count, loopTo.get()));
            t.setLoop(Math.min(from, to), Math.max(from, to));
        } else {
            t.clearLoop();
        }
    }

    /**
     * The roster or score changed: the transport in use no longer matches. When stopped it is closed
     * now; when playing or paused it plays on until Stop, and the next Play uses a new one.
     */
    public void invalidate() {
        stale = true;
        if (state.get() == PlayState.STOPPED && !opening.get()) {
            closeTransport();
        }
    }

    private void attach(Transport t) {
        transport = t;
        stale = false;
        Consumer<TransportState> l = snapshot -> {
            latest.set(snapshot);
            if (handOverPending.compareAndSet(false, true)) {
                fx.dispatch(() -> {
                    handOverPending.set(false);
                    TransportState s = latest.get();
                    if (transport == t && s != null) {
                        apply(s);
                    }
                });
            }
        };
        listener = l;
        t.addListener(l);
    }

    private void apply(TransportState s) {
        applyingEngineState = true;
        try {
            state.set(s.state());
            position.set(s.positionSeconds());
            positionStampNanos = nanoClock.getAsLong();
            measure.set(Math.max(1, s.measure()));
            if (s.measureCount() > 0) {
                measureCount.set(s.measureCount());
            }
            if (s.tempoBpm() > 0) {
                tempo.set(s.tempoBpm());
            }
            loop.set(s.looping());
            if (s.looping()) {
                loopFrom.set(s.loopFromMeasure());
                loopTo.set(s.loopToMeasure());
            }
            notesSent.set(s.notesSent());
            players.set(s.players());
        } finally {
            applyingEngineState = false;
        }
    }

    private void closeTransport() {
        Transport t = transport;
        if (t == null) {
            return;
        }
        transport = null;
        t.removeListener(listener);
        listener = null;
        players.set(List.of());
        // Closing silences the players and joins the engine's thread: not on the FX thread.
        runner.run("closing the transport", () -> {
            t.close();
            return t;
        }, closed -> { }, error -> LOG.warn("Closing the transport failed: {}", error.getMessage()));
    }

    /**
     * The position in score seconds at {@code nanos} (from the same clock as the constructor's):
     * the last snapshot's, advanced at the current tempo while playing. For the playhead, which
     * moves every frame while snapshots arrive about every note.
     */
    public double positionAt(long nanos) {
        double pos = position.get();
        Timeline t = timeline.getValue();
        if (state.get() != PlayState.PLAYING || t == null || t.bpm() <= 0) {
            return pos;
        }
        double elapsed = Math.max(0, nanos - positionStampNanos) / 1e9;
        return Math.min(t.totalSeconds(), pos + elapsed * tempo.get() / t.bpm());
    }

    /** Stops and closes the transport (window closing). */
    @Override
    public void close() {
        closeTransport();
    }

    public ReadOnlyObjectProperty<PlayState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** Score seconds, from the last snapshot or seek. */
    public ReadOnlyDoubleProperty positionProperty() {
        return position.getReadOnlyProperty();
    }

    /** 1-based. */
    public ReadOnlyIntegerProperty measureProperty() {
        return measure.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty measureCountProperty() {
        return measureCount.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty notesSentProperty() {
        return notesSent.getReadOnlyProperty();
    }

    /** True while a transport is being opened after Play. */
    public ReadOnlyBooleanProperty openingProperty() {
        return opening.getReadOnlyProperty();
    }

    /** Per-player activity from the last snapshot. */
    public ReadOnlyObjectProperty<List<PlayerActivity>> playersProperty() {
        return players.getReadOnlyProperty();
    }

    /** Beats per minute; setting it changes the tempo live. */
    public DoubleProperty tempoProperty() {
        return tempo;
    }

    /** Loop measures {@link #loopFromProperty()}..{@link #loopToProperty()}; setting it takes effect live. */
    public BooleanProperty loopProperty() {
        return loop;
    }

    /** First measure of the loop (1-based); the whole piece after a score loads. */
    public IntegerProperty loopFromProperty() {
        return loopFrom;
    }

    /** Last measure of the loop, inclusive. */
    public IntegerProperty loopToProperty() {
        return loopTo;
    }

    public BooleanBinding canPlayBinding() {
        return canPlay;
    }

    public BooleanBinding canPauseBinding() {
        return canPause;
    }

    public BooleanBinding canStopBinding() {
        return canStop;
    }
}
