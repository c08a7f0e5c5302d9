package dev.concerto.player.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audio thread's queue of changes, driven the way a paced output's audio thread drives it. */
class ChangeQueueTest {

    /** A paced output: a change is due at its frame. */
    private static final java.util.function.LongUnaryOperator PACED = due -> due;

    @Test
    void onAPacedOutputAChangeForAtOnceWaitsForTheNextBlockAndATimedOneKeepsItsFrame() {
        ChangeQueue q = new ChangeQueue();
        q.add(0, 440, -1, "now");
        q.add(0, 330, 1_234, "timed");
        q.drainAtOnceAt(1_440); // rendering the block 960..1440

        assertThat(q.dueBefore(1_440, PACED).tag()).isEqualTo("timed");
        assertThat(q.dueBefore(1_440, PACED).due()).isEqualTo(1_234);
        q.remove();
        assertThat(q.dueBefore(1_440, PACED)).as("at once: with the next block").isNull();
        assertThat(q.dueBefore(1_920, PACED).due()).isEqualTo(1_440);
        assertThat(q.dueBefore(1_920, PACED).hz()).isEqualTo(440);
    }

    @Test
    void atCloseWhatIsDueByThePositionIsAppliedAndWhatIsPlannedForLaterIsForgotten() {
        ChangeQueue q = new ChangeQueue();
        q.add(0, 440, -1, "waiting");
        q.drainAtOnceAt(960);
        q.add(1, 0, -1, "stop");
        q.add(1, 330, 5_000, "later");
        List<String> applied = new ArrayList<>();

        q.drainAtClose(960, PACED, c -> applied.add(c.tag() + "@" + c.due()));

        assertThat(applied).containsExactly("waiting@960", "stop@-1");
        assertThat(q.dueBefore(Long.MAX_VALUE, PACED)).isNull();
    }
}
