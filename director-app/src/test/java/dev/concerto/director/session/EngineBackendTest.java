package dev.concerto.director.session;

import dev.concerto.director.engine.Protocol;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.concerto.director.engine.Protocol;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.score.Timeline;
import dev.concerto.director.ui.DefaultScore;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GUI's backend on the real score loader, roster files, local players and UDP. */
class EngineBackendTest {

    @TempDir
    Path dir;

    @Test
    void aBrokenScoreNamesTheFileLineAndColumn() throws Exception {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\n  \"title\": \"x\",\n  \"tempo\": {\"bpm\": \"fast\"}\n}\n");
        try (EngineBackend backend = new EngineBackend()) {
            assertThatThrownBy(() -> backend.loadScore(broken))
                    .message().matches("\\Q" + broken + "\\E:\\d+:\\d+: .+");
        }
    }

    @Test
    void bwv846LoadsWithItsFiveVoices() throws Exception {
        try (EngineBackend backend = new EngineBackend()) {
            Timeline t = backend.loadScore(DefaultScore.locate(Path.of(""), null).orElseThrow());
            assertThat(t.voices()).extracting(v -> v.name()).containsExactly("bass", "tenor", "arpeggio", "alto", "soprano");
            assertThat(t.measureCount()).isEqualTo(35);
        }
    }

    @Test
    void midiFilesLoadToo() throws Exception {
        Path midi = DefaultScore.locate(Path.of(""), null).orElseThrow().resolveSibling("frere-jacques.mid");
        try (EngineBackend backend = new EngineBackend()) {
            Timeline t = backend.loadScore(midi);
            assertThat(t.voices()).isNotEmpty();
            assertThat(t.noteCount()).isPositive();
        }
    }

    @Test
    void rostersRoundTripThroughAFile() throws Exception {
        Path file = dir.resolve("band.json");
        List<RosterEntry> roster = List.of(new RosterEntry("bass Pi", "bass-pi.local", 10001, Protocol.LEGACY, "bass"),
                new RosterEntry("tenor Pi", "tenor-pi.local", 10001, Protocol.LEGACY, "tenor"));
        try (EngineBackend backend = new EngineBackend()) {
            backend.saveRoster(file, roster);
            assertThat(backend.loadRoster(file)).isEqualTo(roster);
        }
    }

    @Test
    void localPlayersListenOnLoopbackOnePerVoice() throws Exception {
        try (EngineBackend backend = new EngineBackend()) {
            Timeline t = backend.loadScore(DefaultScore.locate(Path.of(""), null).orElseThrow());
            List<RosterEntry> local = backend.startLocalPlayers(t);
            assertThat(local).hasSize(5);
            assertThat(local).allSatisfy(e -> {
                assertThat(e.host()).isEqualTo("127.0.0.1");
                assertThat(e.port()).isBetween(1, 65535);
            });
            assertThat(local).extracting(RosterEntry::voice).containsExactly("bass", "tenor", "arpeggio", "alto", "soprano");
            backend.stopLocalPlayers();
        }
    }

    @Test
    void aTestToneSoundsThenSilencesThePlayer() throws Exception {
        try (DatagramSocket capture = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             EngineBackend backend = new EngineBackend()) {
            capture.setSoTimeout(10_000);
            backend.testTone(new RosterEntry("capture", "127.0.0.1", capture.getLocalPort(), Protocol.LEGACY, "bass"), 440, 50);
            List<String> got = new ArrayList<>();
            byte[] buf = new byte[32];
            for (int i = 0; i < 2; i++) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                capture.receive(p);
                got.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII));
            }
            assertThat(got).containsExactly("440", "0");
        }
    }
}
