package dev.concerto.director.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.player.PlayerConfig;
import dev.concerto.player.PlayerNode;
import dev.concerto.player.discovery.JoinAnnouncer;
import dev.concerto.player.discovery.PlayerAdvert;
import dev.concerto.player.synth.NullGenerator;
import dev.concerto.protocol.Clock;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code concerto players} on loopback: what a joining player looks like, and a roster's status before Play. */
class PlayersCommandTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static int freePort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return s.getLocalPort();
        }
    }

    @Test
    void listsAJoiningPlayerAsJson() throws Exception {
        int joinPort = freePort();
        PlayerAdvert advert = PlayerAdvert.of("alto", 10009, "virtual", "alto");
        try (JoinAnnouncer a = new JoinAnnouncer(advert, LOOPBACK, "127.0.0.1", joinPort, 6, null, Clock.SYSTEM).start()) {
            ScoreCommandTest.Run r = ScoreCommandTest.run("players", "--seconds", "2", "--json", "--mdns", "off",
                    "--join-bind", "127.0.0.1", "--join-port", String.valueOf(joinPort));
            assertThat(r.code()).as(r.err()).isZero();
            JsonNode list = new ObjectMapper().readTree(r.out());
            assertThat(list).hasSize(1);
            assertThat(list.get(0).get("name").asText()).isEqualTo("alto");
            assertThat(list.get(0).get("port").asInt()).isEqualTo(10009);
            assertThat(list.get(0).get("via").asText()).isEqualTo("join");
            assertThat(list.get(0).get("protocols").toString()).contains("timed/1");
        }
    }

    @Test
    void theKeyFileAlsoChecksJoinAnnouncesUnlessADiscoveryKeyIsGiven(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("concerto.key");
        Files.write(key, "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        dev.concerto.protocol.Authenticator auth = new dev.concerto.protocol.Authenticator(Files.readAllBytes(key));
        assertThat(listedWithKeyFile(key, auth)).as("a signed announce is accepted").isEqualTo(1);
        assertThat(listedWithKeyFile(key, null)).as("an unsigned one is ignored: the --key-file checks announces").isZero();
    }

    private static int listedWithKeyFile(Path key, dev.concerto.protocol.Authenticator playerKey) throws Exception {
        int joinPort = freePort();
        PlayerAdvert advert = PlayerAdvert.of("alto", 10009, "virtual", "alto");
        try (JoinAnnouncer a = new JoinAnnouncer(advert, LOOPBACK, "127.0.0.1", joinPort, 6, playerKey, Clock.SYSTEM)
                .start()) {
            ScoreCommandTest.Run r = ScoreCommandTest.run("players", "--seconds", "1.5", "--json", "--mdns", "off",
                    "--join-bind", "127.0.0.1", "--join-port", String.valueOf(joinPort), "--key-file", key.toString());
            assertThat(r.code()).as(r.err()).isZero();
            return new ObjectMapper().readTree(r.out()).size();
        }
    }

    @Test
    void probesARosterBeforePlaying(@TempDir Path dir) throws Exception {
        try (NullGenerator gen = new NullGenerator()) {
            PlayerNode node = new PlayerNode(PlayerConfig.of(gen).withLoopbackEphemeral().withName("bass"));
            node.start();
            try {
                int silentPort = freePort();
                int espPort = silentPort == 65_535 ? silentPort - 1 : silentPort + 1; // never sent to: plain integer
                Path roster = dir.resolve("roster.json");
                Files.writeString(roster, "{\"players\": ["
                        + "{\"name\": \"bass\", \"host\": \"127.0.0.1\", \"port\": " + node.localAddress().getPort()
                        + ", \"protocol\": \"timed\", \"voice\": \"bass\"},"
                        + "{\"name\": \"gone\", \"host\": \"127.0.0.1\", \"port\": " + silentPort
                        + ", \"protocol\": \"auto\", \"voice\": \"tenor\"},"
                        + "{\"name\": \"esp\", \"host\": \"127.0.0.1\", \"port\": " + espPort
                        + ", \"protocol\": \"legacy\", \"voice\": \"arpeggio\"}]}");
                ScoreCommandTest.Run r = ScoreCommandTest.run("players", "--roster", roster.toString(), "--seconds", "1",
                        "--no-discovery");
                assertThat(r.code()).as("a player is missing").isEqualTo(ExitCodes.PLAYERS_MISSING);
                String[] lines = r.out().split("\n");
                assertThat(lines[1]).startsWith("bass").contains("reachable · RTT");
                assertThat(lines[2]).startsWith("gone").contains("silent");
                assertThat(lines[3]).startsWith("esp").contains("cannot be known");
            } finally {
                node.close();
            }
        }
    }

    /**
     * A keyed player answers only signed syncs: {@code players --roster} and {@code play --dry-run}
     * probe it with the {@code --key-file} exactly as play syncs it, print the same status table
     * (one code path), and without the key it is silent. {@code play --dry-run} plays nothing.
     */
    @Test
    void aKeyedPlayerIsProbedWithTheKeyTheSameWayByPlayersAndPlayDryRun(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("concerto.key");
        Files.write(key, "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        dev.concerto.protocol.Authenticator auth = new dev.concerto.protocol.Authenticator(Files.readAllBytes(key));
        try (NullGenerator gen = new NullGenerator();
             DatagramSocket plain = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            PlayerNode node = new PlayerNode(PlayerConfig.of(gen).withLoopbackEphemeral().withName("bass").withAuth(auth));
            node.start();
            try {
                Path roster = dir.resolve("roster.json");
                Files.writeString(roster, "{\"players\": ["
                        + "{\"name\": \"bass\", \"host\": \"127.0.0.1\", \"port\": " + node.localAddress().getPort()
                        + ", \"protocol\": \"timed\", \"voice\": \"bass\"},"
                        + "{\"name\": \"esp\", \"host\": \"127.0.0.1\", \"port\": " + plain.getLocalPort()
                        + ", \"protocol\": \"legacy\", \"voice\": \"melody\"}]}");
                ScoreCommandTest.Run listed = ScoreCommandTest.run("players", "--roster", roster.toString(), "--seconds", "1",
                        "--no-discovery", "--key-file", key.toString());
                ScoreCommandTest.Run dry = ScoreCommandTest.run("play", "../scores/ode-to-joy.json", "--roster",
                        roster.toString(), "--dry-run", "--key-file", key.toString());
                ScoreCommandTest.Run unkeyed = ScoreCommandTest.run("players", "--roster", roster.toString(), "--seconds",
                        "1", "--no-discovery");
                assertThat(listed.code()).as(listed.err()).isZero();
                assertThat(dry.code()).as(dry.err()).isZero();
                assertThat(dry.out()).contains("--dry-run:").contains("would play to 2 players");
                for (String out : List.of(listed.out(), dry.out())) {
                    String bass = line(out, "bass");
                    assertThat(bass).contains("reachable · RTT").contains("offset").contains("legacy,timed/1");
                    assertThat(line(out, "esp")).contains("cannot be known (plain integer: it never answers)");
                }
                assertThat(withoutFigures(line(dry.out(), "bass"))).isEqualTo(withoutFigures(line(listed.out(), "bass")));
                assertThat(unkeyed.code()).as("a keyed player answers no unsigned probe").isEqualTo(ExitCodes.PLAYERS_MISSING);
                assertThat(line(unkeyed.out(), "bass")).contains("silent");
                plain.setSoTimeout(200);
                assertThat(receives(plain)).as("nothing is ever sent to a plain-integer player by a probe").isFalse();
                assertThat(node.currentHz()).as("--dry-run sounds nothing").isZero();
            } finally {
                node.close();
            }
        }
    }

    private static String line(String out, String player) {
        return java.util.Arrays.stream(out.split("\n")).filter(l -> l.startsWith(player + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + player + " in:\n" + out));
    }

    private static String withoutFigures(String line) {
        return line.replaceAll("[+-]?\\d+\\.\\d+ ms", "N ms");
    }

    private static boolean receives(DatagramSocket socket) throws Exception {
        try {
            socket.receive(new java.net.DatagramPacket(new byte[64], 64));
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }
}
