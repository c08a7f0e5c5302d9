package dev.concerto.bench.suites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.bench.audio.OnsetDetector;
import dev.concerto.bench.audio.WavFile;
import dev.concerto.bench.report.Stats;
import dev.concerto.bench.run.PlayerProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the players really played, found in their WAVs, against what the director meant: every
 * change the director scheduled (its {@code --events}: player, hz, deadline) is looked for in that
 * player's WAV around its deadline. Works for a piece played once or looped.
 */
final class NetworkAnalysis {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The players' synthesis ramp (SynthVoice.DEFAULT_RAMP_MS). */
    private static final double RAMP_MS = 2.0;
    /** Magnitude of the WAV's tail that counts as a tone still sounding. */
    private static final double STUCK_RMS = 0.01;

    private NetworkAnalysis() {
    }

    /** One change found in a WAV: when it was due (s after the first change, and wall-clock µs) and its error. */
    record Onset(String voice, double seconds, long deadlineMicros, double errorMicros) {
    }

    /**
     * @param expected          changes the director scheduled (audible ones: the frequency changes)
     * @param onsets            those found, with their error
     * @param absError          |error| of the onsets found, µs
     * @param spread            latest minus earliest onset of changes due at the same instant, µs
     * @param stuck             players still sounding at the end of their WAV
     * @param wrongTones        tone changes at a frequency the director never sent that player
     * @param datagramsPerNote  datagrams the director sent over the changes expected (negative: not counted)
     * @param frameError        per player (roster order), |scheduled audio frame − deadline| of its timed
     *                          changes, µs, from the player's own events (empty for the plain integer)
     * @param deadlines         per player, the deadlines of the changes expected, wall-clock µs
     * @param sync              the clock-sync exchanges, when the director logged them
     * @param outages           what the path's outages did ({@link OutageAnalysis}), or null on a path without them
     */
    record Result(int expected, List<Onset> onsets, Stats absError, Stats spread, int stuck, int wrongTones,
                  double datagramsPerNote, Map<String, Stats> frameError, Map<String, List<Long>> deadlines,
                  SyncExchanges sync, OutageAnalysis.Result outages) {

        /** This result with the outages' analysis. */
        Result withOutages(OutageAnalysis.Result o) {
            return new Result(expected, onsets, absError, spread, stuck, wrongTones, datagramsPerNote, frameError,
                    deadlines, sync, o);
        }

        /** Changes the director scheduled for {@code voice} with deadlines in [from, to), wall-clock µs. */
        long expectedBetween(String voice, long from, long to) {
            return deadlines.getOrDefault(voice, List.of()).stream().filter(d -> d >= from && d < to).count();
        }

        /** The worst player's p99 of {@link #frameError}, µs, or NaN when no player scheduled frames. */
        double worstFrameP99() {
            return frameError.values().stream().filter(st -> st.count() > 0).mapToDouble(st -> st.percentile(99))
                    .max().orElse(Double.NaN);
        }

        /** Each player's p99 of {@link #frameError}, µs, for a table cell: {@code 21 / 23 / 19 / 22}, or an em dash. */
        String frameP99Text() {
            if (Double.isNaN(worstFrameP99())) {
                return "—";
            }
            return frameError.values().stream().map(st -> String.format("%.0f", st.percentile(99)))
                    .collect(java.util.stream.Collectors.joining(" / "));
        }

        String datagramsPerNoteText() {
            return datagramsPerNote < 0 ? "—" : String.format("%.2f", datagramsPerNote);
        }

        double missingPercent() {
            return expected == 0 ? 0 : 100.0 * (expected - onsets.size()) / expected;
        }

        String missingText() {
            return String.format("%.2f %% (%d)", missingPercent(), expected - onsets.size());
        }
    }

    /** One scheduled change: wall-clock µs of its deadline, from and to hz (whole), and the exact hz sent. */
    private record Change(long deadlineMicros, int fromHz, int toHz, double exactHz) {
    }

    /** A timed change a player scheduled: exact hz, and the wall-clock µs of the audio frame it was scheduled at. */
    private record Scheduled(double hz, double frameMicros) {
    }

    static Result analyse(List<String> voices, PlayerProcesses players, DirectorEvents director, long datagrams)
            throws IOException {
        Map<String, List<Change>> changes = new LinkedHashMap<>();
        Map<String, Set<Integer>> sentHz = new LinkedHashMap<>();
        Map<String, Integer> last = new LinkedHashMap<>();
        Map<String, Long> stoppedAt = new LinkedHashMap<>();
        long t0 = Long.MAX_VALUE;
        for (DirectorEvents.Send s : director.sends()) {
            String player = s.player();
            int hz = (int) Math.round(s.hz()); // exact on the wire; players log it exact, compared whole
            sentHz.computeIfAbsent(player, k -> new HashSet<>()).add(hz);
            long deadline = s.deadlineMicros();
            if (!s.scheduled()) {
                if (hz == 0 && s.sendAtMicros().isEmpty()) {
                    stoppedAt.merge(player, deadline, Math::min); // a silence round: the director stopped
                }
                continue; // an unscheduled send (the silences on stop)
            }
            int from = last.getOrDefault(player, 0);
            last.put(player, hz);
            if (from != hz) {
                changes.computeIfAbsent(player, k -> new ArrayList<>()).add(new Change(deadline, from, hz, s.hz()));
                t0 = Math.min(t0, deadline);
            }
        }
        // A change due after the director stopped (a looped run ends by SIGTERM mid-piece) was superseded
        // by the stop's silence, which sounds at once: it is not a change at a wrong time, nor a missing one.
        changes.replaceAll((player, cs) -> cs.stream()
                .filter(c -> c.deadlineMicros() < stoppedAt.getOrDefault(player, Long.MAX_VALUE)).toList());
        List<Onset> onsets = new ArrayList<>();
        Map<Long, List<Double>> byDeadline = new TreeMap<>();
        int expected = 0;
        int stuck = 0;
        int wrong = 0;
        Map<String, Stats> frameError = new LinkedHashMap<>();
        for (String voice : voices) {
            WavFile wav = WavFile.read(players.wav(voice));
            long wavStart = wavStart(players.events(voice));
            frameError.put(voice, frameErrors(changes.getOrDefault(voice, List.of()),
                    scheduled(players.events(voice))));
            OnsetDetector detector = new OnsetDetector(wav.sampleRate(), 1.5f / 32768,
                    (int) Math.round(RAMP_MS * wav.sampleRate() / 1000));
            List<Change> cs = changes.getOrDefault(voice, List.of());
            for (int i = 0; i < cs.size(); i++) {
                Change c = cs.get(i);
                expected++;
                long prevGap = i > 0 ? c.deadlineMicros - cs.get(i - 1).deadlineMicros : 1_000_000;
                long nextGap = i + 1 < cs.size() ? cs.get(i + 1).deadlineMicros - c.deadlineMicros : 1_000_000;
                double half = Math.min(0.2, Math.min(prevGap, nextGap) / 2e6); // s
                double centre = (c.deadlineMicros - wavStart) * 1e-6 * wav.sampleRate();
                int from = (int) Math.max(0, centre - half * wav.sampleRate());
                int to = (int) Math.min(wav.samples().length, centre + half * wav.sampleRate());
                if (to <= from) {
                    continue;
                }
                OptionalDouble frame = detector.find(wav.samples(), c.fromHz, c.toHz, from, to);
                if (frame.isEmpty()) {
                    continue;
                }
                double at = wavStart + frame.getAsDouble() / wav.sampleRate() * 1e6;
                double err = at - c.deadlineMicros;
                onsets.add(new Onset(voice, (c.deadlineMicros - t0) / 1e6, c.deadlineMicros, err));
                byDeadline.computeIfAbsent(c.deadlineMicros, k -> new ArrayList<>()).add(err);
            }
            if (tailRms(wav.samples(), wav.sampleRate() / 5) > STUCK_RMS) {
                stuck++;
            }
            Set<Integer> allowed = sentHz.getOrDefault(voice, Set.of());
            for (long[] t : OnsetSuite.toneEvents(players.events(voice))) {
                if (t[0] != 0 && !allowed.contains((int) t[0])) {
                    wrong++;
                }
            }
        }
        Stats spread = new Stats();
        for (List<Double> simultaneous : byDeadline.values()) {
            if (simultaneous.size() > 1) {
                spread.record(simultaneous.stream().mapToDouble(Double::doubleValue).max().orElse(0)
                        - simultaneous.stream().mapToDouble(Double::doubleValue).min().orElse(0));
            }
        }
        return new Result(expected, onsets, Stats.absoluteOf(onsets.stream().map(Onset::errorMicros).toList()), spread,
                stuck, wrong, datagrams < 0 ? -1 : expected == 0 ? 0 : (double) datagrams / expected, frameError,
                deadlinesOf(changes), SyncExchanges.of(director, voices), null);
    }

    private static Map<String, List<Long>> deadlinesOf(Map<String, List<Change>> changes) {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        changes.forEach((voice, cs) -> out.put(voice, cs.stream().map(Change::deadlineMicros).toList()));
        return out;
    }

    /**
     * The timed starts a player scheduled (its {@code tone} events with a {@code scheduled_frame}),
     * each at the wall-clock time the player gives it ({@code scheduled_t_us}: its start time in
     * its clock, mapped to the wall clock by a reading taken per event). Not through the WAV's
     * frame zero: that is one wall-clock reading at the start, which a busy machine can delay by
     * tens of milliseconds for the whole run.
     */
    private static List<Scheduled> scheduled(Path events) throws IOException {
        List<Scheduled> out = new ArrayList<>();
        for (String line : Files.readAllLines(events)) {
            JsonNode n = JSON.readTree(line);
            if ("tone".equals(n.path("event").asText()) && n.has("scheduled_t_us")
                    && "start".equals(n.path("cause").asText())) {
                out.add(new Scheduled(n.path("hz").asDouble(), n.get("scheduled_t_us").asLong()));
            }
        }
        return out;
    }

    /**
     * |scheduled frame − deadline| of each change: the player's scheduled start of the same
     * frequency nearest to the deadline, within half the gap to the neighbouring changes (at most
     * 200 ms). What the clock estimate and the stamping did, without the onset detector's part.
     */
    private static Stats frameErrors(List<Change> cs, List<Scheduled> scheduled) {
        Stats st = new Stats();
        List<Scheduled> byTime = new ArrayList<>(scheduled);
        byTime.sort(java.util.Comparator.comparingDouble(Scheduled::frameMicros));
        double[] times = byTime.stream().mapToDouble(Scheduled::frameMicros).toArray();
        for (int i = 0; i < cs.size(); i++) {
            Change c = cs.get(i);
            long prevGap = i > 0 ? c.deadlineMicros - cs.get(i - 1).deadlineMicros : 1_000_000;
            long nextGap = i + 1 < cs.size() ? cs.get(i + 1).deadlineMicros - c.deadlineMicros : 1_000_000;
            double half = Math.min(200_000, Math.min(prevGap, nextGap) / 2.0);
            double best = Double.NaN;
            int from = java.util.Arrays.binarySearch(times, c.deadlineMicros - half);
            for (int k = from < 0 ? -from - 1 : from; k < times.length && times[k] < c.deadlineMicros + half; k++) {
                Scheduled s = byTime.get(k);
                double err = s.frameMicros() - c.deadlineMicros;
                if (Math.abs(s.hz() - c.exactHz()) < 0.01 && Math.abs(err) < half
                        && (Double.isNaN(best) || Math.abs(err) < Math.abs(best))) {
                    best = err;
                }
            }
            if (!Double.isNaN(best)) {
                st.record(Math.abs(best));
            }
        }
        return st;
    }

    private static double tailRms(float[] samples, int frames) {
        int n = Math.min(frames, samples.length);
        double sq = 0;
        for (int i = samples.length - n; i < samples.length; i++) {
            sq += samples[i] * samples[i];
        }
        return n == 0 ? 0 : Math.sqrt(sq / n);
    }

    static long wavStart(Path events) throws IOException {
        for (String line : Files.readAllLines(events)) {
            JsonNode n = JSON.readTree(line);
            if ("wav-start".equals(n.path("event").asText())) {
                return n.get("t_us").asLong();
            }
        }
        throw new IOException(events + ": no wav-start event (is the player recording with --synth wav?)");
    }
}
