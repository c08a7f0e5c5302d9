package dev.concerto.player;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.player.synth.Audio;
import dev.concerto.player.synth.SynthOutput;
import dev.concerto.player.synth.SynthSettings;
import dev.concerto.player.synth.Waveform;
import dev.concerto.protocol.Clock;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnsembleTest {

    @TempDir
    Path dir;

    @Test
    void routesByPort() throws Exception {
        List<RecordingGenerator> gens = List.of(new RecordingGenerator(), new RecordingGenerator(),
                new RecordingGenerator());
        try (Ensemble e = Ensemble.start(Ensemble.Config.loopback(3), gens, null, "recording");
                Udp udp = new Udp()) {
            List<InetSocketAddress> to = e.addresses();
            assertThat(to).hasSize(3).doesNotHaveDuplicates();
            udp.send(to.get(2), "330");
            udp.send(to.get(0), "110");
            udp.send(to.get(1), "220");
            assertThat(gens.get(0).next()).isEqualTo(110.0);
            assertThat(gens.get(1).next()).isEqualTo(220.0);
            assertThat(gens.get(2).next()).isEqualTo(330.0);
            assertThat(e.counters(2).toneChanges()).isEqualTo(1);
        }
        assertThat(gens).allSatisfy(g -> assertThat(g.changes).containsExactly(0.0)); // silenced on close
    }

    @Test
    void oneThreadReadsEveryPlayerOfAnEnsembleAndAnswersEachFromItsOwnPort() throws Exception {
        List<RecordingGenerator> gens = List.of(new RecordingGenerator(), new RecordingGenerator(),
                new RecordingGenerator());
        try (Ensemble e = Ensemble.start(Ensemble.Config.loopback(3).withNamePrefix("one-loop-"), gens, null,
                "recording"); Udp udp = new Udp()) {
            long loops = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("players-one-loop-")).count();
            long perPlayer = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("player-one-loop-")).count();
            assertThat(loops).isEqualTo(1);
            assertThat(perPlayer).isZero();
            for (int i = 0; i < 3; i++) {
                udp.send(e.addresses().get(i), "S " + (i + 1) + " 1000");
                byte[] buf = new byte[256];
                java.net.DatagramPacket reply = new java.net.DatagramPacket(buf, buf.length);
                udp.socket.setSoTimeout(10_000);
                udp.socket.receive(reply);
                assertThat(new String(buf, 0, reply.getLength(), java.nio.charset.StandardCharsets.US_ASCII))
                        .startsWith("R " + (i + 1) + " 1000 ");
                assertThat(reply.getSocketAddress()).isEqualTo(e.addresses().get(i));
            }
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("players-one-loop-"));
    }

    @Test
    void eachPlayerOfAnEnsembleKeepsItsOwnTimedSequenceNumbersAndKey() throws Exception {
        List<RecordingGenerator> gens = List.of(new RecordingGenerator(), new RecordingGenerator());
        dev.concerto.protocol.Authenticator auth = new dev.concerto.protocol.Authenticator(
                "ensemble-shared-key-0123".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        long at = System.nanoTime() / 1000 + 5_000_000L; // 5 s ahead on the player's clock (within --max-ahead-ms)
        byte[] tone = dev.concerto.protocol.TimedCodec.encode(
                new dev.concerto.protocol.TimedMessage.Tone(1, at, 440_000, 100), auth);
        try (Ensemble e = Ensemble.start(Ensemble.Config.loopback(2).withAuth(auth), gens, null, "recording");
                Udp udp = new Udp()) {
            for (int i = 0; i < 2; i++) {
                udp.send(e.addresses().get(i), tone);     // the same seq to both players: not a duplicate
                udp.send(e.addresses().get(i), "T 2 " + at + " 880 100"); // unsigned
            }
            Audio.await(() -> e.counters(0).datagrams() == 2 && e.counters(1).datagrams() == 2, "all handled");
            for (int i = 0; i < 2; i++) {
                assertThat(e.counters(i).timedTones()).isEqualTo(1);
                assertThat(e.counters(i).dropped(dev.concerto.protocol.RejectReason.UNAUTHENTICATED)).isEqualTo(1);
                assertThat(gens.get(i).plan()).hasSize(2).first().asString().startsWith("440@");
            }
        }
    }

    @Test
    void consecutivePortsFromABase() throws Exception {
        // find a free base by binding an ephemeral pair of players first, then reuse its range
        for (int attempt = 0; attempt < 5; attempt++) {
            int base;
            try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0,
                    java.net.InetAddress.getLoopbackAddress())) {
                base = probe.getLocalPort();
            }
            if (base > 65_000) {
                continue;
            }
            List<RecordingGenerator> gens = List.of(new RecordingGenerator(), new RecordingGenerator());
            Ensemble.Config c = Ensemble.Config.loopback(2)
                    .withHost(java.net.InetAddress.getLoopbackAddress(), base);
            try (Ensemble e = Ensemble.start(c, gens, null, "recording")) {
                assertThat(e.addresses()).extracting(InetSocketAddress::getPort).containsExactly(base, base + 1);
                return;
            } catch (PlayerBindException busy) {
                // someone took the range meanwhile: try another
            }
        }
        throw new AssertionError("no free pair of consecutive ports found");
    }

    @Test
    void playersMixIntoOneOutputWithPerPlayerEvents() throws Exception {
        Path wav = dir.resolve("mix.wav");
        SynthOutput out = SynthOutput.virtual(SynthSettings.defaults().withWaveform(Waveform.SINE), 2, wav,
                Clock.SYSTEM);
        Ensemble.Config c = Ensemble.Config.loopback(2).withEventsFile(i -> dir.resolve("ev-" + i + ".jsonl"));
        try (Ensemble e = Ensemble.start(c, out); Udp udp = new Udp()) {
            udp.send(e.addresses().get(0), "440");
            udp.send(e.addresses().get(1), "660");
            Audio.await(() -> lines(dir.resolve("ev-1.jsonl")).contains("\"event\":\"tone\""), "a tone event");
            Audio.await(() -> lines(dir.resolve("ev-0.jsonl")).contains("\"event\":\"tone\""), "a tone event");
            Thread.sleep(300); // let a little audio be recorded (the output is paced in real time)
        }
        String ev0 = Files.readString(dir.resolve("ev-0.jsonl"));
        assertThat(ev0.lines().findFirst().orElseThrow()).contains("\"event\":\"wav-start\"")
                .contains("\"sample_rate\":48000");
        assertThat(ev0).contains("\"hz\":440").doesNotContain("\"hz\":660");
        float[] s = Audio.readWav(wav);
        assertThat(s.length).isGreaterThan(4_800);
        assertThat(Audio.peak(s, 0, s.length)).isGreaterThan(0.3).isLessThanOrEqualTo(0.5); // 2 voices * 0.5 / 2
    }

    private static String lines(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
