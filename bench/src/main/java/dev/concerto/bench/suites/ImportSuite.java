package dev.concerto.bench.suites;

import dev.concerto.bench.BenchContext;
import dev.concerto.bench.Suite;
import dev.concerto.bench.report.Table;
import dev.concerto.bench.run.ManagedProcess;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/**
 * How long {@code concerto score check} takes on large imported files, beyond the JVM's own start:
 * a 65,000-note MIDI file (type 1, 16 tracks, 3,000 tempo events; written by javax.sound.midi) and a
 * 10,000-note MusicXML file (4 parts, ties and a repeat). Each is checked in a fresh process several
 * times, as {@code java -jar} and through the {@code ./concerto} launcher (which gives {@code score} its
 * own JVM options); the median wall time minus the median of {@code --version} run the same way is the
 * import's own cost. Target: under 1 s each.
 */
public final class ImportSuite implements Suite {

    /** Notes in the generated MIDI file. */
    static final int MIDI_NOTES = 65_000;
    /** Notes in the generated MusicXML file. */
    static final int MUSICXML_NOTES = 10_000;

    @Override
    public String name() {
        return "import";
    }

    @Override
    public String description() {
        return "score check of a 65,000-note MIDI file and a 10,000-note MusicXML file, beyond JVM start";
    }

    @Override
    public List<Table> run(BenchContext ctx) throws Exception {
        int runs = ctx.quick() ? 3 : 7;
        Path midi = Files.write(ctx.file("import/orchestra-65000.mid"), midiFile());
        Path xml = Files.writeString(ctx.file("import/parts-10000.musicxml"), musicXml(), StandardCharsets.UTF_8);
        Path jar = ctx.jar("director-app");
        Path launcher = ctx.repoRoot().resolve("concerto");
        Table table = new Table("score check, fresh JVM each run (median of " + runs + ")", "file", "run as", "size (KB)",
                "wall (ms)", "JVM start + CLI (ms)", "import and check (ms)", "target");
        // The plain JVM (java -jar), and the launcher that users run, which gives `score` its own JVM options.
        for (boolean viaLauncher : new boolean[] {false, true}) {
            String how = viaLauncher ? "./concerto score" : "java -jar";
            List<String> version = viaLauncher ? List.of("bash", launcher.toString(), "score", "--version")
                    : List.of(java(), "-jar", jar.toString(), "--version");
            String tag = viaLauncher ? "launcher-" : "jar-";
            double base = medianMillis(ctx, version, tag + "version", runs);
            for (Path p : List.of(midi, xml)) {
                List<String> check = viaLauncher ? List.of("bash", launcher.toString(), "score", "check", p.toString())
                        : List.of(java(), "-jar", jar.toString(), "score", "check", p.toString());
                double wall = medianMillis(ctx, check, tag + p.getFileName(), runs);
                table.row(p.getFileName(), how, Files.size(p) / 1024, fmt(wall), fmt(base), fmt(wall - base),
                        wall - base < 1000 ? "under 1 s" : "OVER 1 s");
            }
        }
        table.note("The files are generated into the run's directory; 'JVM start + CLI' is `--version` run the same way. "
                + "The launcher runs `score` with -XX:TieredStopAtLevel=1 -XX:+UseSerialGC (see ./concerto).");
        return List.of(table);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static double medianMillis(BenchContext ctx, List<String> cmd, String label, int runs) throws Exception {
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            try (ManagedProcess p = ManagedProcess.start("check " + label, cmd,
                    ctx.file("import/" + label + "-" + i + ".log"), java.util.Map.of())) {
                int code = p.awaitExit(Duration.ofSeconds(120));
                if (code != 0) {
                    throw new IllegalStateException(label + " exited " + code + ": " + p.logText());
                }
            }
            ms[i] = (System.nanoTime() - t0) / 1e6;
            ctx.log().printf(Locale.ROOT, "   %s run %d: %.0f ms%n", label, i + 1, ms[i]);
        }
        Arrays.sort(ms);
        return ms[runs / 2];
    }

    private static String fmt(double ms) {
        return String.format(Locale.ROOT, "%.0f", ms);
    }

    /** Type 1, 480 PPQ: a tempo track with 3,000 tempo changes, 16 tracks of eighth notes with some chords. */
    static byte[] midiFile() throws Exception {
        Sequence seq = new Sequence(Sequence.PPQ, 480);
        Track conductor = seq.createTrack();
        for (int i = 0; i < 3_000; i++) {
            int us = 400_000 + (i % 50) * 2_000;
            conductor.add(new MidiEvent(new MetaMessage(0x51, new byte[] {(byte) (us >> 16), (byte) (us >> 8), (byte) us}, 3), i * 480L));
        }
        int tracks = 16;
        int perTrack = MIDI_NOTES / tracks;
        int written = 0;
        for (int t = 0; t < tracks; t++) {
            Track tr = seq.createTrack();
            int channel = t % 9; // never channel 10: these are pitched
            int n = t == tracks - 1 ? MIDI_NOTES - written : perTrack;
            for (int i = 0; i < n; i++) {
                long at = i * 240L;
                int key = 36 + t * 3 + (i * 7 % 24);
                tr.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, channel, key, 80), at));
                tr.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, channel, key, 0), at + 230));
            }
            written += n;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MidiSystem.write(seq, 1, out);
        return out.toByteArray();
    }

    /** Four parts of eighth notes in 4/4 with a tie every measure and the first eight measures repeated. */
    static String musicXml() {
        int parts = 4;
        int perPart = MUSICXML_NOTES / parts;
        int measures = (perPart + 7) / 8;
        StringBuilder b = new StringBuilder(4_000_000);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE score-partwise PUBLIC \"-//Recordare//DTD MusicXML 4.0 "
                + "Partwise//EN\" \"http://www.musicxml.org/dtds/partwise.dtd\">\n<score-partwise version=\"4.0\">\n"
                + "<work><work-title>10,000 notes</work-title></work>\n<part-list>\n");
        for (int p = 1; p <= parts; p++) {
            b.append("<score-part id=\"P").append(p).append("\"><part-name>Part ").append(p).append("</part-name></score-part>\n");
        }
        b.append("</part-list>\n");
        String[] steps = {"C", "D", "E", "F", "G", "A", "B"};
        for (int p = 1; p <= parts; p++) {
            b.append("<part id=\"P").append(p).append("\">\n");
            for (int m = 1; m <= measures; m++) {
                b.append("<measure number=\"").append(m).append("\">\n");
                if (m == 1) {
                    b.append("<attributes><divisions>2</divisions><time><beats>4</beats><beat-type>4</beat-type></time></attributes>\n");
                    b.append("<direction><direction-type><metronome><beat-unit>quarter</beat-unit><per-minute>120</per-minute>"
                            + "</metronome></direction-type><sound tempo=\"120\"/></direction>\n");
                }
                int inMeasure = m == measures ? perPart - (measures - 1) * 8 : 8;
                for (int i = 0; i < inMeasure; i++) {
                    // the last eighth of a measure is tied to the first of the next (same pitch)
                    boolean tiedIn = i == 0 && m > 1;
                    String step = steps[tiedIn ? ((m - 1) * 8 + 7 + p) % 7 : (m * 8 + i + p) % 7];
                    int octave = 2 + p;
                    String tie = (i == 7 && m < measures ? "<tie type=\"start\"/>" : "") + (tiedIn ? "<tie type=\"stop\"/>" : "");
                    b.append("<note><pitch><step>").append(step).append("</step><octave>").append(octave)
                            .append("</octave></pitch><duration>1</duration>").append(tie)
                            .append("<voice>1</voice><type>eighth</type></note>\n");
                }
                if (inMeasure < 8) {
                    b.append("<note><rest/><duration>").append(8 - inMeasure).append("</duration></note>\n");
                }
                if (m == 8) {
                    b.append("<barline location=\"right\"><repeat direction=\"backward\"/></barline>\n");
                }
                b.append("</measure>\n");
            }
            b.append("</part>\n");
        }
        return b.append("</score-partwise>\n").toString();
    }
}
