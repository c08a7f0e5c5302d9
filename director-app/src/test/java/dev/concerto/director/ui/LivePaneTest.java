package dev.concerto.director.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.director.engine.RosterEntry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Live view under Monocle (headless) on a fake backend: pick an input, start, see who sounds what, stop. */
@ExtendWith(ApplicationExtension.class)
class LivePaneTest {

    private final LiveViewModelTest.LiveBackend backend = new LiveViewModelTest.LiveBackend();
    private LiveViewModel vm;

    @Start
    void start(Stage stage) {
        List<RosterEntry> roster = List.of(new RosterEntry("p0", "127.0.0.1", 10001, dev.concerto.director.engine.Protocol.LEGACY, "v0"),
                new RosterEntry("p1", "127.0.0.1", 10002, dev.concerto.director.engine.Protocol.LEGACY, "v1"));
        vm = new LiveViewModel(backend, new RecordingDialogs(), BackgroundRunner.direct(), () -> roster,
                new SimpleBooleanProperty(true), System::nanoTime);
        stage.setScene(new Scene(new LivePane(vm, System::nanoTime), 1000, 400));
        stage.show();
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> {
            WaitForAsyncUtils.waitForFxEvents();
            return condition.getAsBoolean();
        });
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    @Test
    void startShowsWhoSoundsWhatAndStopEndsIt(FxRobot robot) throws Exception {
        ComboBox<?> input = robot.lookup("#live-input").queryAs(ComboBox.class);
        Button start = robot.lookup("#live-start").queryButton();
        Button stop = robot.lookup("#live-stop").queryButton();
        waitFor("the first input is picked", () -> "USB Keyboard".equals(input.getValue()));
        assertThat(start.isDisabled()).isFalse();
        assertThat(stop.isDisabled()).isTrue();

        robot.clickOn(start);
        waitFor("running", () -> vm.runningProperty().get());
        assertThat(input.isDisabled()).as("settings are fixed while running").isTrue();
        backend.input.sound(1, 440, 69);
        TableView<?> table = robot.lookup("#live-players").queryAs(TableView.class);
        waitFor("the poller shows p1 on A4", () -> table.getItems().contains(
                new LiveViewModel.PlayerRow("p1", "v1", "A4", "440.0 Hz")));
        waitFor("the note is on the roll", () -> vm.roll().size() == 1);

        robot.clickOn(stop);
        waitFor("stopped", () -> !vm.runningProperty().get());
        assertThat(backend.input.closed).isTrue();
        assertThat(robot.lookup("#live-status").queryAs(Label.class).getText()).startsWith("Stopped");
        assertThat(start.isDisabled()).isFalse();
    }
}
