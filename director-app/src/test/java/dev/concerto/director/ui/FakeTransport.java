package dev.concerto.director.ui;

import dev.concerto.director.engine.PlayState;
import dev.concerto.director.engine.PlayerActivity;
import dev.concerto.director.engine.Transport;
import dev.concerto.director.engine.TransportState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A transport that records commands and publishes the snapshots a test gives it (unit tests only). */
final class FakeTransport implements Transport {

    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Consumer<TransportState>> listeners = new CopyOnWriteArrayList<>();
    volatile TransportState state;

    FakeTransport(int measureCount, double bpm) {
        state = new TransportState(PlayState.STOPPED, 0, 1, measureCount, bpm, 0, 0, 0, List.of());
    }

    /** Publishes a snapshot to the listeners on the calling thread, as the engine does on its own. */
    void publish(PlayState s, double position, int measure, double bpm, List<PlayerActivity> players) {
        state = new TransportState(s, position, measure, state.measureCount(), bpm, 0, 0, 7, players);
        listeners.forEach(l -> l.accept(state));
    }

    @Override
    public void play() {
        calls.add("play");
    }

    @Override
    public void pause() {
        calls.add("pause");
    }

    @Override
    public void resume() {
        calls.add("resume");
    }

    @Override
    public void stop() {
        calls.add("stop");
    }

    @Override
    public void seekToMeasure(int measure) {
        calls.add("seek " + measure);
    }

    @Override
    public void setLoop(int fromMeasure, int toMeasure) {
        calls.add("loop " + fromMeasure + ".." + toMeasure);
    }

    @Override
    public void clearLoop() {
        calls.add("clearLoop");
    }

    @Override
    public void setTempo(double bpm) {
        calls.add("tempo " + bpm);
    }

    @Override
    public TransportState state() {
        return state;
    }

    @Override
    public void addListener(Consumer<TransportState> listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Consumer<TransportState> listener) {
        listeners.remove(listener);
    }

    @Override
    public void close() {
        calls.add("close");
    }
}
