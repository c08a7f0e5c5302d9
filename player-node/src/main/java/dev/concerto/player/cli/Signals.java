package dev.concerto.player.cli;

import java.util.concurrent.CountDownLatch;

/**
 * Turns SIGTERM and SIGINT (Ctrl-C) into a latch the main thread waits on, so the main thread
 * shuts down cleanly and the process exits 0 (a plain shutdown hook would exit 143/130).
 */
final class Signals {

    private Signals() {
    }

    /** Counts {@code latch} down on SIGTERM or SIGINT; falls back to a shutdown hook if signals are unavailable. */
    @SuppressWarnings("restriction")
    static void onTerminate(CountDownLatch latch) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> latch.countDown());
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> latch.countDown());
        } catch (IllegalArgumentException | LinkageError e) {
            Runtime.getRuntime().addShutdownHook(new Thread(latch::countDown, "shutdown"));
        }
    }
}
