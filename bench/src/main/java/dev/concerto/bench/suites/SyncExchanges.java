package dev.concerto.bench.suites;

import dev.concerto.bench.report.Stats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The clock-sync exchanges of one run, from the director's events ({@code play --events-sync}: one
 * {@code "sync"} line per exchange with its four stamps, {@link DirectorEvents#syncs()}). Where every process reads one clock (players
 * on this machine without a skew option) the true offset is zero, so each half's duration is exact:
 * the request's {@code t2 − t1} and the reply's {@code t4 − t3}, and the offset notes were stamped
 * with is the stamping error itself. Per player, in roster order.
 *
 * @param request       one-way time of the requests, µs
 * @param reply         one-way time of the replies, µs
 * @param stampedOffset |offset notes were stamped with| after each exchange from the first datagram of
 *                      the music on (the estimates notes were stamped with; the ones before, while the
 *                      clocks settle, stamp nothing), µs
 */
record SyncExchanges(Map<String, Stats> request, Map<String, Stats> reply, Map<String, Stats> stampedOffset) {

    static SyncExchanges of(DirectorEvents events, List<String> voices) {
        Map<String, Stats> request = new LinkedHashMap<>();
        Map<String, Stats> reply = new LinkedHashMap<>();
        Map<String, Stats> stamped = new LinkedHashMap<>();
        for (String v : voices) {
            request.put(v, new Stats());
            reply.put(v, new Stats());
            stamped.put(v, new Stats());
        }
        long musicFrom = events.sends().stream().mapToLong(DirectorEvents.Send::sentMicros).min().orElse(Long.MIN_VALUE);
        for (DirectorEvents.Sync x : events.syncs()) {
            if (request.containsKey(x.player())) {
                request.get(x.player()).record(x.requestMicros());
                reply.get(x.player()).record(x.replyMicros());
                if (x.arrivalMicros() >= musicFrom) {
                    stamped.get(x.player()).record(Math.abs(x.stampedOffsetMicros()));
                }
            }
        }
        return new SyncExchanges(request, reply, stamped);
    }

    /** {@code request p50 / reply p50} per player for a table cell, µs: {@code 210/180 · 95/90 · ...}, or an em dash. */
    String halvesText() {
        if (request.values().stream().allMatch(s -> s.count() == 0)) {
            return "—";
        }
        return request.keySet().stream().map(p -> String.format("%.0f/%.0f", request.get(p).percentile(50),
                reply.get(p).percentile(50))).collect(Collectors.joining(" · "));
    }

    /** |stamped offset| p99 per player for a table cell, µs, or an em dash. */
    String stampedP99Text() {
        if (stampedOffset.values().stream().allMatch(s -> s.count() == 0)) {
            return "—";
        }
        return stampedOffset.values().stream().map(s -> String.format("%.0f", s.percentile(99)))
                .collect(Collectors.joining(" / "));
    }
}
