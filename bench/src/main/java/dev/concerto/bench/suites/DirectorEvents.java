package dev.concerto.bench.suites;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The director's events file ({@code play --events}, {@code live --events}), read once: the datagrams
 * it sent, the clock-sync exchanges ({@code --events-sync}) and the live notes it decided, in file
 * order. The one place the bench parses that file's lines (their fields: {@code EventLog} and
 * {@code LiveEventLines} in the director). Times are wall-clock epoch µs, except a sync exchange's four
 * stamps (each side's monotonic clock, µs, as on the wire). Immutable; thread-safe.
 *
 * @param sends     every datagram sent (a line without an {@code "event"} field), in file order
 * @param syncs     every clock-sync exchange ({@code "event": "sync"}), in file order
 * @param liveNotes every live note ({@code "event": "live-note"}, or an older director's line with
 *                  {@code in_us} and no {@code "event"}), in file order
 */
record DirectorEvents(List<Send> sends, List<Sync> syncs, List<LiveNote> liveNotes) {

    private static final ObjectMapper JSON = new ObjectMapper();

    DirectorEvents {
        sends = List.copyOf(sends);
        syncs = List.copyOf(syncs);
        liveNotes = List.copyOf(liveNotes);
    }

    /**
     * One datagram sent to a player.
     *
     * @param player         the player's name
     * @param sentMicros     when it was sent ({@code t_us})
     * @param hz             the exact frequency sent (0 = silence)
     * @param deadlineMicros when it is due ({@code deadline_us}; 0 when the line has none)
     * @param sendAtMicros   when it was to be sent, one lead before its deadline ({@code send_at_us}; timed
     *                       players only), empty when it was to be sent at its deadline
     */
    record Send(String player, long sentMicros, double hz, long deadlineMicros, OptionalLong sendAtMicros) {

        /** A send of the score's schedule; not one sent at once (the silences on stop: the engine logs deadline = sent). */
        boolean scheduled() {
            return deadlineMicros != 0 && deadlineMicros != sentMicros;
        }
    }

    /**
     * One clock-sync exchange: its four stamps as on the wire (µs; t1, t4 the director's monotonic clock, t2, t3
     * the player's).
     *
     * @param arrivalMicros        when the reply arrived ({@code t_us})
     * @param outcome              the estimator's verdict ({@code USED}, ...)
     * @param stampedOffsetMicros  the player's offset notes were stamped with after it, µs
     */
    record Sync(String player, long arrivalMicros, long t1, long t2, long t3, long t4, String outcome,
                double stampedOffsetMicros) {

        /** The request's one-way time, t2 − t1, µs (exact where both read one clock). */
        long requestMicros() {
            return t2 - t1;
        }

        /** The reply's one-way time, t4 − t3, µs. */
        long replyMicros() {
            return t4 - t3;
        }
    }

    /**
     * A live note the director decided.
     *
     * @param index  the player's index in the roster
     * @param inMicros when its note-on reached the live receiver ({@code in_us})
     * @param atMicros when it is due ({@code at_us}, an older director's {@code due_us})
     */
    record LiveNote(String player, int index, long inMicros, long atMicros, double hz) {
    }

    /** Reads the file; an unreadable line names the file and the line. */
    static DirectorEvents read(Path file) throws IOException {
        List<Send> sends = new ArrayList<>();
        List<Sync> syncs = new ArrayList<>();
        List<LiveNote> live = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(lines.get(i));
            } catch (JsonProcessingException e) {
                throw new IOException(file + ":" + (i + 1) + ": not a JSON line: " + e.getOriginalMessage(), e);
            }
            String event = n.path("event").asText("");
            String player = n.path("player").asText();
            if ("sync".equals(event)) {
                syncs.add(new Sync(player, n.path("t_us").asLong(), n.path("t1").asLong(), n.path("t2").asLong(),
                        n.path("t3").asLong(), n.path("t4").asLong(), n.path("outcome").asText(),
                        n.path("stamped_offset_us").asDouble()));
            } else if ("live-note".equals(event) || (event.isEmpty() && n.has("in_us"))) {
                live.add(new LiveNote(player, n.path("index").asInt(), n.path("in_us").asLong(),
                        n.path("at_us").asLong(n.path("due_us").asLong()), n.path("hz").asDouble()));
            } else if (event.isEmpty()) {
                sends.add(new Send(player, n.path("t_us").asLong(), n.path("hz").asDouble(),
                        n.path("deadline_us").asLong(),
                        n.has("send_at_us") ? OptionalLong.of(n.get("send_at_us").asLong()) : OptionalLong.empty()));
            }
        }
        return new DirectorEvents(sends, syncs, live);
    }

    /** The sends to each player, in file order, by player in order of first appearance. */
    Map<String, List<Send>> sendsByPlayer() {
        Map<String, List<Send>> out = new LinkedHashMap<>();
        for (Send s : sends) {
            out.computeIfAbsent(s.player(), k -> new ArrayList<>()).add(s);
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return out;
    }

    /** The scheduled sends only ({@link Send#scheduled()}), in file order. */
    List<Send> scheduledSends() {
        return sends.stream().filter(Send::scheduled).toList();
    }

    /**
     * Per player, each change of frequency the director scheduled: its scheduled sends with repeats of one
     * frequency (copies, renewals) left out, the first send of each change kept (its {@code sentMicros} is when
     * the change was first sent). A player's first change is one to a non-zero frequency.
     */
    Map<String, List<Send>> scheduledChanges() {
        Map<String, List<Send>> out = new LinkedHashMap<>();
        Map<String, Double> last = new LinkedHashMap<>();
        for (Send s : sends) {
            if (!s.scheduled()) {
                continue;
            }
            Double from = last.put(s.player(), s.hz());
            if (from == null ? s.hz() != 0 : Math.abs(from - s.hz()) > 0.001) {
                out.computeIfAbsent(s.player(), k -> new ArrayList<>()).add(s);
            }
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return out;
    }
}
