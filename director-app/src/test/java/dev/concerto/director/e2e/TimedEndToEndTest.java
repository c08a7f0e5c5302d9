package dev.concerto.director.e2e;

import dev.concerto.director.engine.Protocol;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.director.net.DirectorEngine;
import dev.concerto.director.engine.PlayState;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.engine.TimedOptions;
import dev.concerto.director.score.TimedNote;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.VoiceTimeline;
import dev.concerto.player.synth.Audio;
import dev.concerto.protocol.ClockSync;
import dev.concerto.protocol.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on loopback: four real player processes ({@code PlayerMain}, each its own JVM)
 * recording to WAV ({@code --synth wav}, paced in real time), the director's engine in this JVM
 * playing a short four-voice score to them with the timed protocol. Each player's notes are found
 * in its WAV by a threshold onset detector and compared with the score.
 *
 * <p>"When a frame sounds" is the player's own frame↔clock mapping (a WAV has no clock): a line
 * fitted to the {@code at_us → scheduled_frame} pairs of its {@code --events} file. The expected
 * frame of a note is that mapping applied to the note's due time in the director's clock (one
 * monotonic clock on one machine, so the true offset is zero and clock sync must find it); the onset
 * error therefore contains the sync error, the player's scheduling and the synthesis ramp. That error
 * is printed, not asserted (a busy machine may make a note late; the onset suite measures it). What
 * is asserted is behaviour: every note sent is heard, where the player applied it, and every note
 * the player did not report late at the frame it scheduled for its start time.
 */
class TimedEndToEndTest {

    private static final int PLAYERS = 4;
    private static final int NOTES = 8;
    private static final int RATE = 48_000;
    /** A sample at least this loud (of 32767) after silence is an onset. */
    private static final int THRESHOLD = 64;

    @TempDir
    Path dir;

    /** Each voice: a 0.2 s note every 0.5 s (60 bpm, half beats), silence between. */
    static Timeline score() {
        List<VoiceTimeline> voices = new ArrayList<>();
        for (int v = 0; v < PLAYERS; v++) {
            List<TimedNote> notes = new ArrayList<>();
            for (int k = 0; k < NOTES; k++) {
                double start = 0.5 * k;
                double hz = 220 + 110 * v + 20 * k;
                notes.add(new TimedNote(start, 0.2, start, 0.2, hz, "n" + (int) hz));
            }
            voices.add(new VoiceTimeline("v" + v, notes));
        }
        return new Timeline("e2e", "", 60, voices, 4.0, 4.0, List.of(0.0), List.of(0.0));
    }

    record Due(int player, long dueMicros) {
    }

    @Test
    void fourPlayerProcessesSoundEveryNoteWhereTheyScheduleItInTheirWavs() throws Exception {
        List<Process> processes = new ArrayList<>();
        try {
            List<RosterEntry> entries = new ArrayList<>();
            for (int i = 0; i < PLAYERS; i++) {
                Process p = startPlayer(i);
                processes.add(p);
            }
            for (int i = 0; i < PLAYERS; i++) {
                int port = PlayerProcesses.awaitPort(processes.get(i), "p" + i);
                entries.add(new RosterEntry("p" + i, "127.0.0.1", port, Protocol.TIMED, "v" + i));
            }
            List<Due> dues = new CopyOnWriteArrayList<>();
            List<ClockSync.Estimate> estimates = new ArrayList<>();
            try (DirectorEngine engine = DirectorEngine.builder(score(), new Roster("e2e", entries)).shutdownHook(false)
                    .options(TimedOptions.defaults().withSyncTimeout(Duration.ofSeconds(10)))
                    .observer((player, hz, deadline, sendAt, sent) -> {
                        if (hz > 0) {
                            dues.add(new Due(player, Math.floorDiv(deadline, 1000)));
                        }
                    }).build()) {
                engine.play();
                assertThat(engine.awaitState(s -> s.state() == PlayState.STOPPED && s.notesSent() > 0,
                        Duration.ofSeconds(30))).isTrue();
                engine.streams().forEach(s -> estimates.add(s.clockEstimate()));
            }
            // Each player's audio thread applies its notes as it renders them; on a starved machine it can
            // run behind the wall clock, so wait (bounded) until every player has applied its last start,
            // then give the last note's tail time to reach the WAV.
            for (int i = 0; i < PLAYERS; i++) {
                Path events = dir.resolve("p" + i + ".jsonl");
                PlayerProcesses.waitUntil(Duration.ofSeconds(20), () -> appliedStarts(events).size() >= NOTES);
            }
            Thread.sleep(300);
            for (Process p : processes) {
                p.destroy(); // SIGTERM: the player finishes its WAV and exits
            }
            for (Process p : processes) {
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }

            long[][] errorFrames = new long[PLAYERS][NOTES];
            double[][] onsetMicros = new double[PLAYERS][NOTES];
            for (int i = 0; i < PLAYERS; i++) {
                double[] fit = frameFit(dir.resolve("p" + i + ".jsonl")); // frame = fit[0] + fit[1] * at_us
                List<Integer> onsets = onsets(dir.resolve("p" + i + ".wav"));
                final int player = i;
                long[] due = dues.stream().filter(d -> d.player() == player).mapToLong(Due::dueMicros).toArray();
                List<long[]> applied = appliedStarts(dir.resolve("p" + i + ".jsonl"));
                assertThat(due).as("notes sent to p" + i).hasSize(NOTES);
                assertThat(onsets).as("onsets found in p" + i + ".wav").hasSize(NOTES);
                assertThat(applied).as("starts the player applied, in p" + i + ".jsonl").hasSize(NOTES);
                for (int k = 0; k < NOTES; k++) {
                    // Behaviour, not timing (a busy machine may make a note late, and the player then says
                    // so): the WAV sounds each note where the player applied it, and a note the player did
                    // not report late was applied at the very frame it scheduled for its start time.
                    long[] a = applied.get(k);
                    assertThat(Math.abs(onsets.get(k) - a[0])).as("p%d note %d: WAV onset vs applied frame", i, k)
                            .isLessThanOrEqualTo(RATE / 500); // the 2 ms fade-in
                    if (a[2] == 0) {
                        assertThat(a[0]).as("p%d note %d applied at its scheduled frame", i, k).isEqualTo(a[1]);
                    }
                    double expected = fit[0] + fit[1] * due[k];
                    errorFrames[i][k] = Math.round(onsets.get(k) - expected); // the timing figure: printed only
                    onsetMicros[i][k] = (onsets.get(k) - fit[0]) / fit[1];
                }
            }
            report(errorFrames, onsetMicros, estimates);
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
    }

    private Process startPlayer(int i) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), "dev.concerto.player.cli.PlayerMain",
                "--bind", "127.0.0.1:0", "--name", "p" + i, "--synth", "wav", "--wav", dir.resolve("p" + i + ".wav").toString(),
                "--events", dir.resolve("p" + i + ".jsonl").toString(), "--sample-rate", String.valueOf(RATE));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
    }

    /** Least-squares line frame = a + b * at_us over the player's applied timed starts. */
    private static double[] frameFit(Path events) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<double[]> pairs = new ArrayList<>();
        for (String line : Files.readAllLines(events)) {
            JsonNode n = json.readTree(line);
            if ("tone".equals(n.path("event").asText()) && n.has("at_us") && n.has("scheduled_frame")
                    && "start".equals(n.path("cause").asText()) && !n.path("late").asBoolean()) {
                pairs.add(new double[] {n.get("at_us").asDouble(), n.get("scheduled_frame").asDouble()});
            }
        }
        assertThat(pairs).as("timed starts in " + events).hasSizeGreaterThanOrEqualTo(2);
        double x0 = pairs.get(0)[0];
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (double[] p : pairs) {
            double x = p[0] - x0;
            sx += x;
            sy += p[1];
            sxx += x * x;
            sxy += x * p[1];
        }
        int n = pairs.size();
        double b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        double a = (sy - b * sx) / n - b * x0;
        return new double[] {a, b};
    }

    /** The player's applied starts in order: {applied frame, scheduled frame, 1 if it reported it late}. */
    private static List<long[]> appliedStarts(Path events) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<long[]> starts = new ArrayList<>();
        for (String line : Files.readAllLines(events)) {
            JsonNode n = json.readTree(line);
            if ("tone".equals(n.path("event").asText()) && "start".equals(n.path("cause").asText())
                    && n.path("hz").asDouble() > 0) {
                starts.add(new long[] {n.path("frame").asLong(), n.path("scheduled_frame").asLong(-1),
                        n.path("late").asBoolean() ? 1 : 0});
            }
        }
        return starts;
    }

    /** Frames where sound starts after at least 50 ms of silence. */
    private static List<Integer> onsets(Path wav) throws Exception {
        Audio.Wav recording = Audio.read(wav);
        assertThat(recording.channels()).isEqualTo(1);
        assertThat(recording.sampleRate()).isEqualTo(RATE);
        float[] samples = recording.samples();
        List<Integer> onsets = new ArrayList<>();
        int quiet = Integer.MAX_VALUE / 2;
        for (int i = 0; i < samples.length; i++) {
            if (Math.abs(samples[i]) * 32768f >= THRESHOLD) { // exact: the samples are shorts / 32768
                if (quiet >= RATE / 20) {
                    onsets.add(i);
                }
                quiet = 0;
            } else {
                quiet++;
            }
        }
        return onsets;
    }

    private static void report(long[][] errorFrames, double[][] onsetMicros, List<ClockSync.Estimate> estimates) {
        long[] errors = Arrays.stream(errorFrames).flatMapToLong(Arrays::stream).map(Math::abs).sorted().toArray();
        double[] spreads = new double[NOTES];
        for (int k = 0; k < NOTES; k++) {
            double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
            for (int i = 0; i < PLAYERS; i++) {
                min = Math.min(min, onsetMicros[i][k]);
                max = Math.max(max, onsetMicros[i][k]);
            }
            spreads[k] = max - min;
        }
        Arrays.sort(spreads);
        StringBuilder sb = new StringBuilder("\n=== timed end to end: " + PLAYERS + " player processes, " + NOTES
                + " notes each, WAV at " + RATE + " Hz ===\n");
        for (int i = 0; i < PLAYERS; i++) {
            sb.append(String.format(Locale.ROOT, "p%d onset error (frames): %s%n", i, Arrays.toString(errorFrames[i])));
        }
        sb.append(String.format(Locale.ROOT, "|onset error| over %d notes: p50 %d frames (%.0f us), p99 %d frames (%.0f us), max %d frames (%.0f us)%n",
                errors.length, pct(errors, 50), us(pct(errors, 50)), pct(errors, 99), us(pct(errors, 99)),
                errors[errors.length - 1], us(errors[errors.length - 1])));
        sb.append(String.format(Locale.ROOT, "spread between players per note: p50 %.0f us (%.1f frames), p99 %.0f us (%.1f frames), max %.0f us (%.1f frames)%n",
                pct(spreads, 50), spreads.length == 0 ? 0 : pct(spreads, 50) * RATE / 1e6, pct(spreads, 99), pct(spreads, 99) * RATE / 1e6,
                spreads[spreads.length - 1], spreads[spreads.length - 1] * RATE / 1e6));
        for (int i = 0; i < estimates.size(); i++) {
            ClockSync.Estimate e = estimates.get(i);
            sb.append(String.format(Locale.ROOT, "p%d clock sync: offset %+.1f us, RTT %d us, jitter %.1f us, drift %+.2f ppm, %d samples%n",
                    i, e.offsetMicros(), e.rttMicros(), e.jitterMicros(), e.driftPpm(), e.samples()));
        }
        System.out.print(sb);
    }

    private static double us(long frames) {
        return frames * 1e6 / RATE;
    }

    private static long pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    private static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }
}
