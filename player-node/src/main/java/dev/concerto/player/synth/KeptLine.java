package dev.concerto.player.synth;

import dev.concerto.protocol.Clock;
import dev.concerto.protocol.ClockPair;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A javax.sound line and the time-keeping around it (the shell of {@link LineTimekeeper}): primes the
 * line with silence until it plays steadily, then after each write compares the frame the line plays
 * with the clock and says how to correct it (drop or insert audio), and maps the clock to frames. A
 * line found dry after a write (the machine stopped, the writer with it) is not refilled until its
 * position moves again, so the correction reaches it after one block, not after a buffer of late audio.
 *
 * <p>Thread-safety: the output's audio thread calls {@link #prime}, {@link #wrote}, {@link #afterWrite}
 * and {@link #insertSilence}; any thread may call {@link #frameAt}, {@link #keeper} and
 * {@link #outputLatencyMs} (they read volatile fields).
 */
final class KeptLine {

    private static final Logger LOG = LoggerFactory.getLogger(SynthOutput.class);

    /** How long a line may take to play steadily before the player starts anyway, ms. */
    static final long PRIME_TIMEOUT_MILLIS = 5000;
    /**
     * A line plays steadily once it consumed real time within ±{@value #PRIME_TOLERANCE} over the last
     * {@link #PRIME_SPAN_NANOS}: a PulseAudio stream first swallows a quarter of a second at once, then
     * may play nothing for a second or two, then plays.
     */
    private static final double PRIME_TOLERANCE = 0.1;
    private static final long PRIME_SPAN_NANOS = 400_000_000L;
    /** A device that has taken this much more audio than real time while priming is not paced, s. */
    private static final double UNPACED_AHEAD_SECONDS = 0.2;
    /** A line off the clock's map by more than this is brought back (dropping or inserting audio), ms. */
    static final double CORRECTION_THRESHOLD_MS = 3;
    /** How often a dry line's position is read while waiting for it to move, ns. */
    private static final long DRY_POLL_NANOS = 200_000;

    private final SampleSink.Line line;
    private final Clock clock;
    private final int rate;
    private final int blockFrames;
    private final long startNanos;
    /** Set by the audio thread once the line is primed; null before, and for a device that is not paced. */
    private volatile LineTimekeeper keeper;
    private volatile double outputLatencyMs = Double.NaN;
    /** What the audio thread's scheduling became ({@link RealtimeAudio}); null before it primes the line. */
    private volatile String audioPriority;
    private long writtenFrames;

    KeptLine(SampleSink.Line line, Clock clock, int rate, int blockFrames) {
        this.line = line;
        this.clock = clock;
        this.rate = rate;
        this.blockFrames = blockFrames;
        this.startNanos = clock.nanoTime();
    }

    /** The time-keeper once the line is primed, else null. Any thread. */
    LineTimekeeper keeper() {
        return keeper;
    }

    /** Frames queued in the line and the device when it became ready, ms; NaN before. Any thread. */
    double outputLatencyMs() {
        return outputLatencyMs;
    }

    /**
     * What the start line says of the line: its output latency and the audio thread's scheduling, each
     * once known (e.g. {@code ", output latency 15.0 ms, audio thread real-time (SCHED_RR 3)"}). Any thread.
     */
    String readiness() {
        double latency = outputLatencyMs;
        String priority = audioPriority;
        return (Double.isNaN(latency) ? "" : String.format(Locale.ROOT, ", output latency %.1f ms", latency))
                + (priority == null ? "" : ", " + priority);
    }

    /**
     * The render frame that sounds at {@code nanoTime}: the keeper's map, or the nominal rate from the
     * start while the line is priming. Any thread.
     */
    long frameAt(long nanoTime) {
        LineTimekeeper k = keeper;
        return k != null ? k.frameAt(nanoTime) : Math.round((nanoTime - startNanos) * (rate / 1e9));
    }

    /**
     * The clock instant (ns) at which render frame {@code frame} sounds: the inverse of
     * {@link #frameAt} (the keeper's map, or the nominal rate while priming). Any thread.
     */
    long timeOfFrame(long frame) {
        LineTimekeeper k = keeper;
        return k != null ? k.timeOf(frame) : startNanos + Math.round(frame * (1e9 / rate));
    }

    /**
     * The wall-clock time (epoch µs) at which render frame {@code frame} sounds, written in the block
     * that starts at {@code blockStart}, with the output shifted later by {@code delayNanos} (a test
     * aid). Audio thread.
     */
    long epochMicrosOfFrame(long frame, long blockStart, long delayNanos) {
        // Frames ahead of the one sounding now on the keeper's map (the line is kept on it); while
        // priming, what the line holds plus the frame's place in the block. "Now" on both clocks at one
        // instant: a pre-emption between two plain reads would move the reported sound time by as much.
        ClockPair now = ClockPair.read(clock);
        long ahead = keeper != null ? frame - frameAt(now.nanos() + delayNanos)
                : line.queuedFrames() + (frame - blockStart);
        return now.epochMicros() + ahead * 1_000_000L / rate;
    }

    /**
     * How the line kept time so far (corrections, audio dropped and silence inserted, drift); null
     * before the line is primed and for a device that is not paced. Any thread.
     */
    LineTiming timing() {
        LineTimekeeper k = keeper;
        if (k == null) {
            return null;
        }
        return new LineTiming(k.corrections(), k.droppedFrames() * 1000.0 / rate, k.insertedFrames() * 1000.0 / rate,
                k.driftPpm());
    }

    /** {@code frames} went into the line. Audio thread. */
    void wrote(int frames) {
        writtenFrames += frames;
    }

    /**
     * Writes silence until the line plays steadily (a sound server takes up to a second to start
     * consuming a new stream; notes written before that would sound late or not at all), then starts
     * the time-keeping where the line is; render frame {@code position} is the next to be written.
     * Audio thread.
     */
    void prime(BooleanSupplier closing, float[] silence, long position) throws IOException {
        // A device line's writer must not wait behind the rest of the machine. (Only here: a paced
        // output has no device to run dry, and its pacer spins, which a real-time thread must not.)
        RealtimeAudio.Outcome writer = RealtimeAudio.requestForCurrentThread();
        // The sound server's client thread carries what the writer wrote: the same priority, or the
        // server's share of the stream runs dry while it waits.
        int clients = writer.realtime() ? RealtimeAudio.requestForSoundServerClientThreads() : 0;
        audioPriority = writer.text() + (clients > 0 ? ", sound-server client thread too" : "");
        Arrays.fill(silence, 0f);
        long begin = clock.nanoTime();
        long[] playedAt = new long[256];
        long[] nanosAt = new long[256];
        int count = 0;
        boolean steady = false;
        while (!closing.getAsBoolean() && clock.nanoTime() - begin < PRIME_TIMEOUT_MILLIS * 1_000_000L) {
            line.write(silence, blockFrames);
            writtenFrames += blockFrames;
            long now = clock.nanoTime();
            double realTimeFrames = (now - begin) * rate / 1e9;
            if (writtenFrames - realTimeFrames > UNPACED_AHEAD_SECONDS * rate + line.bufferFrames()) {
                // A device that takes audio faster than it could play it (ALSA's file or null device):
                // nothing to keep time with. Changes go to frames at the nominal rate.
                LOG.warn("the audio device {} takes audio faster than real time (not a sound card?): its timing"
                        + " is not kept", line.description());
                return;
            }
            playedAt[count % 256] = line.playedFrames();
            nanosAt[count % 256] = now;
            count++;
            // Steady: over the last PRIME_SPAN the line consumed real time.
            for (int back = 1; back < Math.min(count, 256); back++) {
                int i = (count - 1 - back) % 256;
                long span = now - nanosAt[i];
                if (span >= PRIME_SPAN_NANOS) {
                    double consumed = playedAt[(count - 1) % 256] - playedAt[i];
                    double realTime = span * rate / 1e9;
                    steady = playedAt[i] > 0 && Math.abs(consumed / realTime - 1) <= PRIME_TOLERANCE;
                    break;
                }
            }
            if (steady) {
                break;
            }
        }
        long now = clock.nanoTime();
        long played = line.playedFrames();
        outputLatencyMs = (writtenFrames - played) * 1000.0 / rate;
        keeper = new LineTimekeeper(now, played, writtenFrames, position, rate,
                Math.max(1, Math.round(CORRECTION_THRESHOLD_MS * rate / 1000)));
        if (!steady && !closing.getAsBoolean()) {
            LOG.warn("the audio line did not play steadily within {} ms (it consumed little or nothing); timing"
                    + " may be off until it does", PRIME_TIMEOUT_MILLIS);
        } else {
            LOG.debug("line ready after {} ms, output latency {} ms", (now - begin) / 1_000_000,
                    String.format(Locale.ROOT, "%.1f", outputLatencyMs));
        }
    }

    /**
     * Right after a write returned: the line's play position against the clock, and the correction to
     * make (none while priming or for a device that is not paced). Audio thread.
     *
     * @param position the next render frame to be written
     */
    LineTimekeeper.Correction afterWrite(long position) {
        LineTimekeeper k = keeper;
        if (k == null) {
            return LineTimekeeper.Correction.NONE;
        }
        long tNow = clock.nanoTime();
        long played = line.playedFrames();
        LineTimekeeper.Correction c = observe(k, played, tNow, position, false);
        if (!c.any() && writtenFrames - played <= blockFrames && k.awaitsMovement()) {
            // The line ran dry (everything stopped, the writer too) and its position is the end of what
            // it held. Refilled now, the line would play a whole buffer late before a correction reached
            // it; wait instead for the sound server to start playing the block just written. While the
            // position stands still the block is untouched, so waiting costs no audio; on the bench the
            // server took 5-8 ms after a stop of the whole machine, so wait up to a buffer's length.
            long until = tNow + (long) line.bufferFrames() * 1_000_000_000L / rate;
            long moved = played;
            while (moved == played && clock.nanoTime() < until) {
                LockSupport.parkNanos(DRY_POLL_NANOS);
                moved = line.playedFrames();
            }
            if (moved != played) {
                c = observe(k, moved, clock.nanoTime(), position, true);
            }
        }
        return c;
    }

    private LineTimekeeper.Correction observe(LineTimekeeper k, long played, long tNow, long position,
                                              boolean afterDry) {
        LineTimekeeper.Correction c = k.observe(played, writtenFrames, tNow, afterDry);
        if (LOG.isTraceEnabled()) {
            LOG.trace("line t={} ms played={} written={} position={} frameAt={} residual={} correction={}",
                    (tNow - startNanos) / 1_000_000, played, writtenFrames, position, k.frameAt(tNow),
                    Math.round(k.residualFrames()), c.frames());
        }
        return c;
    }

    /** Writes {@code frames} of silence that advance no render frame (the line ran ahead). Audio thread. */
    void insertSilence(long frames, float[] scratch) throws IOException {
        Arrays.fill(scratch, 0f);
        long left = frames;
        while (left > 0) {
            int n = (int) Math.min(left, Math.min(blockFrames, scratch.length));
            line.write(scratch, n);
            writtenFrames += n;
            left -= n;
        }
    }
}
