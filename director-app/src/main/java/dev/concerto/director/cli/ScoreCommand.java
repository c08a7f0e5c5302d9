package dev.concerto.director.cli;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

import dev.concerto.director.score.MidiImporter;
import dev.concerto.director.score.Score;
import dev.concerto.director.score.ScoreCompiler;
import dev.concerto.director.score.ScoreException;
import dev.concerto.director.score.ScoreLoader;
import dev.concerto.director.score.TimedNote;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.VoiceTimeline;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code concerto score check|dump FILE}: validate a score, or print its compiled timeline. */
@Command(name = "score", versionProvider = VersionProvider.class,
        mixinStandardHelpOptions = true,
        description = "Check a score (JSON or MIDI) or dump its compiled timeline.",
        subcommands = {ScoreCommand.Check.class, ScoreCommand.Dump.class})
public final class ScoreCommand implements Runnable {

    /** JSON lines for {@code dump --format json}; numbers as written (no exponent). */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    /** Warnings printed by {@code check}; the rest are counted. */
    static final int MAX_WARNINGS = 20;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options for reading MIDI files. */
    static final class MidiOptions {
        @Option(names = "--split", paramLabel = "PRESET", defaultValue = "high-to-low",
                description = "MIDI only: how notes are spread over monophonic voices: track, channel, "
                        + "high-to-low (chords top-down over the players) or round-robin. Default: ${DEFAULT-VALUE}.")
        String split;

        @Option(names = "--players", paramLabel = "N", defaultValue = "4",
                description = "MIDI only: players available (voices, or tracks/channels that get a voice). Default: ${DEFAULT-VALUE}.")
        int players;

        Score load(Path file, CommandSpec spec) throws ScoreException {
            String lower = file.toString().toLowerCase(Locale.ROOT);
            if (lower.endsWith(".mid") || lower.endsWith(".midi")) {
                MidiImporter.Split s;
                try {
                    s = MidiImporter.Split.parse(split);
                } catch (IllegalArgumentException e) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "unknown --split '" + split + "' (track, channel, high-to-low, round-robin)");
                }
                if (players < 1) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--players must be >= 1");
                }
                return MidiImporter.load(file, new MidiImporter.Options(s, players)).score();
            }
            return ScoreLoader.load(file);
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Validate a score; print its title, voices, tuning, duration and note count.",
                    "Exit 0 when valid, 1 with the error (file:line:column: field: problem) otherwise."})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "a score: .json, or .mid/.midi")
        Path file;

        @Mixin
        MidiOptions midi = new MidiOptions();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                Score score = midi.load(file, spec);
                Timeline t = ScoreCompiler.compile(score);
                out.printf(Locale.ROOT, "%s: ok%n", file);
                out.printf(Locale.ROOT, "title:    %s%n", t.title());
                if (!t.composer().isEmpty()) {
                    out.printf(Locale.ROOT, "composer: %s%n", t.composer());
                }
                List<String> voices = new ArrayList<>();
                for (VoiceTimeline v : t.voices()) {
                    long n = v.notes().stream().filter(x -> !x.isSilence()).count();
                    voices.add(v.name() + (v.optional() ? " (optional)" : "") + " " + n);
                }
                out.printf(Locale.ROOT, "voices:   %d: %s%n", t.voices().size(), String.join(", ", voices));
                out.printf(Locale.ROOT, "tuning:   %s%n", ScoreCompiler.tuning(score).description());
                out.printf(Locale.ROOT, "tempo:    %s bpm (beat = 1/%d)%n", num(t.bpm()), ScoreCompiler.beatUnit(score));
                out.printf(Locale.ROOT, "duration: %.3f s (%s beats, %d measures)%n", t.totalSeconds(), num(t.totalBeats()),
                        t.measureCount());
                out.printf(Locale.ROOT, "notes:    %d%n", t.noteCount());
                int shown = Math.min(score.warnings().size(), MAX_WARNINGS);
                for (String w : score.warnings().subList(0, shown)) {
                    out.printf(Locale.ROOT, "warning:  %s%n", w);
                }
                if (score.warnings().size() > shown) {
                    out.printf(Locale.ROOT, "warning:  ... and %d more%n", score.warnings().size() - shown);
                }
                out.flush();
                return ExitCodes.OK;
            } catch (ScoreException e) {
                err.println(e.getMessage());
                err.flush();
                return ExitCodes.BAD_INPUT;
            }
        }
    }

    /** Output formats of {@code dump}. */
    enum Format { csv, json }

    @Command(name = "dump", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Print the compiled timeline, one note per line in time order:",
                    "voice,start_s,duration_s,hz (csv, with a header line) or the same fields as JSON lines.",
                    "Silences (hz 0, the ancestor's stop()) are printed too."})
    static final class Dump implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "a score: .json, or .mid/.midi")
        Path file;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv",
                description = "csv or json (JSON lines). Default: ${DEFAULT-VALUE}.")
        Format format;

        @Mixin
        MidiOptions midi = new MidiOptions();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                Timeline t = ScoreCompiler.compile(midi.load(file, spec));
                record Line(String voice, int order, TimedNote note) {
                }
                List<Line> lines = new ArrayList<>();
                for (VoiceTimeline v : t.voices()) {
                    for (int i = 0; i < v.notes().size(); i++) {
                        lines.add(new Line(v.name(), lines.size(), v.notes().get(i)));
                    }
                }
                // In time order across voices; at equal times, score voice order then the voice's own order.
                lines.sort(Comparator.comparingDouble((Line l) -> l.note().startSeconds()).thenComparingInt(Line::order));
                if (format == Format.csv) {
                    out.println("voice,start_s,duration_s,hz");
                }
                for (Line l : lines) {
                    TimedNote n = l.note();
                    if (format == Format.csv) {
                        out.printf(Locale.ROOT, "%s,%.6f,%.6f,%s%n", l.voice(), n.startSeconds(), n.durationSeconds(), num(n.hz()));
                    } else {
                        ObjectNode o = JSON.createObjectNode();
                        o.put("voice", l.voice());
                        o.put("start_s", new BigDecimal(String.format(Locale.ROOT, "%.6f", n.startSeconds())));
                        o.put("duration_s", new BigDecimal(String.format(Locale.ROOT, "%.6f", n.durationSeconds())));
                        o.put("hz", new BigDecimal(num(n.hz())));
                        out.println(JSON.writeValueAsString(o));
                    }
                }
                out.flush();
                return ExitCodes.OK;
            } catch (ScoreException e) {
                spec.commandLine().getErr().println(e.getMessage());
                spec.commandLine().getErr().flush();
                return ExitCodes.BAD_INPUT;
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a timeline line cannot fail to serialise", e);
            }
        }
    }

    /** Whole numbers without a fraction, others with up to 6 decimals. */
    static String num(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "");
    }
}
