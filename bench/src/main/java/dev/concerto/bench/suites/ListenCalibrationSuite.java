package dev.concerto.bench.suites;

import dev.concerto.bench.BenchContext;
import dev.concerto.bench.Suite;
import dev.concerto.bench.report.Table;
import dev.concerto.bench.run.PulseAudioSink;
import java.util.List;

/**
 * The {@code listen} suite's calibration row alone ({@link ListenCalibration}): eight javax.sound
 * players on a private PulseAudio null sink, one delaying its output by 7 ms, calibrated several
 * times with the sink's monitor as the microphone. For working on calibration without the minutes
 * of the other listen rows.
 */
public final class ListenCalibrationSuite implements Suite {

    @Override
    public String name() {
        return "listen-calibration";
    }

    @Override
    public String description() {
        return "the listen suite's calibration row alone: 8 javax.sound players, one delayed 7 ms, calibrated by"
                + " microphone (the sink's monitor) several times";
    }

    @Override
    public List<Table> run(BenchContext ctx) throws Exception {
        PulseAudioSink.ensureInstalled(ctx.log(), ctx.file("listen/apt-get.log"));
        try (PulseAudioSink pulse = PulseAudioSink.start(ListenRecording.RATE, ctx.file("listen/pulseaudio.log"))) {
            ctx.log().printf("   private PulseAudio daemon pid %d, null sink 'vsink' at %d Hz%n", pulse.pid(),
                    ListenRecording.RATE);
            return List.of(ListenCalibration.run(ctx, pulse, ListenCalibration.runs(ctx)));
        }
    }
}
