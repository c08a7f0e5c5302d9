package dev.concerto.director.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.director.calibrate.ProbePlan;
import dev.concerto.director.engine.Protocol;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.score.TimedNote;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Which sent deadline is which probe's first chip. */
class EngineProbeRunnerTest {

    static final long START = 7_000_000_000L;

    static ProbePlan plan() {
        return ProbePlan.of(new Roster("t", List.of(
                new RosterEntry("a", "127.0.0.1", 1, Protocol.TIMED, "v"),
                new RosterEntry("b", "127.0.0.1", 2, Protocol.TIMED, "v"))), ProbePlan.DEFAULT_CHIPS, ProbePlan.DEFAULT_HZ);
    }

    /** What the engine's observer would have collected: every note's deadline, from START. */
    static NavigableSet<Long> sent(ProbePlan plan, int player) {
        NavigableSet<Long> s = new TreeSet<>();
        for (TimedNote n : plan.timeline().voices().get(player).notes()) {
            s.add(START + Math.round(n.startSeconds() * 1e9));
        }
        return s;
    }

    @Test
    void eachRoundsFirstChipIsFoundAmongTheNotesSent() {
        ProbePlan plan = plan();
        long[][] due = EngineProbeRunner.probeDeadlines(plan, List.of(sent(plan, 0), sent(plan, 1)));
        for (int i = 0; i < 2; i++) {
            for (int r = 0; r < plan.rounds(); r++) {
                assertThat(due[i][r]).isEqualTo(START + Math.round(plan.startSeconds(r, i) * 1e9));
            }
        }
    }

    @Test
    void aPlayerSentNothingHasNoDeadlines() {
        ProbePlan plan = plan();
        NavigableSet<Long> firstRoundOnly = sent(plan, 0).headSet(START + Math.round(plan.startSeconds(1, 0) * 1e9), false);
        long[][] due = EngineProbeRunner.probeDeadlines(plan, List.of(firstRoundOnly, new TreeSet<>()));
        assertThat(due[0][0]).isEqualTo(START + Math.round(plan.startSeconds(0, 0) * 1e9));
        assertThat(due[0][1]).isEqualTo(Long.MIN_VALUE);
        assertThat(due[1]).containsOnly(Long.MIN_VALUE);
    }
}
