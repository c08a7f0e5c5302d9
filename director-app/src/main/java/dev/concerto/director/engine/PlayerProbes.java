package dev.concerto.director.engine;

import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.ClockSync;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * "Is each roster player there?" before anything is played: the sync exchange of the timed
 * protocol sent to every {@code timed} and {@code auto} player — a burst of {@value #BURST}
 * requests {@value #BURST_SPACING_MILLIS} ms apart, then one every {@value #INTERVAL_MILLIS} ms —
 * and the replies matched (by source, sequence number and echoed t1) into a {@link ClockSync} per
 * player. A player is {@link PlayerProbe.State#REACHABLE} while it answered within
 * {@link #SILENT_AFTER_NANOS}, {@link PlayerProbe.State#SILENT} once it has been asked for
 * {@link #DECIDE_AFTER_NANOS} without an answer, so no timed player stays "checking" longer than
 * that. Plain-integer players are never asked: their presence {@link PlayerProbe.State#CANNOT_KNOW
 * cannot be known}.
 *
 * <p>Pure: no socket, no thread, no clock of its own (every call takes the director's monotonic
 * nanoseconds). Not thread-safe: one prober thread owns it.
 */
public final class PlayerProbes {

    public static final int BURST = 4;
    public static final long BURST_SPACING_MILLIS = 50;
    public static final long INTERVAL_MILLIS = 500;
    /** Asked for this long without an answer: silent. */
    public static final long DECIDE_AFTER_NANOS = 1_000_000_000L;
    /** Reachable while the last answer is younger than this. */
    public static final long SILENT_AFTER_NANOS = 3_000_000_000L;
    private static final int OUTSTANDING = 16;

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
    }

    /** A sync request to send now. */
    public record Request(Target target, byte[] datagram) {
    }

    private static final class Player {
        final Target target;
        final ClockSync sync = new ClockSync();
        final long[] seqs = new long[OUTSTANDING];
        final long[] t1s = new long[OUTSTANDING];
        int sent;
        long firstSentNanos = Long.MIN_VALUE;
        long lastAnswerNanos = Long.MIN_VALUE;
        List<String> protocols = List.of();

        Player(Target target) {
            this.target = target;
        }
    }

    private final List<Player> players = new ArrayList<>();
    private final Authenticator auth;
    private long nextSeq;
    private int rounds;
    private long nextDueNanos;

    /**
     * @param firstSeq first sequence number (e.g. the wall clock in ms)
     * @param nowNanos the first burst is due at once
     */
    public PlayerProbes(List<Target> targets, Authenticator auth, long firstSeq, long nowNanos) {
        for (Target t : targets) {
            players.add(new Player(t));
        }
        this.auth = auth;
        this.nextSeq = firstSeq & TimedMessage.MAX_SEQ;
        this.nextDueNanos = nowNanos;
    }

    /** When {@link #due} next has requests to send. */
    public long nextDueNanos() {
        return nextDueNanos;
    }

    /** The sync requests due at {@code nowNanos} (none before {@link #nextDueNanos()}). */
    public List<Request> due(long nowNanos) {
        if (nowNanos - nextDueNanos < 0) {
            return List.of();
        }
        List<Request> out = new ArrayList<>();
        long t1 = Math.floorDiv(nowNanos, 1000);
        for (Player p : players) {
            if (!p.target.answers() || p.target.host() == null) {
                continue;
            }
            long seq = nextSeq;
            nextSeq = (nextSeq + 1) & TimedMessage.MAX_SEQ;
            int slot = p.sent++ % OUTSTANDING;
            p.seqs[slot] = seq;
            p.t1s[slot] = t1;
            if (p.firstSentNanos == Long.MIN_VALUE) {
                p.firstSentNanos = nowNanos;
            }
            out.add(new Request(p.target, TimedCodec.encode(new TimedMessage.SyncRequest(seq, t1), auth)));
        }
        rounds++;
        nextDueNanos = nowNanos + (rounds < BURST ? BURST_SPACING_MILLIS : INTERVAL_MILLIS) * 1_000_000;
        return out;
    }

    /**
     * A datagram arrived from {@code host:port} at {@code nowNanos}.
     *
     * @return whether it was a reply to one of our requests (otherwise it is ignored)
     */
    public boolean onDatagram(byte[] buf, int length, String host, int port, long nowNanos) {
        DecodeResult<TimedMessage> r = TimedCodec.decode(buf, 0, length, auth);
        if (!(r instanceof DecodeResult.Accepted<TimedMessage> a) || !(a.value() instanceof TimedMessage.SyncReply reply)) {
            return false;
        }
        for (Player p : players) {
            if (p.target.port() != port || !host.equals(p.target.host())) {
                continue;
            }
            for (int i = 0; i < Math.min(p.sent, OUTSTANDING); i++) {
                if (p.seqs[i] == reply.seq() && p.t1s[i] == reply.t1Micros()) {
                    p.seqs[i] = -1; // a duplicate reply is not a second sample
                    p.sync.add(reply.t1Micros(), reply.t2Micros(), reply.t3Micros(), Math.floorDiv(nowNanos, 1000));
                    p.lastAnswerNanos = nowNanos;
                    p.protocols = reply.versions();
                    return true;
                }
            }
        }
        return false;
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
        if (p.target.host() == null) {
            return new PlayerProbe(name, PlayerProbe.State.SILENT, -1, 0, List.of(), p.target.detail());
        }
        ClockSync.Estimate e = p.sync.estimate();
        long rtt = e == null ? -1 : e.rttMicros();
        long offset = e == null ? 0 : Math.round(e.offsetMicros());
        if (p.lastAnswerNanos != Long.MIN_VALUE && now - p.lastAnswerNanos < SILENT_AFTER_NANOS) {
            return new PlayerProbe(name, PlayerProbe.State.REACHABLE, rtt, offset, p.protocols, "");
        }
        if (p.firstSentNanos == Long.MIN_VALUE || now - p.firstSentNanos < DECIDE_AFTER_NANOS) {
            return new PlayerProbe(name, PlayerProbe.State.CHECKING, rtt, offset, p.protocols, "");
        }
        String detail = p.lastAnswerNanos == Long.MIN_VALUE ? "" : String.format(java.util.Locale.ROOT,
                "no answer for %d s", (now - p.lastAnswerNanos) / 1_000_000_000L);
        return new PlayerProbe(name, PlayerProbe.State.SILENT, rtt, offset, p.protocols, detail);
    }
}
