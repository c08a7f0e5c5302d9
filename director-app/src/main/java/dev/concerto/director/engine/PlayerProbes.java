package dev.concerto.director.engine;

import dev.concerto.protocol.ClockSync;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * "Is each roster player there?" before anything is played: the engine's own clock-sync exchange
 * ({@link ClockSyncClient}, the same requests, timing and reply matching as while playing) run
 * with every {@code timed} and {@code auto} player. A player is {@link PlayerProbe.State#REACHABLE}
 * while its client says so (an answer within {@link ClockSyncClient#SILENT_AFTER_NANOS}),
 * {@link PlayerProbe.State#SILENT} once it has been asked for {@link #DECIDE_AFTER_NANOS} without
 * an answer, so no timed player stays "checking" longer than that (the goal: every timed player's
 * status known within 1 s of opening a roster, with room left for showing it). Plain-integer
 * players are never asked: their presence {@link PlayerProbe.State#CANNOT_KNOW cannot be known}.
 *
 * <p>Pure: no socket, no thread, no clock of its own (every call takes the director's monotonic
 * nanoseconds); requests go out through one {@link DatagramSink} per asked player, replies come in
 * by roster index. Not thread-safe: one prober thread owns it.
 */
public final class PlayerProbes {

    /**
     * Asked for this long without an answer: silent, ns. The clock-sync burst has sent all its
     * {@value ClockSyncClient#BURST} requests 140 ms after the first, so a player had 460 ms or
     * more to answer any of them (a LAN or Wi-Fi round trip is milliseconds; a Wi-Fi client waking
     * from power saving, a few hundred); one that answers later turns reachable. Short enough that a
     * command started cold (a JVM's first few hundred ms) still knows within 1 s.
     */
    public static final long DECIDE_AFTER_NANOS = 600_000_000L;

    /**
     * One player to probe.
     *
     * @param name    the roster entry's name
     * @param host    its resolved address (an IP literal), or {@code null} when its name does not resolve
     * @param port    its UDP port
     * @param answers whether it speaks a protocol that answers sync requests (roster timed or auto)
     * @param detail  why the host is missing ("host 'x' does not resolve"), or ""
     */
    public record Target(String name, String host, int port, boolean answers, String detail) {
        public Target {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(detail, "detail");
        }

        /** Whether it is asked at all: it answers sync requests and its host resolved. */
        public boolean asked() {
            return answers && host != null;
        }
    }

    private static final class Player {
        final Target target;
        final ClockSyncClient sync; // null: not asked
        long firstSentNanos = Long.MIN_VALUE;
        long lastAnswerNanos = Long.MIN_VALUE;

        Player(Target target, ClockSyncClient sync) {
            this.target = target;
            this.sync = sync;
        }
    }

    private final List<Player> players = new ArrayList<>();

    /**
     * @param sinks    the sink for the player at each roster index; asked only for {@linkplain Target#asked() asked} players
     * @param options  the options the engine plays with (its key signs the requests and checks the replies)
     * @param firstSeq first sequence number (e.g. the wall clock in ms)
     * @param nowNanos the first requests are due at once
     */
    public PlayerProbes(List<Target> targets, IntFunction<DatagramSink> sinks, TimedOptions options, long firstSeq,
                        long nowNanos) {
        Objects.requireNonNull(options, "options");
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            players.add(new Player(t, t.asked() ? new ClockSyncClient(sinks.apply(i), options, firstSeq, nowNanos)
                    : null));
        }
    }

    /** When {@link #sendDue} next has requests to send; {@link Long#MAX_VALUE} when nobody is asked. */
    public long nextDueNanos() {
        long next = Long.MAX_VALUE;
        for (Player p : players) {
            if (p.sync != null && p.sync.nextRequestNanos() - next < 0) {
                next = p.sync.nextRequestNanos();
            }
        }
        return next;
    }

    /**
     * The first moment after {@code nowNanos} when a player still "checking" turns silent unless it
     * answers first (a change of {@link #status} to show at once); {@link Long#MAX_VALUE} when no
     * player is waiting for that.
     */
    public long nextDecisionNanos(long nowNanos) {
        long next = Long.MAX_VALUE;
        for (Player p : players) {
            if (p.sync != null && p.firstSentNanos != Long.MIN_VALUE && p.lastAnswerNanos == Long.MIN_VALUE) {
                long at = p.firstSentNanos + DECIDE_AFTER_NANOS;
                if (at - nowNanos > 0 && (next == Long.MAX_VALUE || at - next < 0)) {
                    next = at;
                }
            }
        }
        return next;
    }

    /** Sends every sync request due at {@code nowNanos} through its player's sink; returns how many. */
    public int sendDue(long nowNanos) {
        int sent = 0;
        for (Player p : players) {
            if (p.sync != null && nowNanos - p.sync.nextRequestNanos() >= 0) {
                if (p.firstSentNanos == Long.MIN_VALUE) {
                    p.firstSentNanos = nowNanos;
                }
                p.sync.sendRequest(nowNanos);
                sent++;
            }
        }
        return sent;
    }

    /**
     * A datagram arrived at {@code nowNanos} from the player at roster index {@code player}.
     *
     * @return whether it was a reply to one of our requests (otherwise it is counted and ignored)
     */
    public boolean onDatagram(int player, byte[] buf, int length, long nowNanos) {
        Player p = players.get(player);
        if (p.sync == null || !p.sync.onDatagram(buf, length, nowNanos)) {
            return false;
        }
        p.lastAnswerNanos = nowNanos;
        return true;
    }

    /** Every player's state at {@code nowNanos}, in roster order. */
    public List<PlayerProbe> status(long nowNanos) {
        List<PlayerProbe> out = new ArrayList<>(players.size());
        for (Player p : players) {
            out.add(statusOf(p, nowNanos));
        }
        return out;
    }

    private static PlayerProbe statusOf(Player p, long now) {
        String name = p.target.name();
        if (!p.target.answers()) {
            return new PlayerProbe(name, PlayerProbe.State.CANNOT_KNOW, -1, 0, List.of(), "");
        }
        if (p.sync == null) {
            return new PlayerProbe(name, PlayerProbe.State.SILENT, -1, 0, List.of(), p.target.detail());
        }
        ClockSync.Estimate e = p.sync.estimate();
        long rtt = e == null ? -1 : e.rttMicros();
        long offset = e == null ? 0 : Math.round(e.offsetMicros());
        List<String> protocols = p.sync.versions();
        if (p.sync.liveness(now) == PlayerActivity.Liveness.REACHABLE) {
            return new PlayerProbe(name, PlayerProbe.State.REACHABLE, rtt, offset, protocols, "",
                    p.sync.outputLatencyMs());
        }
        if (p.firstSentNanos == Long.MIN_VALUE || now - p.firstSentNanos < DECIDE_AFTER_NANOS) {
            return new PlayerProbe(name, PlayerProbe.State.CHECKING, rtt, offset, protocols, "");
        }
        String detail = p.lastAnswerNanos == Long.MIN_VALUE ? "" : String.format(Locale.ROOT,
                "no answer for %d s", (now - p.lastAnswerNanos) / 1_000_000_000L);
        return new PlayerProbe(name, PlayerProbe.State.SILENT, rtt, offset, protocols, detail);
    }
}
