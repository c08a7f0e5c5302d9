package dev.concerto.director.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@code concerto gui} checks before it opens a window (the window itself: the ui tests). */
class GuiCommandTest {

    @Test
    void aMissingScoreIsBadInputAndOpensNoWindow() {
        ScoreCommandTest.Run r = ScoreCommandTest.run("gui", "no-such-score.json");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("concerto gui: no such score file: no-such-score.json");
    }

    @Test
    void aMissingRosterIsBadInput() {
        ScoreCommandTest.Run r = ScoreCommandTest.run("gui", "--roster", "no-such-roster.json",
                ScoreCommandTest.scores("bwv846.json").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no such roster file: no-such-roster.json");
    }

    @Test
    void helpDescribesEveryOption() {
        ScoreCommandTest.Run r = ScoreCommandTest.run("gui", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("[SCORE]").contains("--roster=FILE").contains("--play")
                .contains("local players").contains("2   no display");
    }
}
