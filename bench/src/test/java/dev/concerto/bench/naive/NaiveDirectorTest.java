package dev.concerto.bench.naive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NaiveDirectorTest {

    @Test
    void followsTheEnginesSendRule() {
        var sends = NaiveDirector.sends(List.of(
                "voice,start_s,duration_s,hz",
                "bass,0.0,1.0,262",
                "arp,0.0,0.25,392",
                "arp,0.25,0.25,523",
                "arp,1.0,0.0,0",
                "bass,1.0,0.0,0"));
        assertThat(sends).extracting(s -> s.voice() + "@" + s.atSeconds() + "=" + s.hz()).containsExactly(
                "bass@0.0=262", "arp@0.0=392", "arp@0.25=523", "arp@0.5=0", "bass@1.0=0", "arp@1.0=0");
    }

    @Test
    void sendsToLoopbackReceiversAndLogsEachDatagram(@TempDir Path dir) throws Exception {
        Path dump = Files.writeString(dir.resolve("t.csv"), "v,0.0,0.02,440\nv,0.02,0.02,330\n");
        try (DatagramSocket rx = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            rx.setSoTimeout(5_000);
            int sent = NaiveDirector.play(dump, Map.of("v", (InetSocketAddress) rx.getLocalSocketAddress()), 1.0,
                    dir.resolve("events.jsonl"));
            List<String> got = new ArrayList<>();
            for (int i = 0; i < sent; i++) {
                DatagramPacket p = new DatagramPacket(new byte[16], 16);
                rx.receive(p);
                got.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII));
            }
            assertThat(got).containsExactly("440", "330", "0");
            assertThat(Files.readAllLines(dir.resolve("events.jsonl"))).hasSize(3)
                    .allSatisfy(l -> assertThat(l).contains("\"deadline_us\""));
        }
    }

    @Test
    void refusesNonLoopbackTargets(@TempDir Path dir) throws Exception {
        Path dump = Files.writeString(dir.resolve("t.csv"), "v,0.0,0.02,440\n");
        var remote = new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 7}), 10001);
        assertThatThrownBy(() -> NaiveDirector.play(dump, Map.of("v", remote), 1.0, dir.resolve("e")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    }
}
