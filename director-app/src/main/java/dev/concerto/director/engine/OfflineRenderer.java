package dev.concerto.director.engine;

import dev.concerto.director.score.Timeline;
import dev.concerto.player.synth.SynthSettings;
import dev.concerto.player.synth.SynthVoice;
import dev.concerto.player.synth.WavWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;

/**
 * Mixes a whole timeline into a WAV file offline, through the players' own synthesis core
 * ({@link SynthVoice}: the same oscillator, ramps and 1/N mix gain as a local ensemble), as fast
 * as the CPU allows. It applies the same datagrams the scheduler would send, at the frames where
 * they are due, so what it renders is what the players would sound.
 *
 * <p>Not thread-safe; one call renders one file on the calling thread.
 */
public final class OfflineRenderer {

    /** Silence rendered after the last event, in seconds, so the last ramp completes. */
    public static final double TAIL_SECONDS = 0.25;
    private static final int BLOCK = 4096;

    private final SynthSettings settings;

    public OfflineRenderer(SynthSettings settings) {
        this.settings = settings;
    }

    /**
     * What a render produced.
     *
     * @param frames      frames written
     * @param seconds     audio length in seconds
     * @param voices      synthesis voices mixed (one per player)
     * @param wallSeconds how long rendering took
     */
    public record Result(long frames, double seconds, int voices, double wallSeconds) {
        /** How many times faster than real time. */
        public double speed() {
            return wallSeconds > 0 ? seconds / wallSeconds : Double.POSITIVE_INFINITY;
        }
    }

    /**
     * Renders {@code timeline} at {@code bpm} for the players of {@code roster} (one synthesis voice
     * per roster entry; doubled voices sound twice, voices without a player are not heard).
     *
     * @param progress called now and then with the fraction done, 0..1 (may be null)
     */
    public Result render(Timeline timeline, List<RosterEntry> roster, double bpm, Path out, DoubleConsumer progress)
            throws IOException {
        long started = System.nanoTime();
        SendPlan plan = new SendPlan(timeline);
        int rate = settings.sampleRate();
        List<List<SynthVoice>> byVoice = new ArrayList<>();
        int total = 0;
        for (int v = 0; v < timeline.voices().size(); v++) {
            List<SynthVoice> synths = new ArrayList<>();
            for (RosterEntry e : roster) {
                if (e.voice().equals(timeline.voices().get(v).name())) {
                    synths.add(settings.newVoice());
                    total++;
                }
            }
            byVoice.add(synths);
        }
        double gain = total == 0 ? 0 : 1.0 / total;
        double scale = timeline.bpm() / bpm; // real seconds per score second
        long endFrame = Math.round((timeline.totalSeconds() * scale + TAIL_SECONDS) * rate);
        float[] buf = new float[BLOCK];
        long cursor = 0;
        try (WavWriter wav = new WavWriter(out, rate)) {
            int next = 0;
            long lastReport = 0;
            while (cursor < endFrame) {
                long eventFrame = next < plan.size()
                        ? Math.round(plan.event(next).scoreSeconds() * scale * rate) : endFrame;
                while (cursor < Math.min(eventFrame, endFrame)) {
                    int n = (int) Math.min(BLOCK, Math.min(eventFrame, endFrame) - cursor);
                    java.util.Arrays.fill(buf, 0, n, 0f);
                    for (List<SynthVoice> synths : byVoice) {
                        for (SynthVoice s : synths) {
                            s.mix(buf, 0, n, gain);
                        }
                    }
                    wav.write(buf, 0, n);
                    cursor += n;
                    if (progress != null && cursor - lastReport >= rate) {
                        lastReport = cursor;
                        progress.accept((double) cursor / endFrame);
                    }
                }
                while (next < plan.size() && Math.round(plan.event(next).scoreSeconds() * scale * rate) <= cursor) {
                    SendPlan.Event e = plan.event(next++);
                    for (SynthVoice s : byVoice.get(e.voice())) {
                        s.setFrequency(e.hz());
                    }
                }
                if (next >= plan.size() && eventFrame >= endFrame) {
                    break;
                }
            }
            if (progress != null) {
                progress.accept(1.0);
            }
            return new Result(wav.frames(), (double) wav.frames() / rate, total, (System.nanoTime() - started) / 1e9);
        }
    }
}
