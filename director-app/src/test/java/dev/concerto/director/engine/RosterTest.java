package dev.concerto.director.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import dev.concerto.director.net.ResolvedPlayer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RosterTest {

    @TempDir
    Path dir;

    private Path write(String json) throws Exception {
        Path f = dir.resolve("roster.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void savesAndLoadsTheSameRoster() throws Exception {
        Roster r = new Roster("x", List.of(new RosterEntry("bass", "127.0.0.1", 10001, Protocol.LEGACY, "bass"),
                new RosterEntry("tenor", "::1", 10002, Protocol.LEGACY, "tenor")));
        Path f = dir.resolve("r.json");
        r.save(f);
        Roster back = Roster.load(f);
        assertThat(back.entries()).isEqualTo(r.entries());
        assertThat(back.source()).isEqualTo(f.toString());
        assertThat(back.voices()).containsExactly("bass", "tenor");
    }

    @Test
    void portAndProtocolHaveDefaults() throws Exception {
        Roster r = Roster.load(write("{\"players\":[{\"name\":\"a\",\"host\":\"127.0.0.1\",\"voice\":\"v\"}]}"));
        assertThat(r.entries().get(0)).isEqualTo(new RosterEntry("a", "127.0.0.1", 10001, Protocol.LEGACY, "v"));
    }

    @Test
    void theExampleRosterInTheDocsIsValid() throws Exception {
        Path example = Path.of("..", "docs", "roster-example.json");
        Roster r = Roster.load(example);
        assertThat(r.entries()).hasSize(4);
        assertThat(r.entries()).extracting(RosterEntry::host)
                .containsExactly("192.168.4.11", "192.168.4.12", "192.168.4.13", "192.168.4.14");
        // Resolving a literal looks nothing up and sends nothing.
        assertThat(ResolvedPlayer.resolve(r)).extracting(ResolvedPlayer::destination).contains("192.168.4.13:10001");
    }

    @Test
    void errorsNameTheFileAndTheField() throws Exception {
        assertThatThrownBy(() -> Roster.load(write("{\"players\":[{\"name\":\"a\",\"host\":\"h\",\"port\":70000,\"voice\":\"v\"}]}")))
                .isInstanceOf(RosterException.class).hasMessageContaining("roster.json").hasMessageContaining("players[0].port")
                .hasMessageContaining("1..65535");
        assertThatThrownBy(() -> Roster.load(write("{\"players\":[{\"name\":\"a\",\"voice\":\"v\"}]}")))
                .hasMessageContaining("players[0].host: missing");
        assertThatThrownBy(() -> Roster.load(write("{\"players\":[{\"name\":\"a\",\"host\":\"h\",\"voice\":\"v\",\"protocol\":\"nmea\"}]}")))
                .hasMessageContaining("players[0].protocol").hasMessageContaining("'nmea' is unknown");
        assertThatThrownBy(() -> Roster.load(write("{\"players\":[{\"name\":\"a\",\"host\":\"h\",\"voice\":\"v\",\"protocol\":\"timed\","
                + "\"latencyOffsetMs\":9000}]}")))
                .hasMessageContaining("players[0].latencyOffsetMs").hasMessageContaining("outside");
        assertThatThrownBy(() -> Roster.load(write("{\"players\":[{\"name\":\"a\",\"host\":\"h\",\"voice\":\"v\",\"latencyOffsetMs\":-20}]}")))
                .hasMessageContaining("players[0].latencyOffsetMs").hasMessageContaining("only the timed protocol");
        Roster timed = Roster.load(write("{\"players\":[{\"name\":\"a\",\"host\":\"h\",\"voice\":\"v\",\"protocol\":\"Timed\","
                + "\"latencyOffsetMs\":-12.5},{\"name\":\"b\",\"host\":\"h\",\"port\":10002,\"voice\":\"v\",\"protocol\":\"auto\"}]}"));
        assertThat(timed.entries()).extracting(RosterEntry::protocol).containsExactly(Protocol.TIMED, Protocol.AUTO);
        assertThat(timed.entries()).extracting(RosterEntry::latencyOffsetMs).containsExactly(-12.5, 0.0);
        assertThatThrownBy(() -> Roster.load(write("{\"players\":[{\"name\":\"a\",\"host\":\"h\",\"voice\":\"v\"},"
                + "{\"name\":\"a\",\"host\":\"h2\",\"voice\":\"v\"}]}")))
                .hasMessageContaining("players[1].name").hasMessageContaining("used twice");
        assertThatThrownBy(() -> Roster.load(write("{\"players\":[]}"))).hasMessageContaining("empty");
        assertThatThrownBy(() -> Roster.load(write("{}"))).hasMessageContaining("players: missing");
        assertThatThrownBy(() -> Roster.load(dir.resolve("none.json"))).hasMessageContaining("no such roster file");
    }

    @Test
    void syntaxAndTypeErrorsGiveLineAndColumn() throws Exception {
        assertThatThrownBy(() -> Roster.load(write("{\"players\":[\n  {\"name\":\"a\",\"host\":\"h\",\"port\":\"ten\",\"voice\":\"v\"}]}")))
                .isInstanceOf(RosterException.class).hasMessageContaining("roster.json: line 2")
                .hasMessageContaining("players[0].port");
        assertThatThrownBy(() -> Roster.load(write("{\"players\":[\n{\"name\":\"a\",\"hots\":\"h\"}]}")))
                .hasMessageContaining("line 2").hasMessageContaining("hots");
        assertThatThrownBy(() -> Roster.load(write("{\"players\": [ {\"name\": }")))
                .hasMessageContaining("line 1, column");
        assertThatThrownBy(() -> Roster.load(write("{\"players\":[{\"name\":\"a\",\"host\":\"h\",\"port\":1.5,\"voice\":\"v\"}]}")))
                .hasMessageContaining("players[0].port: '1.5' is not a whole number");
        assertThatThrownBy(() -> Roster.load(write("[1]"))).hasMessageContaining("expected an object {\"players\"");
        assertThatThrownBy(() -> Roster.load(write("{\"players\":[1]}"))).hasMessageContaining("players[0]: expected a player");
    }

    @Test
    void resolvesIpv4AndIpv6AndNamesAnUnknownHost() throws Exception {
        Roster ok = new Roster("r", List.of(new RosterEntry("a", "127.0.0.1", 5, Protocol.LEGACY, "v"),
                new RosterEntry("b", "[::1]", 6, Protocol.LEGACY, "v"), new RosterEntry("c", "localhost", 7, Protocol.LEGACY, "v")));
        assertThat(ResolvedPlayer.resolve(ok)).extracting(ResolvedPlayer::destination)
                .startsWith("127.0.0.1:5", "[::1]:6");
        // A malformed IPv6 literal fails without a lookup: no query leaves the machine.
        Roster bad = new Roster("r.json", List.of(new RosterEntry("a", "127.0.0.1", 5, Protocol.LEGACY, "v"),
                new RosterEntry("pi", "fe80::zz", 6, Protocol.LEGACY, "v")));
        assertThatThrownBy(() -> ResolvedPlayer.resolve(bad)).isInstanceOf(RosterException.class)
                .hasMessageContaining("r.json: players[1].host: unknown host 'fe80::zz' for player 'pi'");
    }
}
