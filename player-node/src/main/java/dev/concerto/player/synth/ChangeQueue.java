package dev.concerto.player.synth;

import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongUnaryOperator;

/**
 * The frequency changes waiting for an output's audio thread. Any thread adds a change or withdraws
 * the changes of a tag through a lock-free queue; the audio thread drains it before each block into a
 * queue ordered by when each is due (then by arrival), from which it applies each change at its exact
 * frame. "Due" is in the output's units: a frame for a paced output; for a line, the clock instant
 * the change must sound at, which the audio thread maps to a frame with the line's latest map each
 * block ({@code toFrame}), so a change planned a few hundred ms ahead follows the map's moves in the
 * meantime. Either way the mapping is monotonic, so the order by due is the order by frame.
 *
 * <p>Thread-safety: {@link #add} and {@link #cancel} from any thread; everything else from the audio
 * thread only.
 */
final class ChangeQueue {

    /** A change (due -1 = at once; tag null = untagged) or, with {@code cancel}, a withdrawal of its tag. */
    record Change(int channel, double hz, long due, long seq, Object tag, boolean cancel) {
    }

    private final ConcurrentLinkedQueue<Change> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicLong seq = new AtomicLong();
    private final PriorityQueue<Change> pending = new PriorityQueue<>(
            (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));

    /** Queues a change of {@code channel} to {@code hz}, due at {@code due} (-1 = at once). Any thread. */
    void add(int channel, double hz, long due, Object tag) {
        incoming.add(new Change(channel, hz, due, seq.incrementAndGet(), tag, false));
    }

    /** Withdraws every change of {@code tag} not applied yet. Any thread. */
    void cancel(int channel, Object tag) {
        incoming.add(new Change(channel, 0, -1, seq.incrementAndGet(), tag, true));
    }

    /**
     * Takes what arrived: withdrawals remove their tag's pending changes, changes for "at once" go to
     * {@code now}, the others wait for their frame. Audio thread.
     */
    void drain(Consumer<Change> now) {
        for (Change c; (c = incoming.poll()) != null; ) {
            if (c.cancel) {
                Object t = c.tag;
                pending.removeIf(x -> x.tag == t);
            } else if (c.due < 0) {
                now.accept(c);
            } else {
                pending.add(c);
            }
        }
    }

    /**
     * As {@link #drain}, but changes for "at once" wait for frame {@code frame} like the others (a paced
     * output renders a block once it is due: what arrived during it starts with the next block, as it
     * would have on an output that renders each block when it begins). Paced outputs only (their due
     * is a frame). Audio thread.
     */
    void drainAtOnceAt(long frame) {
        drain(c -> pending.add(new Change(c.channel, c.hz, frame, c.seq, c.tag, false)));
    }

    /**
     * The next pending change if its frame ({@code toFrame} of its due) is before frame {@code end},
     * else null (it stays queued). Audio thread.
     */
    Change dueBefore(long end, LongUnaryOperator toFrame) {
        Change next = pending.peek();
        return next != null && toFrame.applyAsLong(next.due) < end ? next : null;
    }

    /** Removes the change {@link #dueBefore} returned. Audio thread. */
    void remove() {
        pending.poll();
    }

    /**
     * At close: applies what is waiting for frames already reached and what arrived for now or for
     * those frames, and forgets every change planned for later. Audio thread.
     */
    void drainAtClose(long position, LongUnaryOperator toFrame, Consumer<Change> apply) {
        for (Change c; (c = pending.peek()) != null && toFrame.applyAsLong(c.due) <= position; ) {
            apply.accept(pending.poll());
        }
        for (Change c; (c = incoming.poll()) != null; ) {
            if (!c.cancel && (c.due < 0 || toFrame.applyAsLong(c.due) <= position)) {
                apply.accept(c);
            }
        }
        pending.clear();
    }
}
