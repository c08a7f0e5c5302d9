package dev.concerto.director.ui;

import dev.concerto.director.engine.Protocol;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.concerto.director.engine.PathTracker;
import dev.concerto.director.engine.Protocol;
import dev.concerto.director.engine.PlayerActivity;
import dev.concerto.director.engine.PlayerActivity.Liveness;
import dev.concerto.director.engine.RosterEntry;
import java.nio.file.Path;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.junit.jupiter.api.Test;

/** Runs without a JavaFX toolkit. */
class RosterViewModelTest {

    @Test
    void statusReadsLikeAPersonWouldWriteIt() {
        assertThat(RosterRowViewModel.describeLiveness(new PlayerActivity("p", "v", 0, "", Liveness.UNKNOWN, -1, 0)))
                .isEqualTo("cannot be known (plain integer: it never answers)");
        assertThat(RosterRowViewModel.describeLiveness(new PlayerActivity("p", "v", 0, "", Liveness.REACHABLE, 300, -40)))
                .isEqualTo("reachable · RTT 0.3 ms · offset +0.0 ms");
        assertThat(RosterRowViewModel.describeLiveness(new PlayerActivity("p", "v", 0, "", Liveness.REACHABLE, 1250, -2_160)))
                .isEqualTo("reachable · RTT 1.3 ms · offset -2.2 ms");
        PathTracker.Status path = new PathTracker.Status(3_100, 41_000, 19_000, 4.7, 240_000, 3, true, 12.34, 0);
        assertThat(RosterRowViewModel.describeLiveness(
                new PlayerActivity("p", "v", 0, "", Liveness.REACHABLE, 3_000, 1_500, path)))
                .isEqualTo("reachable · RTT 3.1/41.0 ms · jitter 19.0 ms · loss 4.7 % · lead 240 ms ×3 (auto)"
                        + " · skew +12.3 ppm · offset +1.5 ms");
    }


    private final FakeBackend backend = new FakeBackend();
    private final RecordingDialogs dialogs = new RecordingDialogs();
    private final ObservableList<String> voices = FXCollections.observableArrayList("bass", "tenor", "arpeggio");
    private final RosterViewModel vm = new RosterViewModel(backend, dialogs, BackgroundRunner.direct(), voices);

    private static RosterEntry entry(String name, int port, String voice) {
        return new RosterEntry(name, "203.0.113.11", port, Protocol.LEGACY, voice);
    }

    /** A calibration that finds the second player 7 ms later than the first. */
    private static dev.concerto.director.calibrate.MicrophoneCalibrator.Outcome sevenMsLate(List<RosterEntry> roster) {
        var heard = dev.concerto.director.calibrate.Calibration.Outcome.HEARD;
        return new dev.concerto.director.calibrate.MicrophoneCalibrator.Outcome("monitor of vsink", List.of(
                new dev.concerto.director.calibrate.Calibration.PlayerResult(roster.get(0), heard, 40.0, 0.2, 9, 0),
                new dev.concerto.director.calibrate.Calibration.PlayerResult(roster.get(1), heard, 47.0, 0.2, 9, -7)));
    }

    private static RosterEntry timed(String name, int port, String voice) {
        return new RosterEntry(name, "203.0.113.11", port, dev.concerto.director.engine.Protocol.TIMED, voice);
    }

    @Test
    void calibrationShowsWhatItFoundAndSetsTheOffsetsOnYes() {
        vm.setEntries(List.of(timed("bass Pi", 10001, "bass"), timed("tenor Pi", 10002, "tenor")), false, null);
        backend.calibration = RosterViewModelTest::sevenMsLate;
        vm.calibrate();
        assertThat(dialogs.questions).singleElement().asString()
                .contains("monitor of vsink").contains("tenor Pi").contains("-7.0 ms");
        assertThat(vm.entries()).extracting(RosterEntry::latencyOffsetMs).containsExactly(0.0, -7.0);
        assertThat(vm.calibratingProperty().get()).isFalse();
    }

    @Test
    void calibrationLeavesTheOffsetsAloneOnNo() {
        vm.setEntries(List.of(timed("bass Pi", 10001, "bass"), timed("tenor Pi", 10002, "tenor")), false, null);
        backend.calibration = RosterViewModelTest::sevenMsLate;
        dialogs.confirmAnswer = false;
        vm.calibrate();
        assertThat(vm.entries()).extracting(RosterEntry::latencyOffsetMs).containsExactly(0.0, 0.0);
    }

    @Test
    void calibrationWithoutAMicrophoneOrWithLocalPlayersSaysWhy() {
        vm.setEntries(List.of(timed("bass Pi", 10001, "bass")), true, null);
        vm.calibrate();
        assertThat(dialogs.errors).singleElement().asString().contains("simulated");
        vm.setEntries(List.of(timed("bass Pi", 10001, "bass")), false, null);
        vm.calibrate();
        assertThat(dialogs.errors).last().asString().startsWith("Calibration failed").contains("no microphone");
    }

    @Test
    void thePortIsValidatedAsItIsTyped() {
        vm.setEntries(List.of(entry("bass Pi", 10001, "bass")), false, null);
        RosterRowViewModel row = vm.rows().get(0);
        assertThat(vm.validBinding().get()).isTrue();

        row.portProperty().set("");
        assertThat(row.portErrorBinding().get()).contains("needed");
        assertThat(vm.validBinding().get()).isFalse();
        assertThat(vm.problemBinding().get()).startsWith("Player 1 (bass Pi): a port is needed");
        row.portProperty().set("1x");
        assertThat(row.portErrorBinding().get()).contains("not a whole number");
        row.portProperty().set("70000");
        assertThat(row.portErrorBinding().get()).contains("outside 1..65535");
        row.portProperty().set("0");
        assertThat(row.portErrorBinding().get()).contains("outside");
        row.portProperty().set("10002");
        assertThat(row.portErrorBinding().get()).isEmpty();
        assertThat(vm.validBinding().get()).isTrue();
        assertThat(vm.entries()).containsExactly(new RosterEntry("bass Pi", "203.0.113.11", 10002, Protocol.LEGACY, "bass"));
    }

    @Test
    void hostsAreCheckedWithoutResolvingThem() {
        assertThat(RosterRowViewModel.checkHost("")).contains("needed");
        assertThat(RosterRowViewModel.checkHost("pi-bass.local")).isEmpty();
        assertThat(RosterRowViewModel.checkHost("203.0.113.11")).isEmpty();
        assertThat(RosterRowViewModel.checkHost("::1")).isEmpty();
        assertThat(RosterRowViewModel.checkHost("203.0.113.300")).contains("0..255");
        assertThat(RosterRowViewModel.checkHost("203.0.113")).contains("four numbers");
        assertThat(RosterRowViewModel.checkHost("my pi")).contains("characters");
    }

    @Test
    void aVoiceTheScoreDoesNotHaveIsAProblemUntilTheScoreHasIt() {
        vm.setEntries(List.of(entry("sop", 10001, "soprano")), false, null);
        RosterRowViewModel row = vm.rows().get(0);
        assertThat(row.voiceErrorBinding().get()).contains("no voice 'soprano'").contains("bass, tenor, arpeggio");
        assertThat(vm.validBinding().get()).isFalse();
        voices.add("soprano");
        assertThat(vm.validBinding().get()).isTrue();
    }

    @Test
    void namesMustBeDistinctAndTheRosterNotEmpty() {
        vm.setEntries(List.of(), false, null);
        assertThat(vm.problemBinding().get()).contains("empty");
        vm.setEntries(List.of(entry("pi", 10001, "bass"), entry("pi", 10002, "tenor")), false, null);
        assertThat(vm.problemBinding().get()).contains("'pi' is used twice");
        vm.rows().get(1).nameProperty().set("pi 2");
        assertThat(vm.validBinding().get()).isTrue();
        assertThatThrownBy(() -> {
            vm.rows().get(0).nameProperty().set(" ");
            vm.entries();
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("a name is needed");
    }

    @Test
    void twoPlayersOnOneAddressAreAProblemNamingBoth() {
        vm.setEntries(List.of(entry("bass Pi", 10001, "bass"), entry("tenor Pi", 10002, "tenor")), false, null);
        assertThat(vm.validBinding().get()).isTrue();
        vm.rows().get(1).portProperty().set("10001");
        assertThat(vm.problemBinding().get()).contains("Player 2 (tenor Pi) and player 1 (bass Pi) both play to 203.0.113.11:10001");
        vm.rows().get(1).hostProperty().set("203.0.113.12");
        assertThat(vm.validBinding().get()).isTrue();
    }

    @Test
    void aLatencyOffsetIsNeverDroppedSilently() {
        // The roster loader refuses a latency offset on a legacy player; the table once zeroed it.
        vm.setEntries(List.of(new RosterEntry("alto", "203.0.113.11", 10001, Protocol.TIMED, "bass", -40)), false, null);
        RosterRowViewModel row = vm.rows().get(0);
        assertThat(vm.validBinding().get()).isTrue();
        row.protocolProperty().set("legacy");
        assertThat(row.protocolErrorBinding().get()).contains("latencyOffsetMs").contains("-40 ms")
                .contains("needs protocol timed or auto");
        assertThat(vm.validBinding().get()).isFalse();
        row.protocolProperty().set("auto");
        assertThat(vm.entries()).containsExactly(new RosterEntry("alto", "203.0.113.11", 10001, Protocol.AUTO, "bass", -40));
        row.protocolProperty().set("nmea");
        assertThat(row.protocolErrorBinding().get()).contains("'nmea' is unknown").contains("legacy", "timed", "auto");
    }

    @Test
    void anAddedPlayerTakesTheFirstUnplayedVoiceAndWaitsForItsHost() {
        vm.setEntries(List.of(entry("bass Pi", 10001, "bass")), true, null);
        assertThat(vm.labelBinding().get()).startsWith("local players");

        RosterRowViewModel added = vm.addPlayer();

        assertThat(added.voiceProperty().get()).isEqualTo("tenor");
        assertThat(added.nameProperty().get()).isEqualTo("player 2");
        assertThat(added.portProperty().get()).isEqualTo("10001");
        assertThat(added.validBinding().get()).isFalse();
        assertThat(vm.localProperty().get()).isFalse();
        assertThat(vm.labelBinding().get()).isEqualTo("roster (not saved)");
        added.hostProperty().set("pi-tenor.local");
        assertThat(vm.validBinding().get()).isTrue();
        vm.remove(added);
        assertThat(vm.rows()).hasSize(1);
    }

    @Test
    void pointingALocalPlayerElsewhereMakesItAnOwnRoster() {
        vm.setEntries(List.of(new RosterEntry("local bass", "127.0.0.1", 40000, Protocol.LEGACY, "bass")), true, null);
        vm.rows().get(0).voiceProperty().set("tenor");
        assertThat(vm.localProperty().get()).isTrue();
        vm.rows().get(0).portProperty().set("40001");
        assertThat(vm.localProperty().get()).isFalse();
    }

    @Test
    void saveAndLoadGoThroughTheBackendAndTheChoosers() {
        Path file = Path.of("/tmp/band.json");
        vm.setEntries(List.of(entry("bass Pi", 10001, "bass"), entry("tenor Pi", 10002, "tenor")), false, null);
        dialogs.answers.add(file);
        vm.saveWithChooser();
        assertThat(backend.calls).contains("saveRoster band.json 2");
        assertThat(vm.labelBinding().get()).isEqualTo("roster band.json");

        vm.setEntries(List.of(), false, null);
        dialogs.answers.add(file);
        vm.loadWithChooser();
        assertThat(vm.rows()).hasSize(2);
        assertThat(vm.rows().get(1).nameProperty().get()).isEqualTo("tenor Pi");

        vm.load(Path.of("/tmp/missing.json"));
        assertThat(dialogs.errors).singleElement().asString().startsWith("Could not load the roster: /tmp/missing.json");
        assertThat(vm.rows()).hasSize(2);
    }

    @Test
    void anInvalidRosterIsNotSavedAndSaysWhy() {
        vm.setEntries(List.of(entry("bass Pi", 10001, "bass")), false, null);
        vm.rows().get(0).hostProperty().set("");
        vm.saveWithChooser();
        assertThat(dialogs.errors).singleElement().asString().contains("a host is needed");
        assertThat(backend.calls).noneMatch(c -> c.startsWith("saveRoster"));
    }

    @Test
    void theTestToneGoesToThatPlayer() {
        vm.setEntries(List.of(entry("bass Pi", 10001, "bass"), entry("tenor Pi", 10002, "tenor")), false, null);
        vm.testTone(vm.rows().get(1));
        assertThat(backend.calls).contains("testTone tenor Pi 440");
    }

    @Test
    void statusAndNowPlayingFollowTheEngine() {
        vm.setEntries(List.of(entry("bass Pi", 10001, "bass"), entry("tenor Pi", 10002, "tenor")), false, null);
        vm.applyActivity(List.of(
                new PlayerActivity("bass Pi", "bass", 130.81, "C3", Liveness.REACHABLE, 420, -1200),
                new PlayerActivity("tenor Pi", "tenor", 0, "", Liveness.UNKNOWN, -1, 0)), 0);
        assertThat(vm.rows().get(0).statusProperty().get()).isEqualTo("reachable · RTT 0.4 ms · offset -1.2 ms");
        assertThat(vm.rows().get(0).nowPlayingProperty().get()).isEqualTo("C3 · 130.81 Hz");
        assertThat(vm.rows().get(1).statusProperty().get()).isEqualTo("cannot be known (plain integer: it never answers)");
        assertThat(vm.rows().get(1).nowPlayingProperty().get()).isEqualTo("—");
        assertThat(vm.playersOf("bass")).containsExactly("bass Pi");

        PlayerActivity silent = new PlayerActivity("bass Pi", "bass", 0, "", Liveness.SILENT, -1, 0);
        vm.applyActivity(List.of(silent), 5_000_000_000L);
        assertThat(vm.rows().get(0).statusProperty().get()).isEqualTo("silent for 0 s");
        vm.applyActivity(List.of(silent), 17_500_000_000L);
        assertThat(vm.rows().get(0).statusProperty().get()).isEqualTo("silent for 12 s");
        vm.applyActivity(List.of(), 18_000_000_000L);
        assertThat(vm.rows().get(0).statusProperty().get()).as("no engine: the probe's word, never 'unknown'")
                .isEqualTo("cannot be known (plain integer: it never answers)");
        assertThat(vm.playersOf("arpeggio")).isEmpty();
    }
}
