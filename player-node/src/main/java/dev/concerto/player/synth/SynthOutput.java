package dev.concerto.player.synth;

import dev.concerto.protocol.Clock;
import dev.concerto.protocol.log.RateLimitedLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One audio output with its audio thread: N {@link SynthVoice}s (channels) mixed into one stream
 * that goes to a javax.sound line, a WAV file, or nowhere, optionally also recorded into a WAV
 * ("tap"). Each channel is a {@link ToneGenerator}; a single player uses channel 0, an ensemble one
 * channel per player. The mix gain is 1/N, so N full-volume voices never clip.
 *
 * <p>Threads: the audio thread (named {@code audio-<kind>}) owns the voices and the sink; it is
 * started by the factory and stopped by {@link #close()}. Commands reach it through a lock-free
 * queue, drained before each block; changes with a frame are applied at that exact frame inside
 * the block. A line paces the thread by blocking; WAV and virtual outputs are paced by a
 * {@link FramePacer} (real time by default). All public methods are thread-safe.
 */
public final class SynthOutput implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SynthOutput.class);

    /** A change (frame -1 = at once; tag null = untagged) or, with {@code cancel}, a withdrawal of its tag. */
    private record Command(int channel, double hz, long frame, long seq, Object tag, boolean cancel) {
    }

    private final SynthSettings settings;
    private final SampleSink sink;
    private final WavWriter tap;
    private final FramePacer pacer;      // null: the sink paces (a line)
    private final Clock clock;
    private final String kind;
    private final SynthVoice[] voices;
    private final AtomicReferenceArray<ToneListener> listeners;
    private final ConcurrentLinkedQueue<Command> commands = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
    private final int blockFrames;
    private final long frameZeroEpochMicros;
    private final Thread thread;
    private final Channel[] channels;
    private final long startNanos;
    private final LineTestAids aids;
    private final long outputDelayNanos;
    /** Counted down by the audio thread once a line plays steadily (at once for paced outputs). */
    private final CountDownLatch ready = new CountDownLatch(1);
    /** Set by the audio thread once a line is primed; null before, and for paced outputs. */
    private volatile LineTimekeeper keeper;
    private volatile double outputLatencyMs = Double.NaN;
    private long writtenFrames;
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
        this.channels = new Channel[channelCount];
        for (int i = 0; i < channelCount; i++) {
            voices[i] = settings.newVoice();
            channels[i] = new Channel(i);
        }
        this.listeners = new AtomicReferenceArray<>(channelCount);
        this.frameZeroEpochMicros = pacer != null ? pacer.frameZeroEpochMicros() : clock.epochMicros();
        this.startNanos = clock.nanoTime();
        this.aids = aids;
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
     * the line plays steadily ({@link #PRIME_TIMEOUT_MILLIS} at most; a warning is logged if it never
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
            if (!out.ready.await(PRIME_TIMEOUT_MILLIS + 1000, java.util.concurrent.TimeUnit.MILLISECONDS)) {
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
        if (pacer != null) {
            return pacer.frameAtNanos(t);
        }
        LineTimekeeper k = keeper;
        return k != null ? k.frameAt(t) : Math.round((t - startNanos) * (settings.sampleRate() / 1e9));
    }

    /**
     * The output's latency as estimated when the line became ready (frames queued in the line and the
     * device, from the position it reports), ms; NaN for paced outputs.
     */
    public double outputLatencyMs() {
        return outputLatencyMs;
    }

    /**
     * How the line kept time so far: corrections made, audio dropped and silence inserted (ms), the
     * line's rate against the clock (ppm). Null for paced outputs and before the line is ready.
     */
    public LineTiming lineTiming() {
        LineTimekeeper k = keeper;
        if (k == null) {
            return null;
        }
        int rate = settings.sampleRate();
        return new LineTiming(k.corrections(), k.droppedFrames() * 1000.0 / rate, k.insertedFrames() * 1000.0 / rate,
                k.driftPpm());
    }

    /**
     * A line's time-keeping so far. Read from another thread, the counts may lag by one block.
     *
     * @param corrections  times the output was brought back in time
     * @param droppedMs    audio skipped after the line fell behind (stalls), ms
     * @param insertedMs   silence inserted after the line ran ahead, ms
     * @param driftPpm     the line's rate against the clock, parts per million off nominal
     */
    public record LineTiming(long corrections, double droppedMs, double insertedMs, double driftPpm) {
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
        if (!Double.isNaN(outputLatencyMs)) {
            d += String.format(java.util.Locale.ROOT, ", output latency %.1f ms", outputLatencyMs);
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
        PriorityQueue<Command> pending = new PriorityQueue<>(
                (a, b) -> a.frame != b.frame ? Long.compare(a.frame, b.frame) : Long.compare(a.seq, b.seq));
        try {
            if (sink instanceof SampleSink.Line line) {
                prime(line, mix);
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
                        pacer.awaitFrame(position);
                    } catch (InterruptedException e) {
                        break;
                    }
                }
                renderBlock(mix, pending);
            }
            Thread.interrupted(); // the wake-up from close(); the file I/O below is not interruptible anyway
            // Apply what is still queued (so listeners hear about the last changes), drop changes
            // planned for later frames, then fade out so the end does not click, and finish.
            for (Command c; (c = commands.poll()) != null; ) {
                if (!c.cancel && (c.frame < 0 || c.frame <= position)) {
                    apply(c, position, position);
                }
            }
            pending.clear();
            for (SynthVoice v : voices) {
                v.setFrequency(0);
            }
            renderBlock(mix, pending);
        } catch (IOException | RuntimeException e) {
            LOG.error("audio output {} failed: {}", kind, e.toString(), e);
        } finally {
            ready.countDown();
            finish();
        }
    }

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

    /**
     * Writes silence until the line plays steadily (a sound server takes up to a second to start
     * consuming a new stream; notes written before that would sound late or not at all), then starts
     * the time-keeping where the line is. Audio thread.
     */
    private void prime(SampleSink.Line line, float[] silence) throws IOException {
        java.util.Arrays.fill(silence, 0f);
        long begin = clock.nanoTime();
        long[] playedAt = new long[256];
        long[] nanosAt = new long[256];
        int count = 0;
        boolean steady = false;
        while (!closing && clock.nanoTime() - begin < PRIME_TIMEOUT_MILLIS * 1_000_000L) {
            sink.write(silence, blockFrames);
            writtenFrames += blockFrames;
            long now = clock.nanoTime();
            double realTimeFrames = (now - begin) * settings.sampleRate() / 1e9;
            if (writtenFrames - realTimeFrames > UNPACED_AHEAD_SECONDS * settings.sampleRate() + line.bufferFrames()) {
                // A device that takes audio faster than it could play it (ALSA's file or null device):
                // nothing to keep time with. Changes go to frames at the nominal rate.
                LOG.warn("the audio device {} takes audio faster than real time (not a sound card?): its timing"
                        + " is not kept", sink.description());
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
                    double realTime = span * settings.sampleRate() / 1e9;
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
        outputLatencyMs = (writtenFrames - played) * 1000.0 / settings.sampleRate();
        keeper = new LineTimekeeper(now, played, writtenFrames, position, settings.sampleRate(),
                Math.max(1, Math.round(CORRECTION_THRESHOLD_MS * settings.sampleRate() / 1000)));
        if (!steady && !closing) {
            LOG.warn("the audio line did not play steadily within {} ms (it consumed little or nothing); timing"
                    + " may be off until it does", PRIME_TIMEOUT_MILLIS);
        } else {
            LOG.debug("line ready after {} ms, output latency {} ms", (now - begin) / 1_000_000,
                    String.format(java.util.Locale.ROOT, "%.1f", outputLatencyMs));
        }
    }

    private void renderBlock(float[] mix, PriorityQueue<Command> pending) throws IOException {
        long start = position;
        long end = start + blockFrames;
        for (Command c; (c = commands.poll()) != null; ) {
            if (c.cancel) {
                Object t = c.tag;
                pending.removeIf(x -> x.tag == t);
            } else if (c.frame < 0) {
                apply(c, start, start);
            } else {
                pending.add(c);
            }
        }
        Arrays.fill(mix, 0f);
        double gain = 1.0 / voices.length;
        long cursor = start;
        while (true) {
            Command next = pending.peek();
            long stop = next != null && next.frame < end ? Math.max(next.frame, start) : end;
            if (stop > cursor) {
                for (SynthVoice v : voices) {
                    v.mix(mix, (int) (cursor - start), (int) (stop - cursor), gain);
                }
                cursor = stop;
            }
            if (next == null || next.frame >= end) {
                break;
            }
            pending.poll();
            apply(next, cursor, start);
        }
        sink.write(mix, blockFrames);
        writtenFrames += blockFrames;
        if (tap != null) {
            tap.write(mix, 0, blockFrames);
        }
        position = end;
        LineTimekeeper k = keeper;
        if (k != null && sink instanceof SampleSink.Line line) {
            // Taken right after the write returns: the line's play position against the clock.
            long tNow = clock.nanoTime();
            long played = line.playedFrames();
            LineTimekeeper.Correction c = k.observe(played, writtenFrames, tNow);
            if (LOG.isTraceEnabled()) {
                LOG.trace("line t={} ms played={} written={} position={} frameAt={} residual={} correction={}",
                        (tNow - startNanos) / 1_000_000, played, writtenFrames, position, k.frameAt(tNow),
                        Math.round(k.residualFrames()), c.frames());
            }
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
            java.util.Arrays.fill(scratch, 0f);
            long left = c.insertFrames();
            while (left > 0) {
                int n = (int) Math.min(left, blockFrames);
                sink.write(scratch, n);
                writtenFrames += n;
                left -= n;
            }
        }
        // Rate-limited: a line that keeps stalling must not flood the log (every correction is counted).
        if (correctionLog.admit(clock.nanoTime()) != RateLimitedLog.SUPPRESSED) {
            LOG.warn(c.dropFrames() > 0
                    ? "audio line {} was {} ms behind the clock (stalled or slow): skipped {} ms of audio to be back in time ({} corrections so far)"
                    : "audio line {} ran {} ms ahead of the clock: inserted {} ms of silence to be back in time ({} corrections so far)",
                    sink.description(), String.format(java.util.Locale.ROOT, "%.1f", ms),
                    String.format(java.util.Locale.ROOT, "%.1f", ms), keeper.corrections());
        }
        for (int i = 0; i < listeners.length(); i++) {
            ToneListener l = listeners.get(i);
            if (l != null) {
                try {
                    l.lineCorrected(c.dropFrames() > 0 ? ms : -ms);
                } catch (RuntimeException e) {
                    LOG.warn("tone listener failed: {}", e.toString());
                }
            }
        }
    }

    private void apply(Command c, long frame, long blockStart) {
        voices[c.channel].setFrequency(c.hz);
        ToneListener l = listeners.get(c.channel);
        if (l != null) {
            long sound;
            if (pacer != null) {
                sound = pacer.epochMicrosOfFrame(frame);
            } else {
                // Frames ahead of the one sounding now on the keeper's map (the line is kept on it).
                LineTimekeeper k = keeper;
                long ahead = k != null ? frame - frameAt(clock.nanoTime()) : sink.queuedFrames() + (frame - blockStart);
                sound = clock.epochMicros() + ahead * 1_000_000L / settings.sampleRate();
            }
            try {
                l.toneApplied(c.hz, frame, sound, c.tag);
            } catch (RuntimeException e) {
                LOG.warn("tone listener failed: {}", e.toString());
            }
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

    private void enqueue(int channel, double hz, long frame, Object tag) {
        SynthVoice.checkHz(hz, settings.sampleRate());
        commands.add(new Command(channel, hz, frame, seq.incrementAndGet(), tag, false));
    }

    /** One channel of this output as a ToneGenerator. */
    private final class Channel implements ToneGenerator {
        private final int index;

        Channel(int index) {
            this.index = index;
        }

        @Override
        public void set(double hz) {
            enqueue(index, hz, -1, null);
        }

        @Override
        public void schedule(double hz, long frame, Object tag) {
            enqueue(index, hz, Math.max(-1, frame), Objects.requireNonNull(tag, "tag"));
        }

        @Override
        public void cancel(Object tag) {
            if (tag != null) {
                commands.add(new Command(index, 0, -1, seq.incrementAndGet(), tag, true));
            }
        }

        @Override
        public double maxHz() {
            return SynthVoice.maxHz(settings.sampleRate());
        }

        @Override
        public long frameAt(long nanoTime) {
            return SynthOutput.this.frameAt(nanoTime);
        }

        @Override
        public long framePosition() {
            return position;
        }

        @Override
        public int sampleRate() {
            return settings.sampleRate();
        }

        @Override
        public String description() {
            return channels.length == 1 ? SynthOutput.this.description()
                    : "channel " + (index + 1) + " of " + SynthOutput.this.description();
        }

        @Override
        public void setListener(ToneListener listener) {
            listeners.set(index, listener);
        }

        @Override
        public Optional<Path> wavFile() {
            return SynthOutput.this.wavFile();
        }

        @Override
        public long frameZeroEpochMicros() {
            return frameZeroEpochMicros;
        }

        @Override
        public void close() {
            if (!closing) {
                set(0);
            }
        }

        @Override
        public String toString() {
            return description();
        }
    }
}
