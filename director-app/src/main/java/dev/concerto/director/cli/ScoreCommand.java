package dev.concerto.director.cli;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

import dev.concerto.director.score.ImportReport;
import dev.concerto.director.score.Unplaced;
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
        description = "Check a score (JSON, MIDI or MusicXML) or dump its compiled timeline.",
        subcommands = {ScoreCommand.Check.class, ScoreCommand.Dump.class})
public final class ScoreCommand implements Runnable {

    /** JSON lines for {@code dump --format json}; numbers as written (no exponent). Made on first use, not at start-up. */
    private static final class Json {
        static final ObjectMapper MAPPER = JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
    }

    /** Unplaced notes listed by {@code check} unless {@code --all} or {@code --warnings N}; the rest are counted. */
    static final int MAX_WARNINGS = 20;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Validate a score; print its title, voices, tuning, duration and note count, the file's",
                    "warnings, and the notes no player plays: a count by cause, then the first 20 (--all: every one).",
                    "Exit 0 when valid, 1 with the error (file:line:column: field: problem, or file: track N: byte B:",
                    "problem for MIDI) otherwise, and 1 with --strict when the file has warnings."})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "a score: .json, .mid/.midi, or MusicXML .musicxml/.xml/.mxl")
        Path file;

        @Mixin
        PlacementOptions placement = new PlacementOptions();

        @Option(names = "--all", description = "list every unplaced note (default: the first " + MAX_WARNINGS + ")")
        boolean all;

        @Option(names = "--warnings", paramLabel = "N", description = "list the first N unplaced notes (default: "
                + MAX_WARNINGS + ")")
        Integer maxListed;

        @Option(names = "--strict", description = "exit 1 when the file has warnings (a note never released, an "
                + "unsupported element); unplaced notes alone do not fail")
        boolean strict;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                Score score = placement.load(file, spec);
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
                ImportReport report = score.report();
                for (ImportReport.Info i : report.info()) {
                    out.printf(Locale.ROOT, "%-9s %s%n", i.label() + ":", i.text());
                }
                List<String> fileWarnings = report == ImportReport.NONE ? score.warnings() : report.fileWarnings();
                for (String w : fileWarnings) {
                    out.printf(Locale.ROOT, "warning:  %s%n", w);
                }
                printUnplaced(out, report);
                out.flush();
                if (strict && !fileWarnings.isEmpty()) {
                    err.printf(Locale.ROOT, "%s: %d warning%s (--strict)%n", file, fileWarnings.size(),
                            fileWarnings.size() == 1 ? "" : "s");
                    err.flush();
                    return ExitCodes.BAD_INPUT;
                }
                return ExitCodes.OK;
            } catch (ScoreException e) {
                err.println(e.getMessage());
                err.flush();
                return ExitCodes.BAD_INPUT;
            }
        }

        private void printUnplaced(PrintWriter out, ImportReport report) {
            List<Unplaced> unplaced = report.unplaced();
            if (unplaced.isEmpty()) {
                return;
            }
            List<String> byCause = new ArrayList<>();
            report.unplacedByCause().forEach((cause, n) -> byCause.add(n + " " + cause.label()));
            out.printf(Locale.ROOT, "unplaced: %d note%s (%s)%n", unplaced.size(), unplaced.size() == 1 ? "" : "s",
                    String.join(", ", byCause));
            // Dropped pitched notes first: a band file's drum hits must not hide them.
            List<Unplaced> listed = new ArrayList<>(unplaced);
            listed.sort(Comparator.comparing((Unplaced u) -> u.cause() == Unplaced.Cause.PERCUSSION));
            int limit = all ? listed.size() : Math.max(0, maxListed == null ? MAX_WARNINGS : maxListed);
            int shown = Math.min(limit, listed.size());
            for (Unplaced u : listed.subList(0, shown)) {
                out.printf(Locale.ROOT, "  %s%n", u);
            }
            if (listed.size() > shown) {
                out.printf(Locale.ROOT, "  ... and %d more (--all lists every one)%n", listed.size() - shown);
            }
        }
    }

    /** Output formats of {@code dump}. */
    enum Format { csv, json }

    @Command(name = "dump", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Print the compiled timeline, one note per line in time order:",
                    "voice,start_s,duration_s,hz (csv, with a header line) or the same fields as JSON lines.",
                    "Silences (hz 0, the ancestor's stop()) are printed too. JSON lines end with one line per",
                    "unplaced note of an imported file: {\"unplaced\": ..., \"cause\": ..., ...}."})
    static final class Dump implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "a score: .json, .mid/.midi, or MusicXML .musicxml/.xml/.mxl")
        Path file;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv",
                description = "csv or json (JSON lines). Default: ${DEFAULT-VALUE}.")
        Format format;

        @Mixin
        PlacementOptions placement = new PlacementOptions();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                Score score = placement.load(file, spec);
                Timeline t = ScoreCompiler.compile(score);
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
                        ObjectNode o = Json.MAPPER.createObjectNode();
                        o.put("voice", l.voice());
                        o.put("start_s", new BigDecimal(String.format(Locale.ROOT, "%.6f", n.startSeconds())));
                        o.put("duration_s", new BigDecimal(String.format(Locale.ROOT, "%.6f", n.durationSeconds())));
                        o.put("hz", new BigDecimal(num(n.hz())));
                        out.println(Json.MAPPER.writeValueAsString(o));
                    }
                }
                if (format == Format.json) {
                    for (Unplaced u : score.report().unplaced()) {
                        ObjectNode o = Json.MAPPER.createObjectNode();
                        o.put("unplaced", u.noteName());
                        o.put("midi", u.midiNote());
                        o.put("origin", u.origin());
                        o.put("start_beats", new BigDecimal(String.format(Locale.ROOT, "%.6f", u.startBeats())));
                        o.put("start_s", new BigDecimal(String.format(Locale.ROOT, "%.6f", u.startSeconds())));
                        o.put("cause", u.cause().name().toLowerCase(Locale.ROOT));
                        o.put("detail", u.detail());
                        out.println(Json.MAPPER.writeValueAsString(o));
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
