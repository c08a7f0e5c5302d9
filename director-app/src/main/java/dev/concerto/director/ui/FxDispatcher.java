package dev.concerto.director.ui;

import javafx.application.Platform;

/**
 * Hands work to the thread that owns the view models' properties (the FX application thread in
 * the app; the calling thread in view-model tests, which run without a toolkit).
 */
@FunctionalInterface
public interface FxDispatcher {

    /** Runs {@code work} on the FX thread, later; callable from any thread. */
    void dispatch(Runnable work);

    /** The real one: {@link Platform#runLater}. */
    static FxDispatcher platform() {
        return Platform::runLater;
    }

    /** Runs work at once on the calling thread (tests). */
    static FxDispatcher direct() {
        return Runnable::run;
    }
}
