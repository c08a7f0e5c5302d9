package dev.concerto.player.synth;

import dev.concerto.protocol.Clock;
import dev.concerto.protocol.log.RateLimitedLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One audio output with its audio thread: N {@link SynthVoice}s (channels) mixed into one stream
 * that goes to a javax.sound line, a WAV file, or nowhere, optionally also recorded into a WAV
 * ("tap"). Each channel is a {@link ToneGenerator}; a single player uses channel 0, an ensemble one
 * channel per player. The mix gain is 1/N, so N full-volume voices never clip.
 *
 * <p>Threads: the audio thread (named {@code audio-<kind>}) owns the voices and the sink; it is
 * started by the factory and stopped by {@link #close()}. Changes reach it through a {@link ChangeQueue},
 * drained before each block; changes with a frame are applied at that exact frame inside the block.
 * A line paces the thread by blocking and is kept in time by a {@link KeptLine}; WAV and virtual
 * outputs are paced by a {@link FramePacer} (real time by default) and render a block once its last
 * frame is due, so a change handed over before its frame's time lands at that frame (a line is
 * written ahead of what it plays, by up to its buffer, so a change for a line must arrive that much
 * before its time); a change for "at once" starts with the next block on either kind.
 * All public methods are thread-safe.
 */
public final class SynthOutput implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SynthOutput.class);

    private final SynthSettings settings;
    private final SampleSink sink;
    private final WavWriter tap;
    private final FramePacer pacer;      // null: the sink paces (a line)
    private final Clock clock;
    private final String kind;
    private final SynthVoice[] voices;
    private final ChannelListeners listeners;
    private final ChangeQueue changes = new ChangeQueue();
    private final int blockFrames;
    private final long frameZeroEpochMicros;
    private final Thread thread;
    private final OutputChannel[] channels;
    /** The line and its time-keeping; null for paced outputs. */
    private final KeptLine line;
    private final LineTestAids aids;
    /** A queued change's due (see {@link #enqueue}) to its render frame: the line's map now, or itself. Audio thread. */
    private final java.util.function.LongUnaryOperator toFrame;
    private final long outputDelayNanos;
    /** Counted down by the audio thread once a line plays steadily (at once for paced outputs). */
    private final CountDownLatch ready = new CountDownLatch(1);
    private final RateLimitedLog<RateLimitedLog.Only> correctionLog = RateLimitedLog.single(LOG, 1_000_000_000L);
    private volatile long position;
    private volatile boolean closing;
    private volatile boolean stopped;

    private SynthOutput(String kind, SynthSettings settings, int channelCount, SampleSink sink, WavWriter tap,
            FramePacer pacer, Clock clock, int blockFrames, LineTestAids aids) {
        if (channelCount < 1) {
            throw new IllegalArgumentException("need at least one channel, got " + channelCount);
        }
        this.kind = kind;
        this.settings = settings;
        this.sink = sink;
        this.tap = tap;
        this.pacer = pacer;
        this.clock = clock;
        this.blockFrames = blockFrames;
        this.voices = new SynthVoice[channelCount];
        this.channels = new OutputChannel[channelCount];
        for (int i = 0; i < channelCount; i++) {
            voices[i] = settings.newVoice();
            channels[i] = new OutputChannel(this, i);
        }
        this.listeners = new ChannelListeners(channelCount);
        this.frameZeroEpochMicros = pacer != null ? pacer.frameZeroEpochMicros() : clock.epochMicros();
        this.line = sink instanceof SampleSink.Line l ? new KeptLine(l, clock, settings.sampleRate(), blockFrames) : null;
        this.aids = aids;
        this.toFrame = line == null ? due -> due : line::frameAt;
        this.outputDelayNanos = Math.round(aids.outputDelayMs() * 1e6);
        this.thread = new Thread(this::run, "audio-" + kind);
        this.thread.setDaemon(true);
        this.thread.setPriority(Thread.MAX_PRIORITY);
    }

    /** True when javax.sound offers a line for these settings (false without a sound card). */
    public static boolean javaSoundAvailable(SynthSettings settings) {
        return SampleSink.Line.available(settings.sampleRate());
    }

    /**
     * Real-time synthesis into the default javax.sound line, opened with a buffer of
     * {@link SynthSettings#bufferMs()}.
     *
     * @param wavTap also record what was synthesized into this WAV file, or {@code null}
     * @throws AudioUnavailableException when there is no sound card / line (message says what to do)
     * @throws IOException               when the WAV file cannot be created
     */
    public static SynthOutput javaSound(SynthSettings settings, int channels, Path wavTap)
            throws AudioUnavailableException, IOException {
        return javaSound(settings, channels, wavTap, LineTestAids.NONE);
    }

    /**
     * As {@link #javaSound(SynthSettings, int, Path)}, with simulated faults for tests. Returns once
     * the line plays steadily ({@link KeptLine#PRIME_TIMEOUT_MILLIS} at most; a warning is logged if it never
     * does), so the first note a player is sent sounds on time.
     */
    public static SynthOutput javaSound(SynthSettings settings, int channels, Path wavTap, LineTestAids aids)
            throws AudioUnavailableException, IOException {
        SampleSink.Line line = SampleSink.Line.open(settings.sampleRate(), settings.bufferFrames());
        WavWriter tap = null;
        try {
            tap = wavTap == null ? null : new WavWriter(wavTap, settings.sampleRate());
        } catch (IOException e) {
            line.close();
            throw e;
        }
        int block = Math.max(32, line.bufferFrames() / 4);
        SynthOutput out = start(new SynthOutput("javasound", settings, channels, line, tap, null, Clock.SYSTEM, block, aids));
        try {
            if (!out.ready.await(KeptLine.PRIME_TIMEOUT_MILLIS + 1000, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                LOG.warn("the audio line did not report ready in time; playing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** Synthesis into {@code wav}, paced in real time by {@code clock} (not faster). */
    public static SynthOutput wav(SynthSettings settings, int channels, Path wav, Clock clock) throws IOException {
        return paced("wav", settings, channels, wav, true,
                FramePacer.realTime(clock, settings.sampleRate()), clock);
    }

    /** Synthesis paced in real time and discarded; {@code wavTap} (nullable) records it. */
    public static SynthOutput virtual(SynthSettings settings, int channels, Path wavTap, Clock clock)
            throws IOException {
        return paced("virtual", settings, channels, wavTap, false,
                FramePacer.realTime(clock, settings.sampleRate()), clock);
    }

    /**
     * Javasound when a line is available, else virtual. {@code warning} (nullable) receives the
     * reason for a fallback.
     */
    public static SynthOutput auto(SynthSettings settings, int channels, Path wavTap,
            java.util.function.Consumer<String> warning) throws IOException {
        if (javaSoundAvailable(settings)) {
            try {
                return javaSound(settings, channels, wavTap);
            } catch (AudioUnavailableException e) {
                if (warning != null) {
                    warning.accept(e.getMessage() + "; falling back to virtual output (nothing audible)");
                }
            }
        } else if (warning != null) {
            warning.accept("no sound card: javax.sound has no audio line for " + settings.sampleRate()
                    + " Hz 16-bit mono; falling back to virtual output (paced, nothing audible)");
        }
        return virtual(settings, channels, wavTap, Clock.SYSTEM);
    }

    /**
     * A paced output with an injected pacer, for tests and embedding.
     *
     * @param wav     a WAV file to write, or {@code null}
     * @param wavOnly true: the WAV is the output ({@code kind} "wav"); false: the samples are
     *                discarded and the WAV, if any, is a tap
     */
    public static SynthOutput paced(String kind, SynthSettings settings, int channels, Path wav, boolean wavOnly,
            FramePacer pacer, Clock clock) throws IOException {
        Objects.requireNonNull(pacer, "pacer");
        WavWriter writer = wav == null ? null : new WavWriter(wav, settings.sampleRate());
        if (wavOnly && writer == null) {
            throw new IllegalArgumentException("a wav output needs a file");
        }
        SampleSink sink = wavOnly ? new SampleSink.Wav(writer) : new SampleSink.Discard();
        int block = Math.max(32, settings.bufferFrames() / 2);
        return start(new SynthOutput(kind, settings, channels, sink, wavOnly ? null : writer, pacer, clock, block,
                LineTestAids.NONE));
    }

    private static SynthOutput start(SynthOutput out) {
        out.thread.start();
        return out;
    }

    /** The generator of channel {@code i} (0-based). Closing it only silences the channel. */
    public ToneGenerator channel(int i) {
        return channels[Objects.checkIndex(i, channels.length)];
    }

    public int channels() {
        return channels.length;
    }

    public SynthSettings settings() {
        return settings;
    }

    /** The next frame the audio thread will render. */
    public long framePosition() {
        return position;
    }

    /**
     * The frame that sounds at monotonic instant {@code nanoTime}: the pacer's mapping for paced
     * outputs; for a line, the {@link LineTimekeeper}'s map, which the line is kept on (and which
     * follows the sound card's drift), or the nominal rate from the start while the line is priming.
     */
    public long frameAt(long nanoTime) {
        long t = nanoTime + outputDelayNanos; // a change for t goes to the frame that sounds at t + delay
        return pacer != null ? pacer.frameAtNanos(t) : line.frameAt(t);
    }

    /**
     * The output's latency as estimated when the line became ready (frames queued in the line and the
     * device, from the position it reports), ms; NaN for paced outputs.
     */
    public double outputLatencyMs() {
        return line == null ? Double.NaN : line.outputLatencyMs();
    }

    /**
     * How the line kept time so far: corrections made, audio dropped and silence inserted (ms), the
     * line's rate against the clock (ppm). Null for paced outputs and before the line is ready.
     */
    public LineTiming lineTiming() {
        return line == null ? null : line.timing();
    }

    /** The WAV file written (output or tap), if any. */
    public Optional<Path> wavFile() {
        if (tap != null) {
            return Optional.of(tap.path());
        }
        return sink instanceof SampleSink.Wav ? Optional.of(((SampleSink.Wav) sink).path()) : Optional.empty();
    }

    public long frameZeroEpochMicros() {
        return frameZeroEpochMicros;
    }

    /** E.g. {@code "javasound 'null [default]' buffer 960 frames, 48000 Hz square volume 0.5"}. */
    public String description() {
        String d = sink.description() + ", " + settings.sampleRate() + " Hz " + settings.waveform().key()
                + " volume " + settings.volume();
        if (line != null) {
            d += line.readiness();
        }
        if (outputDelayNanos > 0) {
            d += ", TEST: output delayed " + aids.outputDelayMs() + " ms";
        }
        if (tap != null) {
            d += ", recording " + tap.path();
        }
        if (channels.length > 1) {
            d += ", " + channels.length + " channels mixed";
        }
        return d;
    }

    /** True once the audio thread has ended (closed, or failed: see the log). */
    public boolean stopped() {
        return stopped;
    }

    /**
     * Silences every channel (with the ramp), finishes and releases the sink and the WAV file, and
     * stops the audio thread. Idempotent; waits at most a few seconds.
     */
    @Override
    public void close() {
        closing = true;
        if (pacer != null) {
            thread.interrupt();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        float[] mix = new float[blockFrames];
        try {
            if (line != null) {
                line.prime(() -> closing, mix, position);
            }
            ready.countDown();
            long stallAt = aids.stallMs() > 0 ? clock.nanoTime() + Math.round(aids.stallAfterSeconds() * 1e9) : Long.MAX_VALUE;
            while (!closing) {
                if (clock.nanoTime() >= stallAt) {
                    stallAt = Long.MAX_VALUE;
                    LOG.warn("TEST: blocking the audio thread for {} ms (--test-stall-ms)", aids.stallMs());
                    try {
                        Thread.sleep(aids.stallMs());
                    } catch (InterruptedException e) {
                        break;
                    }
                }
                if (pacer != null) {
                    try {
                        // A paced block is rendered once its last frame is due, not when its first is:
                        // a change handed over before its frame's time then always lands at that frame
                        // (rendering at the first frame would want every change one block early, up to
                        // 10 ms with the default buffer, on top of the lead it was sent with).
                        pacer.awaitFrame(position + blockFrames - 1);
                    } catch (InterruptedException e) {
                        break;
                    }
                }
                renderBlock(mix);
            }
            Thread.interrupted(); // the wake-up from close(); the file I/O below is not interruptible anyway
            // Apply what is still queued (so listeners hear about the last changes), drop changes
            // planned for later frames, then fade out so the end does not click, and finish.
            changes.drainAtClose(position, toFrame, c -> apply(c, position, position));
            for (SynthVoice v : voices) {
                v.setFrequency(0);
            }
            renderBlock(mix);
        } catch (IOException | RuntimeException e) {
            LOG.error("audio output {} failed: {}", kind, e.toString(), e);
        } finally {
            ready.countDown();
            finish();
        }
    }

    private void renderBlock(float[] mix) throws IOException {
        long start = position;
        long end = start + blockFrames;
        if (pacer != null) {
            changes.drainAtOnceAt(end);
        } else {
            changes.drain(c -> apply(c, start, start));
        }
        Arrays.fill(mix, 0f);
        double gain = 1.0 / voices.length;
        long cursor = start;
        while (true) {
            ChangeQueue.Change next = changes.dueBefore(end, toFrame);
            long stop = next != null ? Math.max(toFrame.applyAsLong(next.due()), start) : end;
            if (stop > cursor) {
                for (SynthVoice v : voices) {
                    v.mix(mix, (int) (cursor - start), (int) (stop - cursor), gain);
                }
                cursor = stop;
            }
            if (next == null) {
                break;
            }
            changes.remove();
            apply(next, cursor, start);
        }
        sink.write(mix, blockFrames);
        if (tap != null) {
            tap.write(mix, 0, blockFrames);
        }
        position = end;
        if (line != null) {
            line.wrote(blockFrames);
            // Taken right after the write returns: the line's play position against the clock.
            LineTimekeeper.Correction c = line.afterWrite(position);
            if (c.any()) {
                correct(c, mix);
            }
        }
    }

    /** Brings the line back on the map: skips render frames, or writes silence. Audio thread. */
    private void correct(LineTimekeeper.Correction c, float[] scratch) throws IOException {
        double ms = (c.dropFrames() + c.insertFrames()) * 1000.0 / settings.sampleRate();
        if (c.dropFrames() > 0) {
            position += c.dropFrames(); // pending changes in the skipped frames apply at the next block's start
        } else {
            line.insertSilence(c.insertFrames(), scratch);
        }
        // Rate-limited: a line that keeps stalling must not flood the log (every correction is counted).
        if (correctionLog.admit(clock.nanoTime()) != RateLimitedLog.SUPPRESSED) {
            LOG.warn(c.dropFrames() > 0
                    ? "audio line {} was {} ms behind the clock (stalled or slow): skipped {} ms of audio to be back in time ({} corrections so far)"
                    : "audio line {} ran {} ms ahead of the clock: inserted {} ms of silence to be back in time ({} corrections so far)",
                    sink.description(), String.format(java.util.Locale.ROOT, "%.1f", ms),
                    String.format(java.util.Locale.ROOT, "%.1f", ms), line.keeper().corrections());
        }
        listeners.corrected(c.dropFrames() > 0 ? ms : -ms);
    }

    private void apply(ChangeQueue.Change c, long frame, long blockStart) {
        voices[c.channel()].setFrequency(c.hz());
        if (listeners.has(c.channel())) {
            long sound = pacer != null ? pacer.epochMicrosOfFrame(frame)
                    : line.epochMicrosOfFrame(frame, blockStart, outputDelayNanos);
            listeners.applied(c.channel(), c.hz(), frame, sound, c.tag());
        }
    }

    private void finish() {
        try {
            sink.close();
        } catch (IOException | RuntimeException e) {
            LOG.error("closing {} failed: {}", sink.description(), e.toString());
        }
        if (tap != null) {
            try {
                tap.close();
            } catch (IOException e) {
                LOG.error("finishing the recording {} failed: {}", tap.path(), e.toString());
            }
        }
        stopped = true;
    }

    /**
     * Queues a change for channel {@code channel} (frame -1 = at once). On a line the frame is kept as
     * the instant it sounds at on the line's map now, and mapped back to a frame when it is rendered:
     * the map follows the line's reported position (and the sound card's rate) while the change waits,
     * so the change sounds at its instant at the output, not at a frame fixed a lead earlier. Any thread.
     */
    void enqueue(int channel, double hz, long frame, Object tag) {
        SynthVoice.checkHz(hz, settings.sampleRate());
        changes.add(channel, hz, frame < 0 || line == null ? frame : line.timeOfFrame(frame), tag);
    }

    /** Withdraws channel {@code channel}'s changes of {@code tag} not applied yet. Any thread. */
    void cancel(int channel, Object tag) {
        changes.cancel(channel, tag);
    }

    void setListener(int channel, ToneListener listener) {
        listeners.set(channel, listener);
    }

    /** True once {@link #close()} was called. */
    boolean closing() {
        return closing;
    }
}
