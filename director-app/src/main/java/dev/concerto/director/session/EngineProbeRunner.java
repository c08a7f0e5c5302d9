package dev.concerto.director.session;

import dev.concerto.director.calibrate.ProbePlan;
import dev.concerto.director.calibrate.ProbeRunner;
import dev.concerto.director.engine.PlayState;
import dev.concerto.director.engine.TimedOptions;
import dev.concerto.director.net.DirectorEngine;
import dev.concerto.protocol.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;

/** Plays calibration probes with the director's engine, as {@code play} plays a score (CLI and GUI). */
public final class EngineProbeRunner implements ProbeRunner {

    private final TimedOptions options;

    public EngineProbeRunner(TimedOptions options) {
        this.options = options;
    }

    @Override
    public long[][] play(ProbePlan plan, long startNotBeforeNanos) throws Exception {
        int players = plan.players().size();
        // Every "on" deadline sent to each player (a note is sent more than once: a set). Written on
        // the scheduler thread, read here after the engine has closed.
        List<NavigableSet<Long>> onDeadlines = new ArrayList<>();
        for (int i = 0; i < players; i++) {
            onDeadlines.add(new ConcurrentSkipListSet<>());
        }
        try (DirectorEngine engine = DirectorEngine.builder(plan.timeline(), plan.roster()).options(options)
                .observer((player, hz, deadline, sendAt, sent) -> {
                    if (hz > 0 && player < players) {
                        onDeadlines.get(player).add(deadline);
                    }
                })
                .shutdownHook(false).build()) {
            // Building reached the players and settled their clocks (about a second): the microphone
            // settled meanwhile, and only what is left of its settling is waited for here.
            long wait = startNotBeforeNanos - Clock.SYSTEM.nanoTime();
            if (wait > 0) {
                Thread.sleep((wait + 999_999) / 1_000_000);
            }
            engine.play();
            long limit = Math.round((plan.timeline().totalSeconds() + 10) * 1000);
            if (!engine.awaitState(s -> s.state() == PlayState.STOPPED && s.notesSent() > 0, Duration.ofMillis(limit))) {
                throw new IllegalStateException("the probes did not finish playing within " + limit + " ms");
            }
        }
        return probeDeadlines(plan, onDeadlines);
    }

    /**
     * Per player and round, the deadline of that probe's first chip: the first "on" deadline is
     * round 0's; each later round's is the sent deadline nearest to where the score puts it (the
     * engine keeps score time, so it is that one, whatever the engine's start-up did).
     */
    static long[][] probeDeadlines(ProbePlan plan, List<NavigableSet<Long>> onDeadlines) {
        long[][] due = new long[plan.players().size()][plan.rounds()];
        for (int i = 0; i < due.length; i++) {
            NavigableSet<Long> sent = onDeadlines.get(i);
            for (int r = 0; r < plan.rounds(); r++) {
                if (sent.isEmpty()) {
                    due[i][r] = Long.MIN_VALUE;
                    continue;
                }
                long first = sent.first();
                long expected = first + Math.round((plan.startSeconds(r, i) - plan.startSeconds(0, i)) * 1e9);
                Long below = sent.floor(expected);
                Long above = sent.ceiling(expected);
                long nearest = below == null ? above : above == null ? below
                        : expected - below <= above - expected ? below : above;
                // Further than a chip from where it belongs: that probe was never sent.
                due[i][r] = Math.abs(nearest - expected) <= plan.chips().chipSeconds() * 1e9 / 2 ? nearest : Long.MIN_VALUE;
            }
        }
        return due;
    }
}
