package dev.concerto.director.net;

import dev.concerto.protocol.TimedCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waiting for players' replies: one {@link Selector} over the {@link UdpLink}s of the players that
 * answer (each registered with its roster index), and {@link #await} reading every datagram that
 * has arrived, stamped with its arrival time on the director's clock ({@link UdpLink#lastArrivalNanos()}: the
 * kernel's receive stamp where it can be had). The one receive loop shared
 * by the engine's {@link ReplyReceiver} (which waits without a deadline) and the probe before Play,
 * {@link RosterProber} (which also sends, so it waits only until its next request is due).
 *
 * <p>Not thread-safe: owned by the one thread that calls {@link #await}; {@link #wakeup()} and
 * {@link #close()} may come from any thread and end a wait at once.
 */
final class ReplySelector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplySelector.class);

    /** Where arrivals go, on the waiting thread; {@code datagram} is reused after the call returns. */
    @FunctionalInterface
    interface Arrivals {
        void received(int player, byte[] datagram, int length, long arrivalNanos);
    }

    private final Selector selector;
    private final ByteBuffer buffer = ByteBuffer.allocate(TimedCodec.MAX_DATAGRAM_BYTES + 1);

    /** @param links the links to listen on, with their players' roster indices ({@code indices[i]} for {@code links.get(i)}) */
    ReplySelector(List<UdpLink> links, int[] indices) throws IOException {
        this.selector = Selector.open();
        try {
            for (int i = 0; i < links.size(); i++) {
                links.get(i).channel().register(selector, SelectionKey.OP_READ, new Registered(links.get(i), indices[i]));
            }
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
    }

    private record Registered(UdpLink link, int player) {
    }

    /**
     * Waits until a reply arrives, {@code timeoutMillis} pass ({@code 0}: no deadline), or
     * {@link #wakeup()}, then hands every waiting datagram to {@code arrivals}.
     *
     * @return how many datagrams were handed on
     * @throws java.nio.channels.ClosedSelectorException once {@link #close()} was called: the way a loop ends
     */
    int await(long timeoutMillis, Arrivals arrivals) throws IOException {
        if (selector.select(timeoutMillis) == 0) {
            return 0;
        }
        int count = 0;
        for (SelectionKey key : selector.selectedKeys()) {
            Registered r = (Registered) key.attachment();
            int n;
            while ((n = r.link().read(buffer)) > 0) {
                arrivals.received(r.player(), buffer.array(), n, r.link().lastArrivalNanos());
                count++;
            }
            if (n < 0) {
                key.cancel();
            }
        }
        selector.selectedKeys().clear();
        return count;
    }

    /** Ends the current or next {@link #await} at once. Any thread. */
    void wakeup() {
        selector.wakeup();
    }

    /** Closes the selector (the links stay open: their owner closes them). Any thread; idempotent. */
    @Override
    public void close() throws IOException {
        selector.close();
    }

    /**
     * Stops the loop {@code owner} runs over this selector: ends its wait, waits up to 1 s for the
     * thread to finish (unless called on it), then closes the selector, which ends any later wait.
     * The caller sets its own "closed" flag first, so that the loop's end is not reported as an error.
     * Any thread; idempotent.
     */
    void stop(Thread owner) {
        wakeup();
        if (Thread.currentThread() != owner && owner.isAlive()) {
            try {
                owner.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            close();
        } catch (IOException e) {
            LOG.debug("closing a reply selector: {}", e.toString());
        }
    }
}
