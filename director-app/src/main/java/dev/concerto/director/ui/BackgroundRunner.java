package dev.concerto.director.ui;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Runs slow work (loading a score, opening a transport, a test tone) off the FX thread and hands
 * the outcome back on it. View models use only this interface, so their tests can run the work
 * synchronously.
 */
public interface BackgroundRunner extends AutoCloseable {

    /**
     * Runs {@code work} in the background; then exactly one of {@code onSuccess} and
     * {@code onFailure} runs on the FX thread.
     */
    <T> void run(String what, Callable<T> work, Consumer<? super T> onSuccess, Consumer<? super Exception> onFailure);

    /** Stops accepting work and lets the worker thread end. */
    @Override
    void close();

    /** Runs everything at once on the calling thread (view-model tests). */
    static BackgroundRunner direct() {
        return new BackgroundRunner() {
            @Override
            public <T> void run(String what, Callable<T> work, Consumer<? super T> onSuccess,
                                Consumer<? super Exception> onFailure) {
                T result;
                try {
                    result = work.call();
                } catch (Exception e) {
                    onFailure.accept(e);
                    return;
                }
                onSuccess.accept(result);
            }

            @Override
            public void close() {
            }
        };
    }
}
