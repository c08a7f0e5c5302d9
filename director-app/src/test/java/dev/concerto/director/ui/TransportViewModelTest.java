package dev.concerto.director.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.director.engine.PlayState;
import dev.concerto.director.engine.PlayerActivity;
import dev.concerto.director.engine.Transport;
import dev.concerto.director.score.TempoRange;
import dev.concerto.director.score.Timeline;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs without a JavaFX toolkit; the "FX thread" is a queue the test drains. */
class TransportViewModelTest {

    private final RecordingDialogs dialogs = new RecordingDialogs();
    private final Queue<Runnable> fxQueue = new ArrayDeque<>();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final SimpleObjectProperty<Timeline> timeline = new SimpleObjectProperty<>();
    private final SimpleBooleanProperty rosterValid = new SimpleBooleanProperty(true);
    private final java.util.List<FakeTransport> opened = new java.util.ArrayList<>();
    private TransportViewModel vm;

    @BeforeEach
    void setUp() {
        Callable<Transport> open = () -> {
            FakeTransport t = new FakeTransport(timeline.get().measureCount(), timeline.get().bpm());
            opened.add(t);
            return t;
        };
        vm = new TransportViewModel(BackgroundRunner.direct(), dialogs, fxQueue::add, nanos::get, timeline,
                timeline.isNotNull().and(rosterValid), () -> open);
    }

    private void drainFx() {
        Runnable r;
        while ((r = fxQueue.poll()) != null) {
            r.run();
        }
    }

    @Test
    void buttonsFollowTheScoreTheRosterAndTheState() {
        assertThat(vm.canPlayBinding().get()).isFalse();
        timeline.set(TestTimelines.scale("piece", 8, 90));
        assertThat(vm.canPlayBinding().get()).isTrue();
        assertThat(vm.canPauseBinding().get()).isFalse();
        assertThat(vm.canStopBinding().get()).isFalse();
        assertThat(vm.measureCountProperty().get()).isEqualTo(8);
        assertThat(vm.tempoProperty().get()).isEqualTo(90);
        rosterValid.set(false);
        assertThat(vm.canPlayBinding().get()).isFalse();
        rosterValid.set(true);

        vm.play();
        FakeTransport t = opened.get(0);
        t.publish(PlayState.PLAYING, 0.1, 1, 90, List.of());
        drainFx();
        assertThat(vm.stateProperty().get()).isEqualTo(PlayState.PLAYING);
        assertThat(vm.canPlayBinding().get()).isFalse();
        assertThat(vm.canPauseBinding().get()).isTrue();
        assertThat(vm.canStopBinding().get()).isTrue();

        t.publish(PlayState.PAUSED, 0.5, 1, 90, List.of());
        drainFx();
        assertThat(vm.canPlayBinding().get()).isTrue();
        assertThat(vm.canPauseBinding().get()).isFalse();
        assertThat(vm.canStopBinding().get()).isTrue();
    }

    @Test
    void playOpensATransportWithTheTempoLoopAndPositionChosenBefore() {
        timeline.set(TestTimelines.scale("piece", 8, 90));
        vm.seek(3);
        assertThat(vm.measureProperty().get()).isEqualTo(3);
        assertThat(vm.positionProperty().get()).isEqualTo(2 * 4 * 60.0 / 90);
        vm.tempoProperty().set(120);
        vm.loopProperty().set(true);

        vm.play();

        assertThat(opened).hasSize(1);
        assertThat(opened.get(0).calls).containsExactly("tempo 120.0", "loop 1..8", "seek 3", "play");
    }

    @Test
    void commandsGoToTheTransportOnceItIsOpen() {
        timeline.set(TestTimelines.scale("piece", 8, 90));
        vm.play();
        FakeTransport t = opened.get(0);
        t.calls.clear();
        t.publish(PlayState.PLAYING, 0.1, 1, 90, List.of());
        drainFx();

        vm.togglePlayPause();
        vm.tempoProperty().set(100);
        vm.loopProperty().set(true);
        vm.loopProperty().set(false);
        vm.step(2);
        vm.stop();

        vm.loopFromProperty().set(5); // not looping: nothing to tell the engine yet
        vm.loopProperty().set(true);
        vm.loopToProperty().set(6);
        vm.loopProperty().set(false);

        assertThat(t.calls).containsExactly("pause", "tempo 100.0", "loop 1..8", "clearLoop", "seek 3", "stop",
                "loop 5..8", "loop 5..6", "clearLoop");

        t.publish(PlayState.PAUSED, 1, 1, 100, List.of());
        drainFx();
        t.calls.clear();
        vm.togglePlayPause();
        assertThat(t.calls).containsExactly("resume");
        assertThat(opened).hasSize(1);
    }

    @Test
    void snapshotsAreHandedOverCoalescedAndTheTempoIsNotEchoedBack() {
        timeline.set(TestTimelines.scale("piece", 8, 90));
        vm.play();
        FakeTransport t = opened.get(0);
        fxQueue.clear();
        t.calls.clear();
        PlayerActivity bass = new PlayerActivity("local 1", "bass", 130.81, "C3", PlayerActivity.Liveness.UNKNOWN, -1, 0);

        // Three snapshots from the engine's thread before the FX thread gets to run.
        Thread engine = new Thread(() -> {
            t.publish(PlayState.PLAYING, 0.5, 1, 95, List.of());
            t.publish(PlayState.PLAYING, 2.0, 1, 95, List.of());
            t.publish(PlayState.PLAYING, 3.0, 2, 96, List.of(bass));
        });
        engine.start();
        try {
            engine.join(10_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }

        assertThat(fxQueue).hasSize(1);
        drainFx();
        assertThat(vm.positionProperty().get()).isEqualTo(3.0);
        assertThat(vm.measureProperty().get()).isEqualTo(2);
        assertThat(vm.tempoProperty().get()).isEqualTo(96);
        assertThat(vm.notesSentProperty().get()).isEqualTo(7);
        assertThat(vm.playersProperty().get()).containsExactly(bass);
        assertThat(t.calls).isEmpty();
    }

    @Test
    void thePlayheadMovesBetweenSnapshotsAtTheCurrentTempo() {
        timeline.set(TestTimelines.scale("piece", 8, 60));
        vm.play();
        FakeTransport t = opened.get(0);
        t.publish(PlayState.PLAYING, 2.0, 1, 120, List.of());
        drainFx();
        long t0 = nanos.get();

        // Twice the score's tempo: half a second of wall time is one score second.
        assertThat(vm.positionAt(t0 + 500_000_000L)).isEqualTo(3.0);
        assertThat(vm.positionAt(t0 + 1_000_000_000_000L)).isEqualTo(timeline.get().totalSeconds());

        t.publish(PlayState.PAUSED, 2.5, 1, 120, List.of());
        drainFx();
        assertThat(vm.positionAt(t0 + 500_000_000L)).isEqualTo(2.5);
    }

    @Test
    void aRosterChangeTakesEffectAtTheNextPlayAndTheOldTransportIsClosed() {
        timeline.set(TestTimelines.scale("piece", 8, 90));
        vm.play();
        FakeTransport first = opened.get(0);
        first.publish(PlayState.PLAYING, 0.1, 1, 90, List.of());
        drainFx();

        vm.invalidate();
        assertThat(first.calls).doesNotContain("close"); // still playing: plays on until Stop
        vm.stop();
        assertThat(first.calls).contains("stop", "close");
        assertThat(vm.stateProperty().get()).isEqualTo(PlayState.STOPPED);
        first.publish(PlayState.PLAYING, 9, 3, 90, List.of()); // late snapshot of the old transport
        drainFx();
        assertThat(vm.stateProperty().get()).isEqualTo(PlayState.STOPPED);

        vm.play();
        assertThat(opened).hasSize(2);
        assertThat(opened.get(1).calls).contains("play");
    }

    @Test
    void aNewScoreClosesTheTransportAndResetsThePosition() {
        timeline.set(TestTimelines.scale("piece", 8, 90));
        vm.play();
        FakeTransport t = opened.get(0);
        t.publish(PlayState.PLAYING, 5, 2, 90, List.of());
        drainFx();

        timeline.set(TestTimelines.scale("other", 3, 70));

        assertThat(t.calls).contains("close");
        assertThat(vm.stateProperty().get()).isEqualTo(PlayState.STOPPED);
        assertThat(vm.measureProperty().get()).isEqualTo(1);
        assertThat(vm.measureCountProperty().get()).isEqualTo(3);
        assertThat(vm.tempoProperty().get()).isEqualTo(70);
    }

    @Test
    void seeksAndTempoNudgesStayInRange() {
        timeline.set(TestTimelines.scale("piece", 8, 90));
        vm.seek(99);
        assertThat(vm.measureProperty().get()).isEqualTo(8);
        vm.step(-20);
        assertThat(vm.measureProperty().get()).isEqualTo(1);
        vm.tempoProperty().set(TempoRange.MAX_BPM - 2);
        vm.nudgeTempo(5);
        assertThat(vm.tempoProperty().get()).isEqualTo(TempoRange.MAX_BPM);
        vm.tempoProperty().set(TempoRange.MIN_BPM + 1);
        vm.nudgeTempo(-5);
        assertThat(vm.tempoProperty().get()).isEqualTo(TempoRange.MIN_BPM);
    }

    @Test
    void aScoreKeepsItsOwnTempoAnywhereInTheRange() {
        // The GUI once clamped to 20..300: a 400 BPM score silently played at 300.
        timeline.set(TestTimelines.scale("fast", 8, 400));
        assertThat(vm.tempoProperty().get()).isEqualTo(400);
        timeline.set(TestTimelines.scale("slow", 8, 0.5));
        assertThat(vm.tempoProperty().get()).isEqualTo(0.5);
    }

    @Test
    void aTransportThatCannotOpenSaysWhy() {
        timeline.set(TestTimelines.scale("piece", 8, 90));
        TransportViewModel failing = new TransportViewModel(BackgroundRunner.direct(), dialogs, fxQueue::add, nanos::get,
                timeline, new SimpleBooleanProperty(true), () -> () -> {
                    throw new java.io.IOException("pi-bass.local: unknown host");
                });
        failing.play();
        assertThat(dialogs.errors).containsExactly("Could not start playing: pi-bass.local: unknown host");
        assertThat(failing.openingProperty().get()).isFalse();
        assertThat(failing.canPlayBinding().get()).isTrue();
    }
}
