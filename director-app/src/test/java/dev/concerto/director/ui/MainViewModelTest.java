package dev.concerto.director.ui;

import dev.concerto.director.engine.Protocol;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.concerto.director.engine.Protocol;
import dev.concerto.director.engine.PlayState;
import dev.concerto.director.engine.PlayerActivity;
import dev.concerto.director.engine.RosterEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole window's logic without a toolkit: fake backend, direct runner and dispatcher. */
class MainViewModelTest {

    @TempDir
    Path config;

    private final FakeBackend backend = new FakeBackend();
    private final RecordingDialogs dialogs = new RecordingDialogs();
    private final Path bach = Path.of("/scores/bwv846.json");
    private final Path other = Path.of("/scores/other.json");
    private SettingsStore store;
    private MainViewModel vm;

    @BeforeEach
    void setUp() {
        backend.scores.put(bach, TestTimelines.scale("Prelude in C", 35, 66));
        backend.scores.put(other, new dev.concerto.director.score.Timeline("Trio", "", 100,
                List.of(new dev.concerto.director.score.VoiceTimeline("a", List.of()),
                        new dev.concerto.director.score.VoiceTimeline("b", List.of()),
                        new dev.concerto.director.score.VoiceTimeline("c", List.of())),
                1, 1, List.of(0.0), List.of(0.0)));
        store = new SettingsStore(config);
        vm = newViewModel();
    }

    private MainViewModel newViewModel() {
        return new MainViewModel(backend, dialogs, BackgroundRunner.direct(), FxDispatcher.direct(), System::nanoTime, store);
    }

    @Test
    void firstStartLoadsTheDefaultScoreWithLocalPlayers() {
        vm.start(null, null, bach);

        assertThat(vm.score().titleBinding().get()).isEqualTo("Prelude in C");
        assertThat(backend.calls).contains("startLocalPlayers [bass, melody]");
        assertThat(vm.roster().localProperty().get()).isTrue();
        assertThat(vm.roster().labelBinding().get()).contains("local players");
        assertThat(vm.roster().rows()).hasSize(2);
        assertThat(vm.readyBinding().get()).isTrue();
        assertThat(vm.transport().canPlayBinding().get()).isTrue();
    }

    @Test
    void withoutTheDefaultScoreTheWindowStillStarts() {
        vm.start(null, null, null);
        assertThat(vm.score().timeline()).isNull();
        assertThat(vm.transport().canPlayBinding().get()).isFalse();
        assertThat(dialogs.errors).isEmpty();
    }

    @Test
    void localPlayersFollowANewScoresVoices() {
        vm.start(null, null, bach);
        vm.score().open(other);
        assertThat(backend.calls).contains("startLocalPlayers [a, b, c]");
        assertThat(vm.roster().rows()).extracting(r -> r.voiceProperty().get()).containsExactly("a", "b", "c");
    }

    @Test
    void playSendsTheScoreToTheRosterAndActivityReachesTheRows() {
        vm.start(null, null, bach);
        vm.transport().play();
        assertThat(backend.calls).contains("openTransport Prelude in C 2");
        FakeTransport t = backend.lastTransport();
        t.publish(PlayState.PLAYING, 0.2, 1, 66, List.of(
                new PlayerActivity("local 1", "bass", 130.81, "C3", PlayerActivity.Liveness.UNKNOWN, -1, 0)));
        assertThat(vm.roster().rows().get(0).nowPlayingProperty().get()).isEqualTo("C3 · 130.81 Hz");
        assertThat(vm.transport().stateProperty().get()).isEqualTo(PlayState.PLAYING);

        // Editing the roster while playing: plays on; the next Play uses the edited roster.
        vm.roster().rows().get(1).voiceProperty().set("bass");
        vm.transport().stop();
        assertThat(t.calls).contains("stop", "close");
        vm.transport().play();
        assertThat(backend.transports).hasSize(2);
    }

    @Test
    void settingsSurviveARestart() {
        vm.start(null, null, bach);
        vm.roster().addPlayer().hostProperty().set("pi-tenor.local");
        vm.log().minimumLevelProperty().set(Level.WARN);
        vm.saveSettings(1024, 700);
        assertThat(Files.exists(store.file())).isTrue();

        MainViewModel again = newViewModel();
        again.start(null, null, null);

        Settings s = again.settings();
        assertThat(s.windowWidth()).isEqualTo(1024);
        assertThat(s.windowHeight()).isEqualTo(700);
        assertThat(s.lastScore()).isEqualTo(bach.toString());
        assertThat(s.recentScores()).containsExactly(bach.toString());
        assertThat(again.roster().localProperty().get()).isFalse();
        assertThat(again.roster().rows()).extracting(r -> r.hostProperty().get())
                .containsExactly("127.0.0.1", "127.0.0.1", "pi-tenor.local");
        assertThat(again.log().minimumLevelProperty().get()).isEqualTo(Level.WARN);
    }

    @Test
    void openingAScoreIsRememberedAtOnce() {
        vm.start(null, null, bach);
        vm.score().open(other);
        Settings s = store.load();
        assertThat(s.lastScore()).isEqualTo(other.toString());
        assertThat(s.recentScores()).containsExactly(other.toString(), bach.toString());
    }

    @Test
    void aCommandLineScoreAndRosterWinOverTheRememberedOnes() {
        Path rosterFile = Path.of("/rosters/band.json");
        backend.rosters.put(rosterFile, List.of(new RosterEntry("bass Pi", "bass-pi.local", 10001, Protocol.LEGACY, "a")));
        vm.start(other, rosterFile, bach);
        assertThat(vm.score().titleBinding().get()).isEqualTo("Trio");
        assertThat(vm.roster().labelBinding().get()).isEqualTo("roster band.json");
        assertThat(backend.calls).noneMatch(c -> c.startsWith("startLocalPlayers"));
    }

    @Test
    void anUnreadableSettingsFileGivesDefaults() throws Exception {
        Files.writeString(store.file(), "{ not json");
        assertThat(store.load()).isEqualTo(Settings.defaults());
    }

    @Test
    void theConfigDirectoryFollowsXdg() {
        Path home = Path.of("/home/ann");
        assertThat(SettingsStore.configDirectory(null, java.util.Map.of(), home)).isEqualTo(Path.of("/home/ann/.config/concerto"));
        assertThat(SettingsStore.configDirectory(null, java.util.Map.of("XDG_CONFIG_HOME", "/cfg"), home))
                .isEqualTo(Path.of("/cfg/concerto"));
        assertThat(SettingsStore.configDirectory("/x", java.util.Map.of("XDG_CONFIG_HOME", "/cfg"), home))
                .isEqualTo(Path.of("/x"));
    }
}
