package dev.concerto.director.session;

import dev.concerto.director.calibrate.ProbePlan;
import dev.concerto.director.calibrate.ProbeRunner;
import dev.concerto.director.engine.PlayState;
import dev.concerto.director.engine.TimedOptions;
import dev.concerto.director.net.DirectorEngine;
import java.time.Duration;
import java.util.Arrays;

/** Plays calibration probes with the director's engine, as {@code play} plays a score (CLI and GUI). */
public final class EngineProbeRunner implements ProbeRunner {

    private final TimedOptions options;

    public EngineProbeRunner(TimedOptions options) {
        this.options = options;
    }

    @Override
    public long[] play(ProbePlan plan) throws Exception {
        long[] firstDue = new long[plan.players().size()];
        Arrays.fill(firstDue, Long.MIN_VALUE);
        // The observer runs on the scheduler thread; the array is read after the engine has closed.
        try (DirectorEngine engine = DirectorEngine.builder(plan.timeline(), plan.roster()).options(options)
                .observer((player, hz, deadline, sendAt, sent) -> {
                    if (hz > 0 && player < firstDue.length && firstDue[player] == Long.MIN_VALUE) {
                        firstDue[player] = deadline;
                    }
                })
                .shutdownHook(false).build()) {
            engine.play();
            long limit = Math.round((plan.timeline().totalSeconds() + 10) * 1000);
            if (!engine.awaitState(s -> s.state() == PlayState.STOPPED && s.notesSent() > 0, Duration.ofMillis(limit))) {
                throw new IllegalStateException("the probes did not finish playing within " + limit + " ms");
            }
        }
        return firstDue;
    }
}
