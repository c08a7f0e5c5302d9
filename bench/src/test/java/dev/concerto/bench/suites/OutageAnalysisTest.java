package dev.concerto.bench.suites;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.bench.report.Stats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an outage did, from the director's and a player's events: tones held on, and the changes after it. */
class OutageAnalysisTest {

    @TempDir
    Path dir;

    /**
     * The director meant 440 Hz at 1.0 s, 330 Hz at 1.5 s (sent at 1.4 s, inside the outage 1.3–1.6 s: lost) and
     * 262 Hz at 2.0 s (sent at 1.9 s, after it). The player kept 440 Hz until its lease (750 ms) ended at 1.75 s,
     * then 262 Hz from 2.0 s.
     */
    @Test
    void aToneHeldOnAfterAnOutageIsMeasuredAgainstItsLeaseAndTheChangesAfterItAreCounted() throws Exception {
        Path director = Files.writeString(dir.resolve("director.events.jsonl"), String.join("\n",
                line("p", 440, 1_000_000, 900_000),
                line("p", 330, 1_500_000, 1_400_000),
                line("p", 262, 2_000_000, 1_900_000),
                line("p", 0, 2_500_000, 2_400_000)) + "\n");
        Path player = Files.writeString(dir.resolve("p.events.jsonl"), String.join("\n",
                "{\"t_us\":900100,\"event\":\"packet\",\"kind\":\"tone\",\"accepted\":true,\"hz\":440,\"lease_ms\":750}",
                "{\"t_us\":1000000,\"event\":\"tone\",\"hz\":440,\"sound_t_us\":1000000,\"cause\":\"start\"}",
                "{\"t_us\":1750000,\"event\":\"tone\",\"hz\":0,\"sound_t_us\":1750000,\"cause\":\"lease-end\"}",
                "{\"t_us\":1900100,\"event\":\"packet\",\"kind\":\"tone\",\"accepted\":true,\"hz\":262,\"lease_ms\":750}",
                "{\"t_us\":2000000,\"event\":\"tone\",\"hz\":262,\"sound_t_us\":2000000,\"cause\":\"start\"}",
                "{\"t_us\":2500000,\"event\":\"tone\",\"hz\":0,\"sound_t_us\":2500000,\"cause\":\"start\"}") + "\n");
        NetworkAnalysis.Result run = new NetworkAnalysis.Result(4,
                List.of(new NetworkAnalysis.Onset("p", 1.0, 2_000_000, 300), new NetworkAnalysis.Onset("p", 1.5, 2_500_000, -100)),
                new Stats(), new Stats(), 0, 0, 1, Map.of(), Map.of(), null, null);

        OutageAnalysis.Result r = OutageAnalysis.analyse(List.of("p"), voice -> player, director,
                List.of(new OutageAnalysis.Outage("p", 1_300_000, 1_600_000), new OutageAnalysis.Outage("p", 9_000_000, 9_300_000)),
                run);

        assertThat(r.outages()).as("the one outage during the piece").isEqualTo(1);
        assertThat(r.wrongInOutage()).isEqualTo(1);
        assertThat(r.longestAfterStart()).as("440 Hz held from 1.5 s to 1.75 s").isEqualTo(450_000);
        assertThat(r.leaseOfLongest()).isEqualTo(750_000);
        assertThat(r.pastLease()).isZero();
        assertThat(r.resumedExpected()).as("262 Hz and the silence, sent after the outage").isEqualTo(2);
        assertThat(r.resumedInStep()).isEqualTo(2);
        assertThat(r.resumedError().max()).isEqualTo(300);
        assertThat(r.met()).isTrue();
    }

    @Test
    void aToneHeldBeyondItsLeaseMissesTheGoal() throws Exception {
        Path director = Files.writeString(dir.resolve("director.events.jsonl"), String.join("\n",
                line("p", 440, 1_000_000, 900_000),
                line("p", 0, 1_500_000, 1_400_000)) + "\n");
        Path player = Files.writeString(dir.resolve("p.events.jsonl"), String.join("\n",
                "{\"t_us\":900100,\"event\":\"packet\",\"kind\":\"tone\",\"accepted\":true,\"hz\":440,\"lease_ms\":750}",
                "{\"t_us\":1000000,\"event\":\"tone\",\"hz\":440,\"sound_t_us\":1000000,\"cause\":\"start\"}",
                "{\"t_us\":3000000,\"event\":\"tone\",\"hz\":0,\"sound_t_us\":3000000,\"cause\":\"watchdog\"}") + "\n");
        NetworkAnalysis.Result run = new NetworkAnalysis.Result(2, List.of(), new Stats(), new Stats(), 0, 0, 1, Map.of(),
                Map.of(), null, null);

        OutageAnalysis.Result r = OutageAnalysis.analyse(List.of("p"), voice -> player, director,
                List.of(new OutageAnalysis.Outage("p", 1_300_000, 1_600_000)), run);

        assertThat(r.pastLease()).isEqualTo(1);
        assertThat(r.longestAfterStart()).isEqualTo(1_700_000);
        assertThat(r.met()).isFalse();
    }

    /**
     * 440 Hz due at 1.35 s was sent at 1.25 s, before the outage (1.3–1.6 s); the silence due at 1.45 s was lost.
     * The tone's lease (400 ms) runs from its start: it ended at 1.75 s, 450 ms after the outage began but within
     * its lease of its own start. The 330 Hz after the outage came 40 ms late: not in step.
     */
    @Test
    void aToneThatBeganInsideTheOutageIsHeldToItsLeaseFromItsOwnStart() throws Exception {
        Path director = Files.writeString(dir.resolve("director.events.jsonl"), String.join("\n",
                line("p", 440, 1_350_000, 1_250_000),
                line("p", 0, 1_450_000, 1_350_000),
                line("p", 330, 2_000_000, 1_900_000)) + "\n");
        Path player = Files.writeString(dir.resolve("p.events.jsonl"), String.join("\n",
                "{\"t_us\":1250100,\"event\":\"packet\",\"kind\":\"tone\",\"accepted\":true,\"hz\":440,\"lease_ms\":400}",
                "{\"t_us\":1350000,\"event\":\"tone\",\"hz\":440,\"sound_t_us\":1350000,\"cause\":\"start\"}",
                "{\"t_us\":1750000,\"event\":\"tone\",\"hz\":0,\"sound_t_us\":1750000,\"cause\":\"lease-end\"}",
                "{\"t_us\":2040000,\"event\":\"tone\",\"hz\":330,\"sound_t_us\":2040000,\"cause\":\"start\"}") + "\n");
        NetworkAnalysis.Result run = new NetworkAnalysis.Result(3, List.of(), new Stats(), new Stats(), 0, 0, 1, Map.of(),
                Map.of(), null, null);

        OutageAnalysis.Result r = OutageAnalysis.analyse(List.of("p"), voice -> player, director,
                List.of(new OutageAnalysis.Outage("p", 1_300_000, 1_600_000)), run);

        assertThat(r.longestAfterStart()).isEqualTo(450_000);
        assertThat(r.leaseOfLongest()).isEqualTo(400_000);
        assertThat(r.pastLease()).isZero();
        assertThat(r.resumedExpected()).isEqualTo(1);
        assertThat(r.resumedInStep()).isZero();
        assertThat(r.met()).isFalse();
    }

    private static String line(String player, double hz, long deadline, long sent) {
        return String.format(java.util.Locale.ROOT, "{\"t_us\":%d,\"player\":\"%s\",\"dst\":\"127.0.0.1:1\",\"hz\":%s,"
                + "\"deadline_us\":%d,\"send_at_us\":%d}", sent, player, hz, deadline, sent);
    }
}
