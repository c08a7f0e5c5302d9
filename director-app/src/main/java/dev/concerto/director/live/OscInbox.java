package dev.concerto.director.live;

import com.illposed.osc.OSCBundle;
import com.illposed.osc.OSCMessage;
import com.illposed.osc.OSCPacket;
import com.illposed.osc.OSCParseException;
import com.illposed.osc.OSCParser;
import com.illposed.osc.OSCSerializerAndParserBuilder;
import com.illposed.osc.argument.OSCTimeTag64;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads OSC datagrams: decodes them with JavaOSC's parser, walks bundles and turns each message
 * into an {@link OscCommand} due at a time on the director's monotonic clock. Time tags are
 * converted from NTP wall time ({@link NtpTime}) through the director's two clocks read at arrival
 * ({@code due = nowNanos + (tag - nowEpoch)}); the "immediately" tag and a message outside any
 * bundle are due now; a tag already past is due now and counted late; a tag more than
 * {@code maxAheadNanos} ahead is refused (so a wrong clock cannot fill the queue). A nested
 * bundle is due no earlier than the bundle that holds it (OSC 1.0).
 *
 * <p>Nothing is executed here: the caller runs each command at its due time (a note goes to the
 * players stamped with it; transport commands run on our own scheduler, never JavaOSC's
 * dispatcher). Pure and not thread-safe: one owner, the OSC socket's receive loop.
 */
public final class OscInbox {

    /** Why a datagram or message was not used, counted per reason. */
    public enum Problem {
        MALFORMED("malformed"),
        UNKNOWN_ADDRESS("unknown-address"),
        BAD_ARGUMENTS("bad-arguments"),
        OUT_OF_RANGE("out-of-range"),
        TOO_FAR_AHEAD("too-far-ahead"),
        NESTED_TOO_DEEP("nested-too-deep");

        private final String key;

        Problem(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /**
     * A command and when it is due.
     *
     * @param dueNanos on the director's monotonic clock
     * @param timed    whether a future time tag set it (a note is then stamped with it for timed players)
     */
    public record Scheduled(OscCommand command, long dueNanos, boolean timed) {
    }

    /** What one datagram gave: commands to run, and the problems found (for a rate-limited log). */
    public record Result(List<Scheduled> commands, List<String> problems) {
    }

    /** Nesting deeper than this is refused (a hostile datagram cannot recurse far). */
    static final int MAX_DEPTH = 8;

    private final OSCParser parser = new OSCSerializerAndParserBuilder().buildParser();
    private final long maxAheadNanos;
    private final Map<Problem, Long> problems = new EnumMap<>(Problem.class);
    private long datagrams;
    private long messages;
    private long late;

    /** @param maxAheadNanos how far ahead a time tag may be, ns (&gt; 0) */
    public OscInbox(long maxAheadNanos) {
        if (maxAheadNanos <= 0) {
            throw new IllegalArgumentException("maxAheadNanos must be positive");
        }
        this.maxAheadNanos = maxAheadNanos;
    }

    /**
     * Reads one datagram.
     *
     * @param datagram       its bytes from position to limit (consumed)
     * @param nowNanos       the director's monotonic clock at arrival
     * @param nowEpochMicros the wall clock at the same moment, µs since 1970
     */
    public Result read(ByteBuffer datagram, long nowNanos, long nowEpochMicros) {
        datagrams++;
        List<Scheduled> out = new ArrayList<>();
        List<String> why = new ArrayList<>(0);
        OSCPacket packet;
        try {
            packet = parser.convert(datagram);
        } catch (OSCParseException | RuntimeException e) {
            // JavaOSC reports most bad input as OSCParseException, some as a runtime exception
            // (buffer underflow, a bad type tag): all of it is malformed input, never our crash.
            count(Problem.MALFORMED);
            why.add(Problem.MALFORMED.key() + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
            return new Result(out, why);
        }
        walk(packet, nowNanos, false, nowNanos, nowEpochMicros, 0, out, why);
        return new Result(out, why);
    }

    private void walk(OSCPacket packet, long dueNanos, boolean timed, long nowNanos, long nowEpochMicros, int depth,
            List<Scheduled> out, List<String> why) {
        if (packet instanceof OSCMessage m) {
            messages++;
            OscAddressSpace.Parsed p = OscAddressSpace.parse(m);
            if (p instanceof OscAddressSpace.Accepted a) {
                out.add(new Scheduled(a.command(), dueNanos, timed));
            } else if (p instanceof OscAddressSpace.Refused r) {
                Problem problem = switch (r.reason()) {
                    case UNKNOWN_ADDRESS -> Problem.UNKNOWN_ADDRESS;
                    case BAD_ARGUMENTS -> Problem.BAD_ARGUMENTS;
                    case OUT_OF_RANGE -> Problem.OUT_OF_RANGE;
                };
                count(problem);
                why.add(problem.key() + ": " + r.detail());
            }
            return;
        }
        if (!(packet instanceof OSCBundle b)) {
            return;
        }
        if (depth >= MAX_DEPTH) {
            count(Problem.NESTED_TOO_DEEP);
            why.add(Problem.NESTED_TOO_DEEP.key() + ": bundles nested deeper than " + MAX_DEPTH);
            return;
        }
        OSCTimeTag64 tag = b.getTimestamp();
        long due = dueNanos;
        boolean isTimed = timed;
        if (tag != null && !tag.isImmediate()) {
            long tagMicros = NtpTime.epochMicros(tag, nowEpochMicros);
            long ahead = Math.multiplyExact(tagMicros - nowEpochMicros, 1000L);
            if (ahead > maxAheadNanos) {
                count(Problem.TOO_FAR_AHEAD);
                why.add(Problem.TOO_FAR_AHEAD.key() + ": a bundle " + ahead / 1_000_000 + " ms ahead (at most "
                        + maxAheadNanos / 1_000_000 + ")");
                return;
            }
            long tagDue = nowNanos + ahead;
            if (tagDue > due) {
                due = tagDue;
                isTimed = true;
            } else if (depth == 0) {
                late++;
            }
        }
        for (OSCPacket inner : b.getPackets()) {
            walk(inner, due, isTimed, nowNanos, nowEpochMicros, depth + 1, out, why);
        }
    }

    private void count(Problem p) {
        problems.merge(p, 1L, Long::sum);
    }

    /** Datagrams read. */
    public long datagramCount() {
        return datagrams;
    }

    /** Messages found in them (bundles walked). */
    public long messageCount() {
        return messages;
    }

    /** Bundles whose time tag had passed on arrival (played at once). */
    public long lateCount() {
        return late;
    }

    /** How often each problem was seen; a copy. */
    public Map<Problem, Long> problemCounts() {
        return problems.isEmpty() ? Map.of() : Map.copyOf(problems);
    }

    /** Everything refused, all reasons together. */
    public long refusedCount() {
        return problems.values().stream().mapToLong(Long::longValue).sum();
    }
}
