package dev.concerto.director.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.director.engine.DiscoveredPlayer;
import dev.concerto.director.engine.PlayerProbe;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.junit.jupiter.api.Test;

/** Runs without a JavaFX toolkit. */
class DiscoveredPlayersViewModelTest {

    private final FakeBackend backend = new FakeBackend();
    private final ObservableList<String> voices = FXCollections.observableArrayList("bass", "tenor", "arpeggio");
    private final RosterViewModel roster;
    private final DiscoveredPlayersViewModel vm;

    DiscoveredPlayersViewModelTest() {
        roster = new RosterViewModel(backend, new RecordingDialogs(), BackgroundRunner.direct(), voices);
        vm = new DiscoveredPlayersViewModel(backend, FxDispatcher.direct(), roster, voices);
    }

    static DiscoveredPlayer player(String name, String host, String version, List<String> protocols, String voice) {
        return new DiscoveredPlayer(name, host, 10001, version, protocols, "pi4j", voice, DiscoveredPlayer.Via.JOIN, 0);
    }

    @Test
    void offUntilAskedThenListsWhatTheBackendFinds() {
        vm.start(DiscoverySettings.OFF);
        assertThat(backend.discoveryCalls).isEmpty();
        assertThat(vm.statusProperty().get()).isEqualTo("discovery off");
        vm.enabledProperty().set(true);
        assertThat(backend.discoveryCalls).containsExactly("start");
        assertThat(vm.statusProperty().get()).startsWith("looking for players (mDNS, join port 10000)");
        backend.discoveryListener.accept(List.of(player("bass", "203.0.113.11", "0.1.0", List.of("legacy", "timed/1"), "bass"),
                player("esp", "203.0.113.12", "", List.of("legacy"), "")));
        assertThat(vm.rows()).extracting(r -> r.player().name()).containsExactly("bass", "esp");
        assertThat(vm.rows().get(0).rttProperty().get()).isEqualTo("…");
        assertThat(vm.rows().get(1).rttProperty().get()).isEqualTo("—");
        assertThat(backend.probedRoster).as("only timed players are probed").hasSize(1);
        backend.probeListener.accept(List.of(new PlayerProbe("203.0.113.11:10001", PlayerProbe.State.REACHABLE, 1_250, 0,
                List.of("timed/1"), "")));
        assertThat(vm.rows().get(0).rttProperty().get()).isEqualTo("1.3 ms");
        vm.enabledProperty().set(false);
        assertThat(backend.discoveryCalls).containsExactly("start", "stop");
        assertThat(vm.rows()).isEmpty();
    }

    @Test
    void oneClickAddsForTheVoiceItAsksForOrTheFirstFreeOne() {
        vm.enabledProperty().set(true);
        backend.discoveryListener.accept(List.of(player("tenor", "203.0.113.11", "0.1.0", List.of("legacy", "timed/1"), "tenor"),
                player("other", "203.0.113.12", "0.1.0", List.of("legacy"), "kazoo")));
        assertThat(roster.rows()).as("nothing joins by itself").isEmpty();
        RosterRowViewModel tenor = vm.addToRoster(vm.rows().get(0));
        assertThat(tenor.toEntry().voice()).isEqualTo("tenor");
        assertThat(tenor.toEntry().protocol()).isEqualTo(dev.concerto.director.engine.Protocol.TIMED);
        assertThat(tenor.toEntry().host()).isEqualTo("203.0.113.11");
        RosterRowViewModel other = vm.addToRoster(vm.rows().get(1));
        assertThat(other.toEntry().voice()).as("no kazoo in this score").isEqualTo("bass");
        assertThat(other.toEntry().protocol()).isEqualTo(dev.concerto.director.engine.Protocol.LEGACY);
        assertThat(roster.validBinding().get()).isTrue();
        RosterRowViewModel again = vm.addToRoster(vm.rows().get(0));
        assertThat(again.nameProperty().get()).as("names stay unique").isEqualTo("tenor 2");
    }

    @Test
    void aDropPointsARowAtThePlayerAndKeepsItsVoice() {
        roster.setEntries(List.of(new dev.concerto.director.engine.RosterEntry("arp", "203.0.113.40", 10001, dev.concerto.director.engine.Protocol.LEGACY,
                "arpeggio")), false, null);
        vm.enabledProperty().set(true);
        backend.discoveryListener.accept(List.of(player("pi", "203.0.113.50", "0.1.0", List.of("legacy", "timed/1"), "")));
        vm.assignTo(vm.rows().get(0), roster.rows().get(0));
        assertThat(roster.rows().get(0).toEntry()).isEqualTo(new dev.concerto.director.engine.RosterEntry("arp",
                "203.0.113.50", 10001, dev.concerto.director.engine.Protocol.TIMED, "arpeggio"));
    }

    @Test
    void anOldPlayerCarriesAWarningNamingBothVersions() {
        vm.enabledProperty().set(true);
        backend.discoveryListener.accept(List.of(player("old", "203.0.113.11", "0.0.9", List.of("legacy"), "")));
        assertThat(vm.rows().get(0).warnings()).anySatisfy(w -> assertThat(w).contains("'old'").contains("0.0.9")
                .contains(dev.concerto.protocol.SoftwareVersion.current()));
    }
}
