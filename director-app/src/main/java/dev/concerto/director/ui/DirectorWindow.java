package dev.concerto.director.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ComboBoxBase;
import javafx.scene.control.Control;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;

/**
 * The director's main window: menus, the score's header, the transport bar, the piano roll, the
 * roster and the log, wired to a {@link MainViewModel}. Owns the window's background runner and log
 * appender; {@link #close} releases them. FX thread only.
 */
public final class DirectorWindow {

    public static final double DEFAULT_WIDTH = 1280;
    public static final double DEFAULT_HEIGHT = 860;

    private final Stage stage;
    private final MainViewModel vm;
    private final ExecutorBackgroundRunner runner;
    private final LogBuffer logBuffer;
    private final PianoRoll pianoRoll;

    private DirectorWindow(Stage stage, MainViewModel vm, ExecutorBackgroundRunner runner, LogBuffer logBuffer,
                           PianoRoll pianoRoll) {
        this.stage = stage;
        this.vm = vm;
        this.runner = runner;
        this.logBuffer = logBuffer;
        this.pianoRoll = pianoRoll;
    }

    /**
     * Builds the window on {@code stage}, shows it and starts loading.
     *
     * @param score        a score to open instead of the remembered one, or null
     * @param roster       a roster file to load instead of the remembered roster, or null
     * @param defaultScore BWV 846 when found, or null
     */
    public static DirectorWindow open(Stage stage, DirectorBackend backend, SettingsStore settings,
                                      Path score, Path roster, Path defaultScore) {
        return open(stage, backend, settings, score, roster, defaultScore, false);
    }

    /** As {@link #open(Stage, DirectorBackend, SettingsStore, Path, Path, Path)}; {@code play}: start playing once ready. */
    public static DirectorWindow open(Stage stage, DirectorBackend backend, SettingsStore settings,
                                      Path score, Path roster, Path defaultScore, boolean play) {
        return open(stage, backend, settings, score, roster, defaultScore, play, DiscoverySettings.OFF);
    }

    /** As above, looking for players as {@code discovery} says. */
    public static DirectorWindow open(Stage stage, DirectorBackend backend, SettingsStore settings,
                                      Path score, Path roster, Path defaultScore, boolean play,
                                      DiscoverySettings discovery) {
        FxDispatcher fx = FxDispatcher.platform();
        ExecutorBackgroundRunner runner = new ExecutorBackgroundRunner(fx);
        MainViewModel vm = new MainViewModel(backend, new FxDialogService(stage), runner, fx, System::nanoTime, settings);
        LogBuffer logBuffer = new LogBuffer(fx, vm.log()::append).attachToRoot();
        TransportViewModel transport = vm.transport();
        PianoRoll roll = new PianoRoll(transport::positionAt, vm.roster()::playersOf);
        roll.setOnSeek(seconds -> {
            if (vm.score().timeline() != null) {
                transport.seek(vm.score().timeline().measureAt(seconds));
            }
        });
        DirectorWindow window = new DirectorWindow(stage, vm, runner, logBuffer, roll);

        vm.score().timelineProperty().addListener((obs, old, t) -> roll.setTimeline(t));
        vm.roster().rows().addListener((ListChangeListener<RosterRowViewModel>) c -> roll.redrawAll());

        BorderPane root = new BorderPane();
        root.setId("director-root");
        root.setTop(new VBox(window.menuBar(), window.header(), new TransportBar(transport)));
        RosterTable rosterTable = new RosterTable(vm.roster(), vm.voices(), RosterRowViewModel.PROTOCOLS, vm::useLocalPlayers);
        LogPane logPane = new LogPane(vm.log());
        Tab scoreTab = new Tab("Score", roll);
        scoreTab.setId("tab-score");
        Tab liveTab = new Tab("Live", new LivePane(vm.live(), System::nanoTime));
        liveTab.setId("tab-live");
        TabPane modes = new TabPane(scoreTab, liveTab);
        modes.setId("modes");
        modes.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        DiscoveredPlayersView discoveredView = new DiscoveredPlayersView(vm.discovered());
        discoveredView.acceptDropsOn(rosterTable.table());
        SplitPane players = new SplitPane(rosterTable, discoveredView);
        players.setDividerPositions(0.68);
        SplitPane split = new SplitPane(modes, players, logPane);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.45, 0.78);
        root.setCenter(split);
        window.acceptDroppedScores(root);

        if (play) {
            playOnceReady(vm);
        }
        vm.start(score, roster, defaultScore);
        vm.startDiscovery(discovery);
        Settings remembered = vm.settings();
        double w = remembered.windowWidth() >= 400 ? remembered.windowWidth() : DEFAULT_WIDTH;
        double h = remembered.windowHeight() >= 300 ? remembered.windowHeight() : DEFAULT_HEIGHT;
        Scene scene = new Scene(root, w, h);
        window.installShortcuts(scene);
        vm.setWindowSize(w, h);
        scene.widthProperty().addListener(o -> vm.setWindowSize(scene.getWidth(), scene.getHeight()));
        scene.heightProperty().addListener(o -> vm.setWindowSize(scene.getWidth(), scene.getHeight()));
        stage.setScene(scene);
        stage.titleProperty().bind(Bindings.concat("Concerto — ", vm.score().titleBinding()));
        stage.show();
        // Start with the keyboard on the window, not in the first text field, so Space plays.
        root.requestFocus();
        return window;
    }

    private static void playOnceReady(MainViewModel vm) {
        javafx.beans.value.ChangeListener<Boolean> once = new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends Boolean> obs, Boolean was, Boolean ready) {
                if (ready) {
                    vm.readyBinding().removeListener(this);
                    vm.transport().play();
                }
            }
        };
        vm.readyBinding().addListener(once);
    }

    private MenuBar menuBar() {
        MenuItem open = new MenuItem("Open score…");
        open.setId("menu-open");
        open.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
        open.setOnAction(e -> vm.score().openWithChooser());
        Menu recent = new Menu("Open recent");
        recent.setId("menu-recent");
        Runnable fillRecent = () -> {
            recent.getItems().clear();
            for (Path p : vm.score().recentFiles()) {
                MenuItem item = new MenuItem(p.getFileName() + "  —  " + p.getParent());
                item.setOnAction(e -> vm.score().open(p));
                recent.getItems().add(item);
            }
            recent.setDisable(recent.getItems().isEmpty());
        };
        vm.score().recentFiles().addListener((ListChangeListener<Path>) c -> fillRecent.run());
        fillRecent.run();
        MenuItem quit = new MenuItem("Quit");
        quit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
        quit.setOnAction(e -> stage.close());
        Menu file = new Menu("File", null, open, recent, new SeparatorMenuItem(), quit);

        MenuItem add = new MenuItem("Add player");
        add.setOnAction(e -> vm.roster().addPlayer());
        MenuItem load = new MenuItem("Load roster…");
        load.setOnAction(e -> vm.roster().loadWithChooser());
        MenuItem save = new MenuItem("Save roster…");
        save.setOnAction(e -> vm.roster().saveWithChooser());
        MenuItem local = new MenuItem("Use local players");
        local.setOnAction(e -> vm.useLocalPlayers());
        MenuItem calibrate = new MenuItem("Calibrate…");
        calibrate.setId("calibrate");
        calibrate.setOnAction(e -> vm.roster().calibrate());
        calibrate.disableProperty().bind(vm.roster().localProperty().or(vm.roster().calibratingProperty()));
        Menu rosterMenu = new Menu("Players", null, add, load, save, new SeparatorMenuItem(), calibrate, local);

        MenuItem play = new MenuItem("Play / Pause\tSpace");
        play.setOnAction(e -> vm.transport().togglePlayPause());
        MenuItem stop = new MenuItem("Stop\tEsc");
        stop.setOnAction(e -> vm.transport().stop());
        MenuItem back = new MenuItem("Previous measure\t←");
        back.setOnAction(e -> vm.transport().step(-1));
        MenuItem forward = new MenuItem("Next measure\t→");
        forward.setOnAction(e -> vm.transport().step(1));
        MenuItem faster = new MenuItem("Faster (+5 BPM)\t↑");
        faster.setOnAction(e -> vm.transport().nudgeTempo(5));
        MenuItem slower = new MenuItem("Slower (−5 BPM)\t↓");
        slower.setOnAction(e -> vm.transport().nudgeTempo(-5));
        Menu transportMenu = new Menu("Transport", null, play, stop, new SeparatorMenuItem(), back, forward, faster, slower);
        return new MenuBar(file, rosterMenu, transportMenu);
    }

    private Node header() {
        Label title = new Label();
        title.setId("score-title");
        title.textProperty().bind(vm.score().titleBinding());
        title.setStyle("-fx-font-size: 20px; -fx-font-weight: bold;");
        Label composer = new Label();
        composer.setId("score-composer");
        composer.textProperty().bind(vm.score().composerBinding());
        composer.setStyle("-fx-font-size: 15px;");
        Label details = new Label();
        details.setId("score-details");
        details.textProperty().bind(vm.score().detailsBinding());
        Label file = new Label();
        file.setId("score-file");
        file.setStyle("-fx-text-fill: #666;");
        file.textProperty().bind(Bindings.createStringBinding(() -> vm.score().loadingProperty().get() ? "loading…"
                : vm.score().fileProperty().get() == null ? "" : vm.score().fileProperty().get().toString(),
                vm.score().fileProperty(), vm.score().loadingProperty()));
        Hyperlink report = new Hyperlink();
        report.setId("score-report");
        report.textProperty().bind(vm.score().reportSummaryBinding());
        report.visibleProperty().bind(report.textProperty().isNotEmpty());
        report.managedProperty().bind(report.visibleProperty());
        report.setTooltip(new Tooltip("Notes of the imported file that no player plays, and the file's warnings: click for the list"));
        report.setOnAction(e -> vm.score().showReport());
        HBox detailLine = new HBox(8, details, report);
        detailLine.setAlignment(Pos.BASELINE_LEFT);
        VBox left = new VBox(2, new HBox(12, title, composer), detailLine);
        ((HBox) left.getChildren().get(0)).setAlignment(Pos.BASELINE_LEFT);
        Label hint = new Label("Space play/pause · Esc stop · ←/→ measure · ↑/↓ tempo · drop a score file anywhere");
        hint.setStyle("-fx-text-fill: #666;");
        VBox right = new VBox(2, file, hint);
        right.setAlignment(Pos.CENTER_RIGHT);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox box = new HBox(12, left, grow, right);
        box.setPadding(new Insets(6, 10, 6, 10));
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    private void acceptDroppedScores(Node target) {
        target.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        target.setOnDragDropped(e -> {
            List<File> files = e.getDragboard().hasFiles() ? e.getDragboard().getFiles() : List.of();
            if (!files.isEmpty()) {
                vm.score().open(files.get(0).toPath());
            }
            e.setDropCompleted(!files.isEmpty());
            e.consume();
        });
    }

    private void installShortcuts(Scene scene) {
        // A click outside the controls takes the keyboard focus away from a roster field, so the
        // shortcuts work again without Tab-bing out.
        Node root = scene.getRoot();
        root.setFocusTraversable(false);
        scene.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> {
            for (Node n = e.getPickResult().getIntersectedNode(); n != null; n = n.getParent()) {
                if (n instanceof Control c && c.isFocusTraversable()) {
                    return; // a field, a table or a combo box takes the focus itself
                }
            }
            root.requestFocus();
        });
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            Node focus = scene.getFocusOwner();
            boolean typing = focus instanceof TextInputControl || focus instanceof ComboBoxBase;
            if (typing && e.getCode() != KeyCode.ESCAPE) {
                return; // keys belong to the field being edited
            }
            TransportViewModel t = vm.transport();
            switch (e.getCode()) {
                case SPACE -> t.togglePlayPause();
                case ESCAPE -> t.stop();
                case LEFT -> t.step(-1);
                case RIGHT -> t.step(1);
                case UP -> t.nudgeTempo(5);
                case DOWN -> t.nudgeTempo(-5);
                default -> {
                    return;
                }
            }
            e.consume();
        });
    }

    public MainViewModel viewModel() {
        return vm;
    }

    public Stage stage() {
        return stage;
    }

    PianoRoll pianoRoll() {
        return pianoRoll;
    }

    /** Saves the settings, stops playing, waits (bounded) for the background work, detaches the log. */
    public void close() {
        vm.saveSettings(stage.getScene().getWidth(), stage.getScene().getHeight());
        vm.close();
        runner.closeAndWait(3000);
        logBuffer.detach();
    }
}
