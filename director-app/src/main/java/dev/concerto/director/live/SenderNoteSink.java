package dev.concerto.director.live;

import dev.concerto.director.engine.Sender;
import java.util.List;
import java.util.Objects;

/**
 * Live notes through the engine's per-player {@link Sender}s (the ones the engine opened for its
 * roster, unwrapped: a plain-integer player gets each change at once). A timed player gets "hz at
 * due" with an open-ended lease that its sender keeps renewing while the note is held (the engine's
 * clock-sync thread calls {@code maintain}); when the silence is lost the lease still ends the tone.
 *
 * <p>Frequencies are rounded to whole hertz here, the {@code Sender} interface's unit.
 *
 * <p>Thread-safety: the senders are thread-safe; the list is swapped atomically when the engine is
 * re-opened (a score loaded over OSC).
 */
public final class SenderNoteSink implements LiveNoteSink {

    private volatile List<? extends Sender> senders;
    private final long liveLeadNanos;

    /** @param liveLeadNanos the lead for timed players, ns (&ge; 0) */
    public SenderNoteSink(List<? extends Sender> senders, long liveLeadNanos) {
        this.senders = List.copyOf(senders);
        if (liveLeadNanos < 0) {
            throw new IllegalArgumentException("negative lead");
        }
        this.liveLeadNanos = liveLeadNanos;
    }

    /** Plays to another set of senders (same roster, re-opened). */
    public void replace(List<? extends Sender> newSenders) {
        if (newSenders.size() != senders.size()) {
            throw new IllegalArgumentException("the roster changed size");
        }
        this.senders = List.copyOf(Objects.requireNonNull(newSenders));
    }

    @Override
    public int playerCount() {
        return senders.size();
    }

    @Override
    public String playerName(int player) {
        return senders.get(player).entry().name();
    }

    @Override
    public String playerVoice(int player) {
        return senders.get(player).entry().voice();
    }

    @Override
    public long leadNanos(int player) {
        return senders.get(player).leadNanos() > 0 ? liveLeadNanos : 0;
    }

    @Override
    public void sound(int player, double hz, long dueNanos) {
        int whole = (int) Math.round(hz);
        senders.get(player).send(hz > 0 ? Math.max(1, whole) : 0, dueNanos, Long.MAX_VALUE);
    }

    @Override
    public void silenceAll() {
        for (Sender s : senders) {
            s.silenceNow();
        }
    }
}
