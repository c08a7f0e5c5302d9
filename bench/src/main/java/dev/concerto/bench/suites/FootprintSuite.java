package dev.concerto.bench.suites;

import dev.concerto.bench.BenchContext;
import dev.concerto.bench.Suite;
import dev.concerto.bench.report.Table;
import dev.concerto.bench.run.ManagedProcess;
import dev.concerto.bench.run.PlayerProcesses;
import dev.concerto.protocol.LegacyCodec;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;

/** A player's resident memory, CPU while idle and while playing, and time from start to ready. */
public final class FootprintSuite implements Suite {

    @Override
    public String name() {
        return "footprint";
    }

    @Override
    public String description() {
        return "player RSS, CPU idle and while playing 16 notes/s, time from start to ready";
    }

    @Override
    public List<Table> run(BenchContext ctx) throws Exception {
        int seconds = ctx.quick() ? 5 : 20;
        Table table = new Table("Player footprint (one player process, 48 kHz, no events file)", "synth", "start to ready (ms)",
                "RSS idle (MB)", "CPU idle (%)", "RSS playing (MB)", "CPU playing (%)");
        for (String synth : List.of("virtual", "null")) {
            int port = dev.concerto.bench.run.LoopbackPorts.freeRange(1);
            long start = System.nanoTime();
            try (ManagedProcess player = ManagedProcess.startJava("player", ctx.jar("player-node"), null, List.of(),
                    List.of("--bind", "127.0.0.1:" + port, "--synth", synth, "--watchdog", "0"),
                    ctx.file("footprint/" + synth + ".log"))) {
                Matcher ready = player.awaitLine(PlayerProcesses.READY, Duration.ofSeconds(30));
                long readyMs = (System.nanoTime() - start) / 1_000_000;
                ctx.log().printf("   %s player ready on %s in %d ms%n", synth, ready.group(1), readyMs);
                Thread.sleep(1000); // let the JIT settle
                long cpu0 = player.cpuMillis();
                Thread.sleep(seconds * 1000L);
                double idleCpu = 100.0 * (player.cpuMillis() - cpu0) / (seconds * 1000.0);
                long idleRss = player.rssKb();
                cpu0 = player.cpuMillis();
                playNotes(port, seconds);
                double playCpu = 100.0 * (player.cpuMillis() - cpu0) / (seconds * 1000.0);
                table.row(synth, readyMs, String.format("%.0f", idleRss / 1024.0), String.format("%.1f", idleCpu),
                        String.format("%.0f", player.rssKb() / 1024.0), String.format("%.1f", playCpu));
            }
        }
        return List.of(table);
    }

    /** 16 notes a second for {@code seconds}, on absolute deadlines, to 127.0.0.1:port; then silence. */
    private static void playNotes(int port, int seconds) throws Exception {
        InetSocketAddress dst = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        int[] scale = {262, 294, 330, 349, 392, 440, 494, 523};
        byte[] buf = new byte[LegacyCodec.MAX_DATAGRAM_BYTES];
        try (DatagramSocket socket = new DatagramSocket()) {
            long t0 = System.nanoTime();
            for (int i = 0; i < seconds * 16; i++) {
                long deadline = t0 + i * 62_500_000L;
                LockSupport.parkNanos(deadline - System.nanoTime());
                int n = LegacyCodec.encode(scale[i % scale.length], buf, 0);
                socket.send(new DatagramPacket(buf, n, dst));
            }
            int n = LegacyCodec.encode(0, buf, 0);
            socket.send(new DatagramPacket(buf, n, dst));
        }
    }
}
