package dev.concerto.director.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's {@link BackgroundRunner}: one daemon worker thread ("concerto-ui-worker"), so work
 * runs in submission order (a score load never overtakes the stop that preceded it). Owned by the
 * window; {@link #close()} ends the thread. Thread-safe.
 */
public final class ExecutorBackgroundRunner implements BackgroundRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorBackgroundRunner.class);

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "concerto-ui-worker");
        t.setDaemon(true);
        return t;
    });
    private final FxDispatcher fx;

    public ExecutorBackgroundRunner(FxDispatcher fx) {
        this.fx = fx;
    }

    @Override
    public <T> void run(String what, Callable<T> work, Consumer<? super T> onSuccess,
                        Consumer<? super Exception> onFailure) {
        try {
            executor.execute(() -> {
                try {
                    T result = work.call();
                    fx.dispatch(() -> onSuccess.accept(result));
                } catch (Exception e) {
                    LOG.debug("{} failed", what, e);
                    fx.dispatch(() -> onFailure.accept(e));
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("{} not run: the window is closing", what);
        }
    }

    @Override
    public void close() {
        executor.shutdown();
    }

    /** Closes and waits up to {@code millis} for queued work (closing a transport, say) to finish. */
    public void closeAndWait(long millis) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
                LOG.warn("Background work still running after {} ms; leaving it", millis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
