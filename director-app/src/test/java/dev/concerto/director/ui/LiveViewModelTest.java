package dev.concerto.director.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.live.AllocationPolicy;
import dev.concerto.director.live.LiveConductor;
import dev.concerto.director.live.OverflowPolicy;
import dev.concerto.director.live.VoiceAllocator;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.SimpleBooleanProperty;
import org.junit.jupiter.api.Test;

/** Runs without a JavaFX toolkit: properties and bindings only, on a fake backend and clock. */
class LiveViewModelTest {

    static final class FakeLiveInput implements LiveInput {
        volatile List<LiveConductor.PlayerState> players;
        volatile long notes;
        boolean closed;

        FakeLiveInput(int n) {
            players = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                players.add(new LiveConductor.PlayerState(i, "p" + i, "v" + i, 0, -1));
            }
        }

        void sound(int p, double hz, int key) {
            List<LiveConductor.PlayerState> next = new ArrayList<>(players);
            next.set(p, new LiveConductor.PlayerState(p, "p" + p, "v" + p, hz, key));
            players = next;
            if (hz > 0) {
                notes++;
            }
        }

        @Override
        public List<LiveConductor.PlayerState> players() {
            return players;
        }

        @Override
        public LiveConductor.Stats stats() {
            return new LiveConductor.Stats(new VoiceAllocator.Counts(notes, 1, 0, 0), 0, notes, 0, 0, true);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static final class LiveBackend implements DirectorBackend {
        List<String> inputs = List.of("USB Keyboard", "Virtual Raw MIDI 1-0");
        final List<LiveRequest> requests = new ArrayList<>();
        FakeLiveInput input = new FakeLiveInput(2);
        String failure;

        @Override
        public List<String> midiInputs() {
            return inputs;
        }

        @Override
        public LiveInput openLive(List<RosterEntry> roster, LiveRequest request) throws Exception {
            requests.add(request);
            if (failure != null) {
                throw new Exception(failure);
            }
            return input;
        }

        @Override
        public dev.concerto.director.score.Timeline loadScore(java.nio.file.Path file) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<RosterEntry> loadRoster(java.nio.file.Path file) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void saveRoster(java.nio.file.Path file, List<RosterEntry> r) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<RosterEntry> startLocalPlayers(dev.concerto.director.score.Timeline timeline) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void stopLocalPlayers() {
        }

        @Override
        public dev.concerto.director.engine.Transport openTransport(dev.concerto.director.score.Timeline t, List<RosterEntry> r) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void testTone(RosterEntry player, int hz, int millis) {
        }

        @Override
        public dev.concerto.director.calibrate.MicrophoneCalibrator.Outcome calibrate(List<RosterEntry> roster,
                java.util.function.Consumer<String> progress) throws Exception {
            throw new Exception("no microphone in this test");
        }

        @Override
        public void close() {
        }
    }

    private final LiveBackend backend = new LiveBackend();
    private final RecordingDialogs dialogs = new RecordingDialogs();
    private final SimpleBooleanProperty rosterValid = new SimpleBooleanProperty(true);
    private final List<RosterEntry> roster = List.of(new RosterEntry("p0", "127.0.0.1", 10001, dev.concerto.director.engine.Protocol.LEGACY, "v0"),
            new RosterEntry("p1", "127.0.0.1", 10002, dev.concerto.director.engine.Protocol.LEGACY, "v1"));
    private long now = 1_000_000_000L;
    private final LiveViewModel vm = new LiveViewModel(backend, dialogs, BackgroundRunner.direct(), () -> roster,
            rosterValid, () -> now);

    @Test
    void listsTheInputsAndPicksTheFirst() {
        vm.refreshInputs();
        assertThat(vm.inputs()).containsExactly("USB Keyboard", "Virtual Raw MIDI 1-0");
        assertThat(vm.selectedInputProperty().get()).isEqualTo("USB Keyboard");
        vm.selectedInputProperty().set("Virtual Raw MIDI 1-0");
        vm.refreshInputs();
        assertThat(vm.selectedInputProperty().get()).as("kept").isEqualTo("Virtual Raw MIDI 1-0");
    }

    @Test
    void noInputSaysWhatToDoAndCannotStart() {
        backend.inputs = List.of();
        vm.refreshInputs();
        assertThat(vm.canStartBinding().get()).isFalse();
        assertThat(vm.statusProperty().get()).contains("No MIDI input found").contains("Refresh");
    }

    @Test
    void anInvalidRosterCannotStart() {
        vm.refreshInputs();
        assertThat(vm.canStartBinding().get()).isTrue();
        rosterValid.set(false);
        assertThat(vm.canStartBinding().get()).isFalse();
        vm.start();
        assertThat(backend.requests).isEmpty();
    }

    @Test
    void startSendsTheChosenSettingsAndShowsWhoSoundsWhat() {
        vm.refreshInputs();
        vm.policyProperty().set(AllocationPolicy.ROUND_ROBIN);
        vm.overflowProperty().set(OverflowPolicy.DROP_NEW);
        vm.transposeProperty().set(-12);
        vm.tuningProperty().set("werckmeister3");
        vm.start();
        assertThat(backend.requests).containsExactly(new LiveRequest("USB Keyboard", AllocationPolicy.ROUND_ROBIN,
                OverflowPolicy.DROP_NEW, -12, "werckmeister3"));
        assertThat(vm.runningProperty().get()).isTrue();
        assertThat(vm.canStartBinding().get()).isFalse();

        backend.input.sound(1, 440, 69);
        now += 100_000_000L;
        vm.poll();
        assertThat(vm.players()).containsExactly(new LiveViewModel.PlayerRow("p0", "v0", "—", ""),
                new LiveViewModel.PlayerRow("p1", "v1", "A4", "440.0 Hz"));
        assertThat(vm.roll()).containsExactly(new LiveViewModel.RollNote(1, 440, now, Long.MAX_VALUE));
        assertThat(vm.statusProperty().get()).contains("1 notes").contains("1 stolen");

        long start = now;
        backend.input.sound(1, 0, -1);
        now += 200_000_000L;
        vm.poll();
        assertThat(vm.roll()).containsExactly(new LiveViewModel.RollNote(1, 440, start, now));
    }

    @Test
    void stopClosesTheInputAndEndsOpenNotes() {
        vm.refreshInputs();
        vm.start();
        backend.input.sound(0, 220, 57);
        vm.poll();
        now += 50;
        vm.stop();
        assertThat(backend.input.closed).isTrue();
        assertThat(vm.runningProperty().get()).isFalse();
        assertThat(vm.roll()).singleElement().extracting(LiveViewModel.RollNote::endNanos).isEqualTo(now);
        assertThat(vm.statusProperty().get()).startsWith("Stopped");
        assertThat(vm.canStartBinding().get()).isTrue();
    }

    @Test
    void aFailureToStartIsShownAndLeavesItOff() {
        vm.refreshInputs();
        backend.failure = "the MIDI port is busy";
        vm.start();
        assertThat(dialogs.errors).singleElement().asString().contains("the MIDI port is busy");
        assertThat(vm.runningProperty().get()).isFalse();
        assertThat(vm.startingProperty().get()).isFalse();
    }

    @Test
    void theRollKeepsTheLatestNotesOnly() {
        vm.refreshInputs();
        vm.start();
        for (int i = 0; i < LiveViewModel.ROLL_NOTES + 50; i++) {
            backend.input.sound(i % 2, 100 + i, 40);
            now += 1_000;
            vm.poll();
        }
        assertThat(vm.roll()).hasSize(LiveViewModel.ROLL_NOTES);
        assertThat(vm.roll().get(vm.roll().size() - 1).endNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(vm.roll().get(vm.roll().size() - 3).endNanos()).isLessThan(Long.MAX_VALUE);
    }
}
