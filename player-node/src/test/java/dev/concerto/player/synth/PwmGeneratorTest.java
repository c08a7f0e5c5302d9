package dev.concerto.player.synth;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.pwm.MockPwmProvider;
import dev.concerto.protocol.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hardware PWM through Pi4J's mock platform (the real provider is used on a Pi). */
class PwmGeneratorTest {

    Context pi4j;

    @BeforeEach
    void mockPi() {
        pi4j = Pi4J.newContextBuilder().add(new MockPlatform()).add(MockPwmProvider.newInstance()).build();
    }

    @AfterEach
    void shutdown() {
        pi4j.shutdown();
    }

    @Test
    void frequencyDutyOffAndShutdown() {
        PwmGenerator g = PwmGenerator.open(pi4j, 18, "mock-pwm", Clock.SYSTEM);
        List<String> applied = new ArrayList<>();
        g.setListener((hz, frame, t, tag) -> applied.add((int) hz + "@" + (frame >= 0)));
        assertThat(g.pwm().isOn()).isFalse();

        g.set(440);
        assertThat(g.pwm().isOn()).isTrue();
        assertThat(g.pwm().frequency()).isEqualTo(440);
        assertThat(g.pwm().dutyCycle()).isEqualTo(50f);

        g.set(262);
        assertThat(g.pwm().frequency()).isEqualTo(262);
        assertThat(g.pwm().dutyCycle()).isEqualTo(50f);

        g.set(0);
        assertThat(g.pwm().isOn()).isFalse();

        g.set(988);
        assertThat(g.pwm().isOn()).isTrue();
        g.close();
        assertThat(g.pwm().isOn()).as("PWM off on shutdown").isFalse();
        assertThat(applied).containsExactly("440@true", "262@true", "0@true", "988@true");
        assertThat(g.description()).contains("GPIO 18").contains("50 % duty");
    }

    @Test
    void aScheduledChangeWaitsForItsFrame() throws Exception {
        PwmGenerator g = PwmGenerator.open(pi4j, 18, "mock-pwm", Clock.SYSTEM);
        long target = g.framePosition() + g.sampleRate() / 100; // 10 ms ahead
        java.util.concurrent.atomic.AtomicLong appliedAt = new java.util.concurrent.atomic.AtomicLong(-1);
        Object tag = new Object();
        g.setListener((hz, frame, t, applied) -> {
            if (applied == tag) {
                appliedAt.set(g.framePosition());
            }
        });
        g.schedule(523, target, tag);
        Audio.await(() -> appliedAt.get() >= 0, "the change applied");
        assertThat(appliedAt.get()).isGreaterThanOrEqualTo(target);
        assertThat(g.pwm().frequency()).isEqualTo(523);
        g.close();
    }

    @Test
    void aTimedPlayerDrivesThePwmAtTheScheduledTimeAndItsLeaseSwitchesItOff() throws Exception {
        PwmGenerator g = PwmGenerator.open(pi4j, 18, "mock-pwm", Clock.SYSTEM);
        List<long[]> applied = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.concerto.player.PlayerNode node = new dev.concerto.player.PlayerNode(
                dev.concerto.player.PlayerConfig.of(g).withLoopbackEphemeral().withWatchdogSeconds(0)).start();
        // After start: this test's listener replaces the node's (which only feeds currentHz and events).
        g.setListener((hz, frame, t, tag) -> {
            if (tag != null) {
                applied.add(new long[] {(long) hz, frame, g.pwm().isOn() ? g.pwm().frequency() : 0});
            }
        });
        try (java.net.DatagramSocket udp = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            long at = dev.concerto.player.PlayerNode.playerMicros(System.nanoTime()) + 200_000; // 200 ms ahead: robust on a busy machine
            byte[] msg = ("T 1 " + at + " 440 100").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            udp.send(new java.net.DatagramPacket(msg, msg.length, node.localAddress()));
            Audio.await(() -> applied.size() == 2, "start and lease end applied");
            assertThat(applied.get(0)[0]).isEqualTo(440);
            assertThat(applied.get(0)[2]).as("PWM frequency after the start").isEqualTo(440);
            assertThat(applied.get(0)[1]).as("not before its time").isGreaterThanOrEqualTo(g.frameAt(at * 1000));
            assertThat(applied.get(1)[0]).isZero();
            assertThat(applied.get(1)[2]).as("PWM off after the lease").isZero();
            assertThat(g.pwm().isOn()).isFalse();
            assertThat(node.counters().timedTones()).isEqualTo(1);
        } finally {
            node.close();
            g.close();
        }
    }

    @Test
    void linuxfsAddressesArePwmChannels() {
        assertThat(PwmGenerator.addressFor("linuxfs-pwm", 18)).isZero();
        assertThat(PwmGenerator.addressFor("linuxfs-pwm", 19)).isEqualTo(1);
        assertThat(PwmGenerator.addressFor("pigpio-pwm", 18)).isEqualTo(18);
    }
}
