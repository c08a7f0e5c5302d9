package dev.concerto.director.live;

import dev.concerto.director.engine.PlayerStream;
import dev.concerto.director.net.DirectorEngine;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live notes into the engine's scheduler: each {@link #sound} is queued for the engine's one
 * scheduler thread ({@link DirectorEngine#liveNote}), which writes the datagram, so no live thread
 * ever writes a player's socket. A timed player gets "hz at due" with an open-ended lease that its
 * stream keeps renewing while the note is held; when the silence is lost the lease still ends the
 * tone. A plain-integer player gets the change at its due time. Frequencies stay exact (only the
 * plain integer rounds, in its stream).
 *
 * <p>Thread-safety: any thread; the engine is swapped atomically when it is re-opened (a score
 * loaded over OSC).
 */
public final class EngineNoteSink implements LiveNoteSink {

    private static final Logger LOG = LoggerFactory.getLogger(EngineNoteSink.class);

    private volatile DirectorEngine engine;
    private final long liveLeadNanos;
    private final AtomicLong refused = new AtomicLong();

    /** @param liveLeadNanos the lead for timed players, ns (&ge; 0) */
    public EngineNoteSink(DirectorEngine engine, long liveLeadNanos) {
        this.engine = Objects.requireNonNull(engine, "engine");
        if (liveLeadNanos < 0) {
            throw new IllegalArgumentException("negative lead");
        }
        this.liveLeadNanos = liveLeadNanos;
    }

    /** Plays through another engine (same roster, re-opened). */
    public void replace(DirectorEngine newEngine) {
        if (newEngine.streams().size() != engine.streams().size()) {
            throw new IllegalArgumentException("the roster changed size");
        }
        this.engine = Objects.requireNonNull(newEngine);
    }

    @Override
    public int playerCount() {
        return engine.streams().size();
    }

    @Override
    public String playerName(int player) {
        return engine.streams().get(player).entry().name();
    }

    @Override
    public String playerVoice(int player) {
        return engine.streams().get(player).entry().voice();
    }

    @Override
    public long leadNanos(int player) {
        return engine.streams().get(player).mode() == PlayerStream.Mode.TIMED ? liveLeadNanos : 0;
    }

    @Override
    public void sound(int player, double hz, long dueNanos) {
        try {
            engine.liveNote(player, hz, dueNanos);
        } catch (IllegalStateException e) {
            refused(e); // the engine closed (closing, or re-opened for a loaded score)
        }
    }

    @Override
    public void silenceAll() {
        try {
            engine.silenceAll();
        } catch (IllegalStateException e) {
            refused(e);
        }
    }

    /** Notes the engine refused because it was closed. */
    public long refusedCount() {
        return refused.get();
    }

    private void refused(IllegalStateException e) {
        if (refused.getAndIncrement() == 0) {
            LOG.info("a live note came after the engine closed (counted, not sent): {}", e.getMessage());
        }
    }
}
