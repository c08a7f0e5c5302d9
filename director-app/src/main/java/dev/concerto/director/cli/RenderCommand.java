package dev.concerto.director.cli;

import dev.concerto.director.engine.OfflineRenderer;
import dev.concerto.director.engine.Protocol;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.engine.RosterException;
import dev.concerto.director.score.TempoRange;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.VoiceTimeline;
import dev.concerto.player.synth.SynthSettings;
import dev.concerto.player.synth.Waveform;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code concerto render SCORE OUT.wav [--roster FILE]}: an offline mix, faster than real time. */
@Command(name = "render",
        mixinStandardHelpOptions = true,
        description = {"Mix a whole score offline into a mono 16-bit WAV file through the players' own synthesis "
                + "(same oscillator, ramps and mix), faster than real time: a preview without players.",
                "Without --roster every voice is heard once; with one, each roster player is a voice of the mix "
                        + "(doubled voices sound twice, voices without a player are silent).",
                "Exit codes: 0 written, 1 bad score or roster, 2 usage error or the file cannot be written."})
public final class RenderCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCORE", description = "the score to render (.json, .mid/.midi, or MusicXML .musicxml/.xml/.mxl)")
    Path score;

    @Mixin
    PlacementOptions placement = new PlacementOptions();

    @Parameters(index = "1", paramLabel = "OUT.wav", description = "the WAV file to write (overwritten)")
    Path output;

    @Option(names = "--roster", paramLabel = "FILE", description = "render the players of this roster (JSON)")
    Path roster;

    @Option(names = "--tempo", paramLabel = "BPM", description = "tempo in beats per minute (default: the score's)")
    Double tempo;

    @Option(names = "--waveform", paramLabel = "WAVE", defaultValue = "SQUARE",
            description = "oscillator shape: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, like the PWM players)")
    Waveform waveform;

    @Option(names = "--sample-rate", paramLabel = "HZ", defaultValue = "48000",
            description = "frames per second (default: ${DEFAULT-VALUE})")
    int sampleRate;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Timeline timeline = placement.compileOrReport(score, spec);
        if (timeline == null) {
            return ExitCodes.BAD_INPUT;
        }
        // The score's own tempo was checked when it was read; only a --tempo given here needs a check.
        if (tempo != null && !TempoRange.contains(tempo)) {
            err.println("concerto render: --tempo " + tempo + " is outside " + TempoRange.text());
            return ExitCodes.ENVIRONMENT;
        }
        double bpm = tempo != null ? tempo : timeline.bpm();
        List<RosterEntry> players;
        if (roster != null) {
            try {
                Roster r = Roster.load(roster);
                r.validateFor(timeline);
                players = r.entries();
            } catch (RosterException e) {
                err.println("concerto render: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
        } else {
            players = timeline.voices().stream().map(VoiceTimeline::name)
                    .map(v -> new RosterEntry(v, "-", 1, Protocol.LEGACY, v)).toList();
        }
        SynthSettings settings;
        try {
            settings = SynthSettings.defaults().withSampleRate(sampleRate).withWaveform(waveform);
        } catch (IllegalArgumentException e) {
            err.println("concerto render: " + e.getMessage());
            return ExitCodes.ENVIRONMENT;
        }
        boolean console = System.console() != null;
        try {
            OfflineRenderer.Result r = new OfflineRenderer(settings).render(timeline, players, bpm, output, f -> {
                if (console) {
                    out.printf(Locale.ROOT, "\rrendering %s: %3.0f%%", output.getFileName(), f * 100);
                    out.flush();
                }
            });
            if (console) {
                out.print("\r");
            }
            out.printf(Locale.ROOT, "wrote %s: %.1f s of audio, %d voices, %d Hz, in %.2f s (%.0fx real time)%n",
                    output, r.seconds(), r.voices(), settings.sampleRate(), r.wallSeconds(), r.speed());
            return ExitCodes.OK;
        } catch (IOException e) {
            err.println("concerto render: cannot write " + output + ": " + e.getMessage());
            return ExitCodes.ENVIRONMENT;
        } catch (IllegalArgumentException e) {
            err.println("concerto render: " + score + ": " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }
}
