package dev.concerto.player.synth;

import dev.concerto.protocol.Clock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
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
    private final FrameClockFit lineClock; // null: paced, the pacer maps time to frames
    private volatile long position;
    private volatile boolean closing;
    private volatile boolean stopped;

    private SynthOutput(String kind, SynthSettings settings, int channelCount, SampleSink sink, WavWriter tap,
            FramePacer pacer, Clock clock, int blockFrames) {
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
        this.lineClock = pacer != null ? null : new FrameClockFit(clock.nanoTime(), settings.sampleRate());
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
        SampleSink.Line line = SampleSink.Line.open(settings.sampleRate(), settings.bufferFrames());
        WavWriter tap = null;
        try {
            tap = wavTap == null ? null : new WavWriter(wavTap, settings.sampleRate());
        } catch (IOException e) {
            line.close();
            throw e;
        }
        int block = Math.max(32, line.bufferFrames() / 4);
        return start(new SynthOutput("javasound", settings, channels, line, tap, null, Clock.SYSTEM, block));
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
        return start(new SynthOutput(kind, settings, channels, sink, wavOnly ? null : writer, pacer, clock, block));
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
     * outputs; for a line, a fit of the line's frame position against the clock (see
     * {@link FrameClockFit}), which follows the sound card's drift.
     */
    public long frameAt(long nanoTime) {
        return pacer != null ? pacer.frameAtNanos(nanoTime) : lineClock.frameAt(nanoTime);
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
            while (!closing) {
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
            finish();
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
        if (lineClock != null && sink instanceof SampleSink.Line line) {
            // Taken right after the write returns: the line's play position against the clock.
            lineClock.observe(line.playedFrames(), clock.nanoTime());
        }
        if (tap != null) {
            tap.write(mix, 0, blockFrames);
        }
        position = end;
    }

    private void apply(Command c, long frame, long blockStart) {
        voices[c.channel].setFrequency(c.hz);
        ToneListener l = listeners.get(c.channel);
        if (l != null) {
            long sound;
            if (pacer != null) {
                sound = pacer.epochMicrosOfFrame(frame);
            } else {
                long ahead = sink.queuedFrames() + (frame - blockStart);
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
