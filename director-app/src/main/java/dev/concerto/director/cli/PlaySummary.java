package dev.concerto.director.cli;

import dev.concerto.director.engine.ClockSyncClient;
import dev.concerto.director.engine.PathTracker;
import dev.concerto.director.engine.PlayerStream;
import dev.concerto.director.engine.ScheduleAccuracy;
import dev.concerto.director.engine.TimedToneStream;
import dev.concerto.director.net.DirectorEngine;
import dev.concerto.director.net.EventLog;
import dev.concerto.director.net.UdpLink;
import dev.concerto.protocol.ClockSync;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * What {@code play} prints at the end: the schedule accuracy, then one line per player with its
 * outcome — what it was sent, its clock-sync answers and figures, and when it was unreachable —
 * then the events file's count. Stateless.
 */
final class PlaySummary {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.S", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    /** Above this many players, only those with a problem get a line of their own. */
    static final int MAX_PLAYER_LINES = 16;

    private PlaySummary() {
    }

    private static boolean troubled(PlayerStream s, UdpLink link) {
        boolean syncTrouble = s.clockSync() != null
                && (s.clockSync().replyCount() < s.clockSync().requestCount() - 1 || s.clockSync().rejectedCount() > 0);
        return syncTrouble || s.entry().protocol() != s.protocolInUse()
                || (link != null && (link.droppedCount() > 0 || link.unreachableCount() > 0));
    }

    static void print(PrintWriter out, DirectorEngine engine) {
        ScheduleAccuracy a = engine.accuracy();
        out.printf(Locale.ROOT, "schedule accuracy (send - deadline, %d scheduled datagrams): p50 %d us, p99 %d us, max %d us%n",
                a.count(), a.p50Micros(), a.p99Micros(), a.maxMicros());
        out.printf(Locale.ROOT, "drift at the end (last send - its deadline): %d us%n", a.lastMicros());
        ScheduleAccuracy w = engine.wakeAccuracy();
        out.printf(Locale.ROOT, "  of which the scheduler's wake-up (send call start - deadline): p50 %d us, p99 %d us, max %d us; "
                + "the rest is the operating system taking the datagram%n", w.p50Micros(), w.p99Micros(), w.maxMicros());
        List<PlayerStream> streams = engine.streams();
        List<UdpLink> links = engine.links();
        int quiet = 0;
        for (int p = 0; p < streams.size(); p++) {
            UdpLink link = links.isEmpty() ? null : links.get(p);
            if (streams.size() > MAX_PLAYER_LINES && !troubled(streams.get(p), link)) {
                quiet++; // a large roster: only the players with a problem get a line
                continue;
            }
            out.println(playerLine(streams.get(p), link));
        }
        if (quiet > 0) {
            out.printf(Locale.ROOT, "%d more players: every change sent, clock sync answered, no network errors%n", quiet);
        }
        if (!links.isEmpty()) {
            long sent = links.stream().mapToLong(UdpLink::sentCount).sum();
            long requests = streams.stream().filter(st -> st.clockSync() != null)
                    .mapToLong(st -> st.clockSync().requestCount()).sum();
            long copies = streams.stream().filter(st -> st.tones() != null).mapToLong(st -> st.tones().copyCount()).sum();
            long shed = streams.stream().filter(st -> st.tones() != null).mapToLong(st -> st.tones().shedCount()).sum();
            out.printf(Locale.ROOT, "total: %d datagrams sent to %d players (%d of them clock-sync requests, %d redundant"
                    + " copies)%n", sent, streams.size(), requests, copies);
            if (shed > 0) {
                out.printf(Locale.ROOT, "redundancy: %d copies left out because the scheduler was behind or over its send"
                        + " budget (each note's first copy always goes out)%n", shed);
            }
            long cpu = engine.sendCpuNanos();
            if (sent > 0 && cpu > 0) {
                out.printf(Locale.ROOT, "send loop: %d datagrams in %.0f ms of the scheduler thread's CPU time (%.2f us each:"
                        + " %.0f datagrams per second of one core)%n", sent, cpu / 1e6, cpu / 1e3 / sent, sent * 1e9 / cpu);
            }
        }
        long unreachable = engine.unreachableCount();
        long dropped = engine.droppedCount();
        if (unreachable > 0 || dropped > 0) {
            out.printf(Locale.ROOT, "network: %d datagrams dropped, %d port-unreachable reports (is every player listening?)%n",
                    dropped, unreachable);
        }
        engine.eventLog().ifPresent(log -> out.printf(Locale.ROOT, "events: %d lines written%s%n", log.written(),
                log.lost() > 0 ? ", " + log.lost() + " lost (queue full)" : ""));
    }

    /** "player bass: timed, 120 changes (130 tone messages, 2 lease renewals), 9/9 sync answers, clock offset ..., reachable". */
    static String playerLine(PlayerStream s, UdpLink link) {
        StringBuilder sb = new StringBuilder();
        sb.append("player ").append(s.entry().name()).append(": ").append(s.protocolInUse().key());
        if (s.entry().protocol() != s.protocolInUse()) {
            sb.append(" (").append(s.entry().protocol().key()).append(": no clock-sync answer)");
        }
        sb.append(", ").append(s.changeCount()).append(" changes");
        TimedToneStream tones = s.tones();
        if (tones != null && s.clockEstimate() != null) {
            sb.append(String.format(Locale.ROOT, " (%d tone messages, %d lease renewals)", tones.toneCount(),
                    tones.extensionCount()));
        }
        if (link != null) {
            sb.append(", ").append(link.sentCount()).append(" datagrams sent");
        }
        ClockSyncClient sync = s.clockSync();
        if (sync != null) {
            sb.append(String.format(Locale.ROOT, ", %d/%d sync answers", sync.replyCount(), sync.requestCount()));
            if (sync.rejectedCount() > 0) {
                sb.append(String.format(Locale.ROOT, " (%d replies rejected)", sync.rejectedCount()));
            }
            if (!Double.isNaN(sync.outputLatencyMs())) {
                sb.append(String.format(Locale.ROOT, ", output latency %.1f ms", sync.outputLatencyMs()));
            }
        }
        ClockSync.Estimate e = s.clockEstimate();
        if (e != null) {
            sb.append(String.format(Locale.ROOT, ", clock offset %+.3f ms, RTT %.3f ms, jitter %.3f ms, drift %+.1f ppm "
                    + "(%d samples)", e.offsetMicros() / 1000.0, e.rttMicros() / 1000.0, e.jitterMicros() / 1000.0,
                    e.driftPpm(), e.samples()));
        } else if (sync == null) {
            sb.append(", no clock sync");
        }
        PathTracker.Status path = s.pathStatus();
        if (path != null) {
            sb.append(", path ").append(PathTracker.describe(path));
        }
        if (tones != null && tones.restampedCount() > 0) {
            sb.append(String.format(Locale.ROOT, " (%d changes re-stamped after clock steps)", tones.restampedCount()));
        }
        if (link != null && link.unreachableCount() > 0) {
            sb.append(", unreachable");
            for (UdpLink.UnreachablePeriod u : link.unreachablePeriods()) {
                sb.append(' ').append(TIME.format(Instant.ofEpochMilli(u.fromEpochMillis())));
                if (u.toEpochMillis() != u.fromEpochMillis()) {
                    sb.append('-').append(TIME.format(Instant.ofEpochMilli(u.toEpochMillis())));
                }
                sb.append(" (").append(u.reports()).append(u.reports() == 1 ? " report)" : " reports)");
            }
        } else if (link != null && link.droppedCount() == 0) {
            sb.append(", no network errors");
        }
        if (link != null && link.droppedCount() > 0) {
            sb.append(", ").append(link.droppedCount()).append(" dropped");
        }
        return sb.toString();
    }
}
