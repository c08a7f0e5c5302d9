package dev.concerto.director.engine;

import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's clock-sync thread: sends {@code S} requests to every timed or auto player (a burst
 * of {@value #BURST} {@value #BURST_SPACING_MILLIS} ms apart at start, then one every
 * {@value #INTERVAL_MILLIS} ms, playing or idle), reads the {@code R} replies arriving on each
 * player's connected channel and feeds each player's estimator; every {@value #TICK_MILLIS} ms it
 * lets each sender extend the lease of a long note ({@link TimedSender#maintain(long)}), and about
 * once a second it calls a refresh callback (the engine publishes a snapshot with the new figures).
 *
 * <p>One per engine; {@link #close()} stops it (closing its selector ends the loop). Real time only
 * (it waits in {@link Selector#select(long)}); the logic it drives is tested on a fake clock
 * through {@link TimedSender} directly.
 */
final class ClockSyncService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClockSyncService.class);
    static final int BURST = 8;
    static final long BURST_SPACING_MILLIS = 20;
    static final long INTERVAL_MILLIS = 500;
    static final long TICK_MILLIS = 25;
    static final long REFRESH_MILLIS = 1_000;

    private final List<TimedSender> senders;
    private final Clock clock;
    private final Selector selector;
    private final Thread thread;
    private volatile Runnable onRefresh = () -> { };
    private volatile boolean closed;

    ClockSyncService(List<TimedSender> senders, Clock clock) throws IOException {
        this.senders = List.copyOf(senders);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.selector = Selector.open();
        try {
            for (TimedSender s : this.senders) {
                s.channel().register(selector, SelectionKey.OP_READ, s);
            }
        } catch (IOException | RuntimeException e) {
            selector.close();
            throw e;
        }
        this.thread = new Thread(this::run, "concerto-clock-sync");
        thread.setDaemon(true);
    }

    ClockSyncService start() {
        thread.start();
        return this;
    }

    /** Called on the sync thread about once a second; must return quickly. */
    void onRefresh(Runnable r) {
        this.onRefresh = Objects.requireNonNull(r, "onRefresh");
    }

    /**
     * Waits until every player has answered at least {@code wanted} requests, or the timeout
     * passes (polling the published counters; called before playing starts).
     */
    void awaitAnswers(int wanted, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (senders.stream().allMatch(s -> s.syncReplyCount() >= wanted)) {
                return;
            }
            Thread.sleep(5);
        }
    }

    private void run() {
        long start = clock.nanoTime();
        int burstSent = 0;
        long nextSync = start;
        long nextRefresh = start + REFRESH_MILLIS * 1_000_000;
        try {
            while (!closed) {
                long now = clock.nanoTime();
                if (now >= nextSync) {
                    for (TimedSender s : senders) {
                        s.sendSyncRequest();
                    }
                    burstSent++;
                    nextSync = now + (burstSent < BURST ? BURST_SPACING_MILLIS : INTERVAL_MILLIS) * 1_000_000;
                }
                for (TimedSender s : senders) {
                    s.maintain(now);
                }
                if (now >= nextRefresh) {
                    nextRefresh = now + REFRESH_MILLIS * 1_000_000;
                    try {
                        onRefresh.run();
                    } catch (RuntimeException e) {
                        LOG.debug("refresh failed: {}", e.toString());
                    }
                }
                long waitMillis = Math.max(1, Math.min(TICK_MILLIS, (nextSync - clock.nanoTime()) / 1_000_000));
                if (selector.select(waitMillis) > 0) {
                    for (SelectionKey key : selector.selectedKeys()) {
                        TimedSender s = (TimedSender) key.attachment();
                        s.receiveReplies();
                        if (s.takeProbeRequest()) {
                            s.sendSyncRequest(); // confirm a suspected clock step at once
                        }
                    }
                    selector.selectedKeys().clear();
                }
            }
        } catch (ClosedSelectorException e) {
            // closed: the way this loop ends
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.error("clock sync stopped: {}", e.toString(), e);
            }
        }
    }

    /** Stops the thread (waiting up to 1 s) and closes the selector; the channels stay open. Idempotent. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("closing the sync selector: {}", e.toString());
        }
    }
}
