package dev.concerto.director.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.director.engine.PlayState;
import dev.concerto.director.ui.DefaultScore;
import dev.concerto.director.ui.DirectorWindow;
import dev.concerto.director.ui.RosterRowViewModel;
import dev.concerto.director.ui.Settings;
import dev.concerto.director.ui.SettingsStore;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
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
 * End to end under Monocle: the real window on the real backend (score loader, engine, embedded
 * local players). Opens BWV 846 from the recent-files menu, points two roster rows at capture
 * players (UDP sockets on 127.0.0.1, ephemeral ports) by typing their ports, presses Play and Stop,
 * and checks the transport state and the datagrams the capture players received; then a test tone.
 */
@ExtendWith(ApplicationExtension.class)
class GuiPlaysToPlayersTest {

    @TempDir
    static Path config;

    private final Capture bass = new Capture("bass");
    private final Capture tenor = new Capture("tenor");
    private EngineBackend backend;
    private DirectorWindow window;
    private Path bach;
    private Path brokenScore;

    /** A player stand-in: records every datagram's text; its thread ends when the socket closes. */
    static final class Capture implements AutoCloseable {
        final DatagramSocket socket;
        final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        final Thread thread;

        Capture(String name) {
            try {
                socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            thread = new Thread(() -> {
                byte[] buf = new byte[64];
                while (!socket.isClosed()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                    } catch (IOException closed) {
                        return;
                    }
                    received.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII));
                }
            }, "capture-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        boolean heardATone() {
            return received.stream().anyMatch(s -> !s.equals("0"));
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @Start
    void start(Stage stage) {
        bach = DefaultScore.locate(Path.of(""), null).orElseThrow();
        SettingsStore store = new SettingsStore(config);
        brokenScore = config.resolve("broken.json");
        try {
            java.nio.file.Files.writeString(brokenScore, "{\n  \"title\": \"Broken\",\n  \"tempo\": {\"bpm\": \"fast\"}\n}\n");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        store.save(new Settings(null, List.of(bach.toString(), brokenScore.toString()), null, null, 1200, 800, "INFO"));
        backend = new EngineBackend();
        window = DirectorWindow.open(stage, backend, store, null, null, null);
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> window.close()).get(15, TimeUnit.SECONDS);
        backend.close();
        bass.close();
        tenor.close();
    }

    private static void waitFor(String what, BooleanSupplier condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> {
                WaitForAsyncUtils.waitForFxEvents();
                return condition.getAsBoolean();
            });
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting until " + what, e);
        }
    }

    private static void typePort(FxRobot robot, int row, int port) {
        TextField field = robot.lookup(".roster-port").nth(row).queryAs(TextField.class);
        robot.doubleClickOn(field).eraseText(field.getText().length()).write(String.valueOf(port));
    }

    @Test
    void playAndStopReachThePlayersOnLoopback(FxRobot robot) throws Exception {
        robot.clickOn("File").clickOn("#menu-recent").clickOn("bwv846.json  —  " + bach.getParent());
        Label title = robot.lookup("#score-title").queryAs(Label.class);
        waitFor("BWV 846 is loaded", () -> title.getText().equals("Prelude in C major, BWV 846"));
        List<RosterRowViewModel> rows = window.viewModel().roster().rows();

        // A malformed score: the loader's own message (file:line:column: field: problem) in a dialog.
        robot.clickOn("File").clickOn("#menu-recent").clickOn("broken.json  —  " + brokenScore.getParent());
        waitFor("the error dialog", () -> robot.lookup("#error-message").tryQuery().isPresent());
        assertThat(robot.lookup("#error-message").queryAs(Label.class).getText())
                .matches("\\Q" + brokenScore + "\\E:\\d+:\\d+: .+");
        robot.clickOn("OK");
        assertThat(title.getText()).isEqualTo("Prelude in C major, BWV 846");

        waitFor("local players for the five voices", () -> rows.size() == 5);
        assertThat(rows.get(0).voiceProperty().get()).isEqualTo("bass");
        assertThat(rows.get(1).voiceProperty().get()).isEqualTo("tenor");

        // The capture players speak the plain integer only (local players speak the timed protocol).
        robot.interact(() -> {
            rows.get(0).protocolProperty().set("legacy");
            rows.get(1).protocolProperty().set("legacy");
        });
        typePort(robot, 0, bass.port());
        typePort(robot, 1, tenor.port());
        waitFor("the roster holds the typed ports", () -> rows.get(0).portProperty().get().equals(String.valueOf(bass.port()))
                && rows.get(1).portProperty().get().equals(String.valueOf(tenor.port())));
        assertThat(window.viewModel().roster().validBinding().get()).isTrue();

        Button play = robot.lookup("#play").queryButton();
        robot.clickOn(play);
        waitFor("playing", () -> window.viewModel().transport().stateProperty().get() == PlayState.PLAYING);
        waitFor("the bass and tenor capture players heard notes", () -> bass.heardATone() && tenor.heardATone());
        waitFor("the roster shows what the bass plays", () -> rows.get(0).nowPlayingProperty().get().endsWith(" Hz"));
        assertThat(bass.received).contains("262"); // C4, the first chord's bass note
        assertThat(tenor.received).contains("330"); // E4
        assertThat(play.isDisabled()).isTrue();

        int before = bass.received.size();
        robot.clickOn("#stop");
        waitFor("stopped", () -> window.viewModel().transport().stateProperty().get() == PlayState.STOPPED);
        waitFor("the players were silenced", () -> bass.received.stream().skip(before).anyMatch("0"::equals)
                && tenor.received.contains("0"));
        assertThat(window.viewModel().transport().measureProperty().get()).isEqualTo(1);
        assertThat(play.isDisabled()).isFalse();

        // The tenor's test tone: an A, then silence, at the tenor's address only.
        tenor.received.clear();
        int bassCount = bass.received.size();
        robot.clickOn(robot.lookup(".test-tone").nth(1).queryButton());
        waitFor("the tenor heard the test tone and then silence", () -> tenor.received.contains("440")
                && List.copyOf(tenor.received).lastIndexOf("0") > List.copyOf(tenor.received).indexOf("440"));
        assertThat(bass.received).hasSize(bassCount);
    }
}
