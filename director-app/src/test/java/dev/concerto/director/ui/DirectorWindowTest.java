package dev.concerto.director.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.director.engine.PlayState;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The real window under Monocle (headless), on a fake backend: the recent-files menu, the score
 * header, the load-error dialog, roster validation as you type, and the transport buttons and
 * shortcuts. {@link GuiPlaysToPlayersTest} drives the real engine.
 */
@ExtendWith(ApplicationExtension.class)
class DirectorWindowTest {

    @TempDir
    static Path config;

    private final FakeBackend backend = new FakeBackend();
    private final Path bach = Path.of("/scores/bwv846.json").toAbsolutePath();
    private final Path broken = Path.of("/scores/broken.json").toAbsolutePath();
    private DirectorWindow window;

    @Start
    void start(Stage stage) {
        backend.scores.put(bach, TestTimelines.scale("Prelude in C", 35, 66));
        backend.scoreErrors.put(broken, broken + ":3:14: field \"bpm\": expected a number, found \"fast\"");
        SettingsStore store = new SettingsStore(config);
        store.save(new Settings(null, List.of(bach.toString(), broken.toString()), null, null, 1100, 760, "INFO"));
        window = DirectorWindow.open(stage, backend, store, null, null, null);
    }

    @AfterEach
    void close() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> window.close()).get(10, TimeUnit.SECONDS);
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> {
            WaitForAsyncUtils.waitForFxEvents();
            return condition.getAsBoolean();
        });
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    private static boolean isPlayheadRed(PianoRoll roll, double x) {
        try {
            javafx.scene.image.WritableImage image = WaitForAsyncUtils.asyncFx(() -> roll.snapshot(null, null))
                    .get(5, TimeUnit.SECONDS);
            javafx.scene.paint.Color c = image.getPixelReader().getColor((int) Math.round(x), (int) (roll.getHeight() * 0.6));
            return c.getRed() > 0.9 && c.getGreen() < 0.5 && c.getBlue() < 0.5;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void opensFromRecentFilesEditsTheRosterAndDrivesTheTransport(FxRobot robot) throws Exception {
        Label title = robot.lookup("#score-title").queryAs(Label.class);
        assertThat(title.getText()).isEqualTo("No score loaded");

        robot.clickOn("File").clickOn("#menu-recent").clickOn("bwv846.json  —  " + bach.getParent());
        waitFor("the score is loaded", () -> title.getText().equals("Prelude in C"));
        assertThat(robot.lookup("#score-details").queryAs(Label.class).getText())
                .isEqualTo("66 BPM · 2 voices · 35 measures · 2:07");
        waitFor("local players for both voices", () -> window.viewModel().roster().rows().size() == 2);
        System.gc(); // the loop spinners must stay bound after a collection
        WaitForAsyncUtils.asyncFx(() -> window.viewModel().transport().loopToProperty().set(30)).get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#loop-from").queryAs(javafx.scene.control.Spinner.class).getValue()).isEqualTo(1);
        assertThat(robot.lookup("#loop-to").queryAs(javafx.scene.control.Spinner.class).getValue()).isEqualTo(30);
        assertThat(robot.lookup("#roster-label").queryAs(Label.class).getText()).startsWith("local players");

        // A score that does not load: the dialog says exactly why; the previous score stays.
        robot.clickOn("File").clickOn("#menu-recent").clickOn("broken.json  —  " + broken.getParent());
        waitFor("the error dialog", () -> robot.lookup("#error-message").tryQuery().isPresent());
        assertThat(robot.lookup("#error-message").queryAs(Label.class).getText())
                .isEqualTo(broken + ":3:14: field \"bpm\": expected a number, found \"fast\"");
        robot.clickOn("OK");
        assertThat(title.getText()).isEqualTo("Prelude in C");

        // Add a player (its host still to be typed, so Play waits), then remove it again.
        Button play = robot.lookup("#play").queryButton();
        robot.clickOn("#add-player");
        waitFor("a third row", () -> window.viewModel().roster().rows().size() == 3);
        assertThat(play.isDisabled()).isTrue();
        assertThat(robot.lookup("#roster-problem").queryAs(Label.class).getText()).contains("a host is needed");
        robot.clickOn(robot.lookup(".remove-player").nth(2).queryButton());
        waitFor("two rows again", () -> window.viewModel().roster().rows().size() == 2);

        // Validation as you type: a bad port disables Play and says why.
        assertThat(play.isDisabled()).isFalse();
        TextField port = robot.lookup(".roster-port").nth(0).queryAs(TextField.class);
        robot.doubleClickOn(port).eraseText(8).write("99999");
        waitFor("play disabled", play::isDisabled);
        assertThat(robot.lookup("#roster-problem").queryAs(Label.class).getText()).contains("outside 1..65535");
        assertThat(robot.lookup("#roster-label").queryAs(Label.class).getText()).isEqualTo("roster (not saved)");
        robot.eraseText(5).write("10005");
        waitFor("play enabled again", () -> !play.isDisabled());
        assertThat(window.viewModel().roster().rows().get(0).portProperty().get()).isEqualTo("10005");

        // Play, Space (pause), Esc (stop) — the fake transport records them.
        robot.clickOn(play);
        waitFor("a transport was opened", () -> !backend.transports.isEmpty());
        FakeTransport t = backend.lastTransport();
        assertThat(t.calls).contains("play");
        WaitForAsyncUtils.asyncFx(() -> t.publish(PlayState.PLAYING, 1.0, 1, 66, List.of())).get(5, TimeUnit.SECONDS);
        waitFor("playing", () -> window.viewModel().transport().stateProperty().get() == PlayState.PLAYING);
        assertThat(robot.lookup("#pause").queryButton().isDisabled()).isFalse();
        // The piano roll draws the playhead where the engine says the music is (paused: it stays).
        WaitForAsyncUtils.asyncFx(() -> t.publish(PlayState.PAUSED, 8.0, 3, 66, List.of())).get(5, TimeUnit.SECONDS);
        waitFor("paused", () -> window.viewModel().transport().stateProperty().get() == PlayState.PAUSED);
        PianoRoll roll = robot.lookup("#piano-roll").queryAs(PianoRoll.class);
        double x = PianoRoll.GUTTER + (roll.getWidth() - PianoRoll.GUTTER - 6) * 8.0
                / window.viewModel().score().timeline().totalSeconds();
        waitFor("a red playhead at 8 s", () -> isPlayheadRed(roll, x));
        WaitForAsyncUtils.asyncFx(() -> t.publish(PlayState.PLAYING, 8.0, 3, 66, List.of())).get(5, TimeUnit.SECONDS);
        waitFor("playing again", () -> window.viewModel().transport().stateProperty().get() == PlayState.PLAYING);

        robot.clickOn("#score-title"); // a click outside the controls takes the focus from the port field
        waitFor("the port field lost the focus", () -> !port.isFocused());
        robot.type(KeyCode.SPACE);
        waitFor("pause sent", () -> t.calls.contains("pause"));
        robot.type(KeyCode.ESCAPE);
        waitFor("stop sent", () -> t.calls.contains("stop"));
        robot.type(KeyCode.RIGHT);
        waitFor("seek sent", () -> t.calls.stream().anyMatch(c -> c.startsWith("seek")));
    }
}
