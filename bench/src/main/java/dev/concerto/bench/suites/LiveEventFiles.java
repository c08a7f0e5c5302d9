package dev.concerto.bench.suites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.bench.report.Stats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reading the live suite's events files: the director's live notes and datagrams, the players' tone starts. */
final class LiveEventFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LiveEventFiles() {
    }

    /** A live note the director decided: its key's arrival, when it is due, its frequency (wall-clock µs, Hz). */
    record Note(long inUs, long atUs, double hz, String player) {
    }

    /**
     * A tone a player started: the wall-clock time of the frame where it took effect, the time it was
     * stamped for (its {@code scheduled_t_us}: the director's stamp in the player's clock, on the wall
     * clock), whether it was late.
     */
    record Start(long tUs, long stampUs, double hz, boolean late) {
    }

    /**
     * Per player, in order: every live note to a frequency (silences left out), from the director's events
     * file's live notes ({@link DirectorEvents#liveNotes()}).
     */
    static List<List<Note>> directorNotes(DirectorEvents events, int players) {
        List<List<Note>> out = new ArrayList<>();
        for (int i = 0; i < players; i++) {
            out.add(new ArrayList<>());
        }
        for (DirectorEvents.LiveNote n : events.liveNotes()) {
            if (n.hz() > 0) {
                out.get(n.index()).add(new Note(n.inMicros(), n.atMicros(), n.hz(), n.player()));
            }
        }
        return out;
    }

    /** From each live note's arrival to the director's datagram line due at its time (the live loop and scheduler's hand-over), µs. */
    static Stats sendTimes(DirectorEvents events, List<List<Note>> notes) {
        Map<String, Long> sent = new HashMap<>();
        for (DirectorEvents.Send s : events.sends()) {
            sent.putIfAbsent(s.player() + "@" + s.deadlineMicros(), s.sentMicros());
        }
        Stats s = new Stats();
        notes.stream().flatMap(List::stream).forEach(n -> {
            Long t = sent.get(n.player() + "@" + n.atUs());
            if (t != null) {
                s.record(t - n.inUs());
            }
        });
        return s;
    }

    /**
     * A player's timed starts of a frequency, in order, at the wall-clock time of the frame where each took
     * effect: its scheduled_t_us, moved by (frame - scheduled_frame) when the audio thread applied it later.
     */
    static List<Start> playerStarts(Path events) throws IOException {
        List<Start> out = new ArrayList<>();
        double rate = 48_000;
        for (String line : Files.readAllLines(events)) {
            JsonNode n = JSON.readTree(line);
            if ("wav-start".equals(n.path("event").asText())) {
                rate = n.path("sample_rate").asDouble(rate);
            }
            if ("tone".equals(n.path("event").asText()) && "start".equals(n.path("cause").asText())
                    && n.path("hz").asDouble() > 0 && n.has("scheduled_t_us")) {
                long shift = Math.round((n.get("frame").asLong() - n.get("scheduled_frame").asLong()) * 1e6 / rate);
                long stamp = n.get("scheduled_t_us").asLong();
                out.add(new Start(stamp + shift, stamp, n.get("hz").asDouble(), n.path("late").asBoolean()));
            }
        }
        return out;
    }

    /** Latest minus earliest, µs. */
    static long spread(List<Long> times) {
        return java.util.Collections.max(times) - java.util.Collections.min(times);
    }

    /**
     * The start of each director note at its player, in order (null where the player never started it): the
     * next start of the same frequency (the wire carries millihertz).
     */
    static List<Start> matched(List<Note> notes, List<Start> starts) {
        List<Start> out = new ArrayList<>();
        int j = 0;
        for (Note n : notes) {
            int k = j;
            while (k < starts.size() && Math.abs(starts.get(k).hz() - n.hz()) > 0.002) {
                k++;
            }
            if (k < starts.size()) {
                out.add(starts.get(k));
                j = k + 1;
            } else {
                out.add(null);
            }
        }
        return out;
    }
}
