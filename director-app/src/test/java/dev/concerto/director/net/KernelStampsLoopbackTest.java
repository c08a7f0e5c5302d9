package dev.concerto.director.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.concerto.director.engine.PlayState;
import dev.concerto.director.engine.PlayerStream;
import dev.concerto.director.engine.Protocol;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.engine.Timelines;
import dev.concerto.director.engine.TimedOptions;
import dev.concerto.player.PlayerConfig;
import dev.concerto.player.PlayerNode;
import dev.concerto.player.stamp.KernelStamps;
import dev.concerto.player.synth.NullGenerator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real player and the director on loopback, with the kernel's time stamps (Linux 64-bit) and
 * without them ({@link KernelStamps#PROPERTY} off): the sync exchange works either way, and with
 * them the director's {@code t1} is the kernel's send stamp. Behaviour only: the offset bound is a
 * busy machine's, not a precision claim (both ends read one clock, so the true offset is 0).
 */
class KernelStampsLoopbackTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static boolean linux64() {
        String arch = System.getProperty("os.arch", "");
        return System.getProperty("os.name", "").toLowerCase().contains("linux")
                && (arch.equals("amd64") || arch.equals("aarch64"));
    }

    /** Plays two short voices to one real timed player; returns {link stamped?, kernel t1s, replies, player stamped?, its send lag}. */
    private static long[] playOnce() throws Exception {
        try (NullGenerator gen = new NullGenerator()) {
            PlayerNode node = new PlayerNode(PlayerConfig.of(gen).withLoopbackEphemeral().withName("alto"));
            node.start();
            try {
                Roster roster = new Roster("r", List.of(
                        new RosterEntry("alto", "127.0.0.1", node.localAddress().getPort(), Protocol.TIMED, "melody", 0)));
                try (DirectorEngine engine = DirectorEngine.builder(Timelines.twoVoices(2), roster).tempo(2000)
                        .shutdownHook(false).options(TimedOptions.defaults().withSyncTimeout(Duration.ofSeconds(5))).build()) {
                    engine.play();
                    assertThat(engine.awaitState(s -> s.state() == PlayState.STOPPED && s.notesSent() > 0, WAIT)).isTrue();
                    PlayerStream stream = engine.streams().get(0);
                    long replies = stream.clockSync().replyCount();
                    assertThat(replies).isPositive();
                    assertThat(node.counters().syncReplies()).isGreaterThanOrEqualTo(replies);
                    assertThat(Math.abs(engine.state().players().get(0).offsetMicros())).isLessThan(5_000);
                    return new long[] {engine.links().get(0).kernelStamps() ? 1 : 0, stream.clockSync().kernelDepartureCount(),
                            replies, node.kernelStamps() ? 1 : 0, node.sendLagNanos()};
                }
            } finally {
                node.close();
            }
        }
    }

    @Test
    void withKernelStampsTheExchangeUsesTheKernelsSendStamps() throws Exception {
        assumeTrue(linux64());
        System.setProperty(KernelStamps.PROPERTY, "on"); // off unless turned on
        long[] r;
        try {
            r = playOnce();
        } finally {
            System.clearProperty(KernelStamps.PROPERTY);
        }
        assertThat(r[0]).as("the director's link reads kernel stamps").isEqualTo(1);
        assertThat(r[1]).as("replies whose t1 was a kernel send stamp, of %d", r[2]).isPositive();
        assertThat(r[3]).as("the player reads kernel stamps").isEqualTo(1);
        assertThat(r[4]).as("the player's send lag, learnt from its replies' send stamps").isPositive();
    }

    @Test
    void turnedOffEveryStampIsUserSpaceAndPlayingWorksTheSame() throws Exception {
        System.setProperty(KernelStamps.PROPERTY, "off");
        try {
            long[] r = playOnce();
            assertThat(r[0]).isZero();
            assertThat(r[1]).isZero();
            assertThat(r[3]).isZero();
            assertThat(r[4]).isZero();
        } finally {
            System.clearProperty(KernelStamps.PROPERTY);
        }
    }
}
