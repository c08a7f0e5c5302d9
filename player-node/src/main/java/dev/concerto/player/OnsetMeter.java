package dev.concerto.player;

import dev.concerto.player.core.ToneChange;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * How close to their time timed notes started, from the generator's own frames: for every timed
 * note start ({@code hz > 0}) the generator applied, the onset error is the frame it was applied
 * at minus the frame of its {@code at}, in µs at the generator's rate — 0 for a note that started
 * on its frame, the lateness for one that arrived late (played at once). Silences (a note's end, a
 * director's "silence now", which arrives late by design) are not notes and are not counted.
 *
 * <p>One meter may serve many players (an ensemble's). Thread-safe: {@link #record} is called on
 * the generators' threads, the rest from any thread.
 */
public final class OnsetMeter {

    /** Largest error recorded, µs (larger ones are recorded as this). */
    static final long MAX_MICROS = 60_000_000L;

    private final Histogram errors = new ConcurrentHistogram(MAX_MICROS, 3);
    private final AtomicLong notes = new AtomicLong();
    private final AtomicLong lateNotes = new AtomicLong();

    /**
     * A change the generator applied.
     *
     * @param appliedFrame the frame it was applied at
     * @param dueFrame     the frame of its time ({@link ToneChange#atMicros()})
     * @param sampleRate   the generator's frames per second
     */
    public void record(ToneChange change, long appliedFrame, long dueFrame, int sampleRate) {
        if (change.cause() != ToneChange.Cause.START || !(change.hz() > 0)) {
            return;
        }
        notes.incrementAndGet();
        if (change.late()) {
            lateNotes.incrementAndGet();
        }
        long micros = Math.max(0, appliedFrame - dueFrame) * 1_000_000L / sampleRate;
        errors.recordValue(Math.min(MAX_MICROS, micros));
    }

    /** Timed note starts applied. */
    public long notes() {
        return notes.get();
    }

    /** Of those, notes that arrived after their time (played at once). */
    public long lateNotes() {
        return lateNotes.get();
    }

    /** A copy of the onset errors, µs. */
    public Histogram errors() {
        return errors.copy();
    }

    /**
     * One line for logs and benchmarks: {@code onsets: notes=N late-notes=L error-us p50=.. p99=..
     * max=.. histogram=BASE64}, the histogram in HdrHistogram's compressed encoding (decode with
     * {@link #decode}).
     */
    public String summary() {
        Histogram h = errors();
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        String encoded = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
        return "onsets: notes=" + notes() + " late-notes=" + lateNotes() + " error-us p50="
                + h.getValueAtPercentile(50) + " p99=" + h.getValueAtPercentile(99) + " max=" + h.getMaxValue()
                + " histogram=" + encoded;
    }

    /** The histogram of a {@link #summary()} line's {@code histogram=} field. */
    public static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        } catch (java.util.zip.DataFormatException e) {
            throw new IllegalArgumentException("not an onset histogram: " + e.getMessage(), e);
        }
    }
}
