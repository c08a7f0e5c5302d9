package dev.concerto.director.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.director.engine.DiscoveredPlayer;
import dev.concerto.director.engine.PlayerProbe;
import dev.concerto.director.engine.Protocol;
import dev.concerto.director.engine.RosterEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
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
 * The real window under Monocle: the discovered-players list next to the roster (one click adds a
 * player for its voice) and the roster's status before Play (probed as soon as the roster is open:
 * reachable, silent, "cannot be known" for a plain-integer player; never "unknown").
 */
@ExtendWith(ApplicationExtension.class)
class DiscoveredPlayersViewTest {

    @TempDir
    static Path config;

    private final FakeBackend backend = new FakeBackend();
    private final Path bach = Path.of("/scores/bwv846.json").toAbsolutePath();
    private DirectorWindow window;

    @Start
    void start(Stage stage) {
        backend.scores.put(bach, TestTimelines.scale("Prelude in C", 8, 66));
        SettingsStore store = new SettingsStore(config);
        List<RosterEntry> roster = List.of(new RosterEntry("bass Pi", "203.0.113.11", 10001, Protocol.TIMED, "bass"),
                new RosterEntry("gone Pi", "203.0.113.12", 10001, Protocol.AUTO, "melody"),
                new RosterEntry("esp", "203.0.113.13", 10001, Protocol.LEGACY, "melody"));
        store.save(new Settings(bach.toString(), List.of(bach.toString()), roster, null, 1100, 760, "INFO"));
        window = DirectorWindow.open(stage, backend, store, bach, null, null, false,
                DiscoverySettings.OFF.withEnabled(true));
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

    private String status(int row) {
        return window.viewModel().roster().rows().get(row).statusProperty().get();
    }

    @Test
    void theRosterStatusIsKnownBeforePlay(FxRobot robot) throws Exception {
        waitFor("the score loaded and the roster probed", () -> window.viewModel().score().timeline() != null
                && backend.probeListener != null);
        assertThat(backend.probedRoster).extracting(RosterEntry::name).containsExactly("bass Pi", "gone Pi", "esp");
        assertThat(status(0)).isEqualTo("checking…");
        assertThat(status(2)).isEqualTo("cannot be known (plain integer: it never answers)");
        backend.probeListener.accept(List.of(
                new PlayerProbe("bass Pi", PlayerProbe.State.REACHABLE, 420, -1_200, List.of("legacy", "timed/1"), ""),
                new PlayerProbe("gone Pi", PlayerProbe.State.SILENT, -1, 0, List.of(), ""),
                new PlayerProbe("esp", PlayerProbe.State.CANNOT_KNOW, -1, 0, List.of(), "")));
        waitFor("the probe shown", () -> status(0).startsWith("reachable"));
        assertThat(status(0)).as("with the protocols its reply lists")
                .isEqualTo("reachable · RTT 0.4 ms · offset -1.2 ms · legacy,timed/1");
        assertThat(status(1)).isEqualTo("silent (no answer to sync)");
        assertThat(status(2)).isEqualTo("cannot be known (plain integer: it never answers)");
        assertThat(robot.lookup("reachable · RTT 0.4 ms · offset -1.2 ms · legacy,timed/1").tryQuery())
                .as("drawn in the table").isPresent();
        // Once the same player has announced itself, its software version is shown too. (The
        // discovered list probes its own players: keep the roster's probe listener.)
        var rosterProbe = backend.probeListener;
        waitFor("discovery started", () -> backend.discoveryListener != null);
        backend.discoveryListener.accept(List.of(new DiscoveredPlayer("bass", "203.0.113.11", 10001, "0.1.0",
                List.of("legacy", "timed/1"), "pi4j", "bass", DiscoveredPlayer.Via.MDNS, 0)));
        WaitForAsyncUtils.waitForFxEvents();
        rosterProbe.accept(List.of(
                new PlayerProbe("bass Pi", PlayerProbe.State.REACHABLE, 420, -1_200, List.of("legacy", "timed/1"), ""),
                new PlayerProbe("gone Pi", PlayerProbe.State.SILENT, -1, 0, List.of(), ""),
                new PlayerProbe("esp", PlayerProbe.State.CANNOT_KNOW, -1, 0, List.of(), "")));
        waitFor("the version shown", () -> status(0).contains("0.1.0"));
        assertThat(status(0)).isEqualTo("reachable · RTT 0.4 ms · offset -1.2 ms · 0.1.0 · legacy,timed/1");
        assertThat(robot.lookup("#play").queryButton().isDisabled()).as("status never blocks Play").isFalse();
    }

    @Test
    void aDiscoveredPlayerJoinsTheRosterWithOneClick(FxRobot robot) throws Exception {
        waitFor("the score loaded and discovery started", () -> window.viewModel().score().timeline() != null
                && backend.discoveryListener != null);
        backend.discoveryListener.accept(List.of(new DiscoveredPlayer("tenor", "203.0.113.20", 10001, "0.1.0",
                List.of("legacy", "timed/1"), "pi4j", "bass", DiscoveredPlayer.Via.MDNS, 0)));
        @SuppressWarnings("unchecked")
        TableView<DiscoveredPlayersViewModel.Row> table = robot.lookup("#discovered-table").queryAs(TableView.class);
        waitFor("listed", () -> table.getItems().size() == 1);
        assertThat(robot.lookup("203.0.113.20:10001").tryQuery()).isPresent();
        assertThat(robot.lookup("pi4j").tryQuery()).isPresent();
        assertThat(window.viewModel().roster().rows()).hasSize(3);
        Button add = robot.lookup(".add-discovered").queryButton();
        robot.clickOn(add);
        waitFor("added to the roster", () -> window.viewModel().roster().rows().size() == 4);
        RosterEntry added = window.viewModel().roster().rows().get(3).toEntry();
        assertThat(added).isEqualTo(new RosterEntry("tenor", "203.0.113.20", 10001, Protocol.TIMED, "bass"));
        waitFor("the new roster probed", () -> backend.probedRoster.size() == 4);
        robot.clickOn("#discovery-enabled");
        waitFor("switched off", () -> table.getItems().isEmpty());
        assertThat(backend.discoveryCalls).containsExactly("start", "stop");
    }

    /**
     * Drag and drop with the mouse, under Monocle: a discovered player's row dragged onto the roster
     * row "gone Pi" makes that row play on it (its host, port and protocol; its name and voice stay),
     * and nothing is added to the roster.
     */
    @Test
    void aDiscoveredPlayerDraggedOntoARosterRowBecomesThatRowsPlayer(FxRobot robot) throws Exception {
        waitFor("the score loaded and discovery started", () -> window.viewModel().score().timeline() != null
                && backend.discoveryListener != null);
        backend.discoveryListener.accept(List.of(new DiscoveredPlayer("tenor", "203.0.113.20", 10002, "0.1.0",
                List.of("legacy", "timed/1"), "pi4j", "", DiscoveredPlayer.Via.JOIN, 0)));
        waitFor("listed", () -> robot.lookup("203.0.113.20:10002").tryQuery().isPresent());
        RosterRowViewModel gone = window.viewModel().roster().rows().get(1);
        assertThat(gone.hostProperty().get()).isEqualTo("203.0.113.12");
        javafx.scene.Node source = robot.lookup("#discovered-table .table-row-cell").nth(0).query();
        javafx.scene.Node target = robot.lookup("#roster-table .table-row-cell").nth(1).query();
        robot.drag(source, javafx.scene.input.MouseButton.PRIMARY).moveBy(5, 5).moveTo(target).drop();
        waitFor("the dropped-on row plays on the discovered player", () -> gone.hostProperty().get().equals("203.0.113.20"));
        assertThat(gone.portProperty().get()).isEqualTo("10002");
        assertThat(gone.protocolProperty().get()).isEqualTo("timed");
        assertThat(gone.nameProperty().get()).as("its name stays").isEqualTo("gone Pi");
        assertThat(gone.voiceProperty().get()).as("its voice stays").isEqualTo("melody");
        assertThat(window.viewModel().roster().rows()).as("nothing added").hasSize(3);
        assertThat(window.viewModel().roster().rows().get(0).hostProperty().get()).as("other rows untouched")
                .isEqualTo("203.0.113.11");
    }
}
