package dev.concerto.director.net;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The director's one receive loop: a thread waiting ({@link ReplySelector}) on the channels of
 * every player that answers (timed and auto players), reading each datagram that arrives (a
 * clock-sync reply), stamping it with its arrival time on the engine's clock and handing it on
 * ({@link Consumer#received}); the engine puts it on a lock-free queue that its scheduler thread
 * drains. It never writes: the scheduler thread is each socket's one writer.
 *
 * <p>{@link #close()} stops it (closing its selector ends the loop); the channels stay open.
 */
final class ReplyReceiver implements AutoCloseable {

    /** Where arrivals go; called on the receive thread, must not block. */
    @FunctionalInterface
    interface Consumer {
        void received(int player, byte[] datagram, long arrivalNanos);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReplyReceiver.class);

    private final ReplySelector selector;
    private final Consumer consumer;
    private final Thread thread;
    private volatile boolean closed;

    /** @param links the links to listen on, with their players' roster indices */
    ReplyReceiver(List<UdpLink> links, int[] indices, Consumer consumer) throws IOException {
        this.consumer = consumer;
        this.selector = new ReplySelector(links, indices);
        this.thread = new Thread(this::run, "concerto-replies");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!closed) {
                selector.await(0, (player, datagram, length, arrival) ->
                        consumer.received(player, Arrays.copyOf(datagram, length), arrival));
            }
        } catch (ClosedSelectorException e) {
            // closed: the way this loop ends
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.error("the reply receiver stopped: {}", e.toString(), e);
            }
        }
    }

    /** Stops the thread (waiting up to 1 s) and closes the selector. Idempotent. */
    @Override
    public void close() {
        closed = true;
        selector.stop(thread);
    }
}
