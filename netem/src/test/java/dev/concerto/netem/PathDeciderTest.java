package dev.concerto.netem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathDeciderTest {

    private static List<PathDecider.Decision> run(Direction d, long seed, int n, long spacingMicros) {
        PathDecider decider = new PathDecider(d, seed);
        List<PathDecider.Decision> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(decider.decide(i * spacingMicros, 40));
        }
        return out;
    }

    @Test
    void sameSeedSameDecisions() {
        Direction d = PathProfile.Named.WIFI_BUSY.profile().toPlayer();
        assertThat(run(d, 42, 5_000, 1_000)).isEqualTo(run(d, 42, 5_000, 1_000));
        assertThat(run(d, 42, 5_000, 1_000)).isNotEqualTo(run(d, 43, 5_000, 1_000));
    }

    @Test
    void perfectPathForwardsAtOnceInOrder() {
        List<PathDecider.Decision> ds = run(Direction.PERFECT, 1, 100, 500);
        for (int i = 0; i < ds.size(); i++) {
            assertThat(ds.get(i).forwarded()).isTrue();
            assertThat(ds.get(i).releaseMicros()).isEqualTo(i * 500L);
            assertThat(ds.get(i).duplicateReleaseMicros()).isEqualTo(-1);
        }
    }

    @Test
    void lossRateIsAsConfigured() {
        List<PathDecider.Decision> ds = run(Direction.PERFECT.withLoss(0.05), 7, 100_000, 100);
        long lost = ds.stream().filter(x -> x.fate() == PathDecider.Fate.LOST_RANDOM).count();
        assertThat(lost / 100_000.0).isBetween(0.045, 0.055);
    }

    @Test
    void burstLossDropsEverythingInAnOutageAndNothingElse() {
        BurstLoss b = new BurstLoss(20_000_000, 300_000, 5_000_000);
        List<PathDecider.Decision> ds = run(Direction.PERFECT.withBurst(b), 7, 60_000, 1_000); // 60 s, one a ms
        for (int i = 0; i < ds.size(); i++) {
            long t = i * 1_000L;
            boolean inOutage = (t >= 5_000_000 && t < 5_300_000) || (t >= 25_000_000 && t < 25_300_000)
                    || (t >= 45_000_000 && t < 45_300_000);
            assertThat(ds.get(i).fate()).as("t=%d", t)
                    .isEqualTo(inOutage ? PathDecider.Fate.LOST_BURST : PathDecider.Fate.FORWARDED);
        }
    }

    @Test
    void lognormalJitterHasItsMedianAndP99() {
        Jitter j = new Jitter.LogNormal(2_000, 40_000);
        SplittableRandom r = new SplittableRandom(3);
        long[] xs = new long[200_000];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = j.sampleMicros(r);
        }
        Arrays.sort(xs);
        assertThat(xs[xs.length / 2]).isBetween(1_900L, 2_100L);
        assertThat(xs[(int) (xs.length * 0.99)]).isBetween(36_000L, 44_000L);
    }

    @Test
    void paretoIsHeavyTailedAndCapped() {
        Jitter j = new Jitter.Pareto(30_000, 1.5, 400_000);
        SplittableRandom r = new SplittableRandom(3);
        long max = 0;
        int beyond10x = 0;
        for (int i = 0; i < 100_000; i++) {
            long x = j.sampleMicros(r);
            max = Math.max(max, x);
            beyond10x += x > 300_000 ? 1 : 0;
        }
        assertThat(max).isEqualTo(400_000);
        assertThat(beyond10x).isGreaterThan(100); // a heavy tail: ~2.4 % beyond 10 scales
    }

    @Test
    void inOrderDatagramsNeverOvertakeEachOther() {
        Direction d = Direction.PERFECT.withBase(1_000).withJitter(new Jitter.LogNormal(2_000, 40_000));
        List<PathDecider.Decision> ds = run(d, 5, 10_000, 200);
        for (int i = 1; i < ds.size(); i++) {
            assertThat(ds.get(i).releaseMicros()).isGreaterThanOrEqualTo(ds.get(i - 1).releaseMicros());
        }
    }

    @Test
    void reorderedDatagramsAreOvertaken() {
        Direction d = Direction.PERFECT.withBase(1_000).withReordering(0.1, 5_000);
        List<PathDecider.Decision> ds = run(d, 5, 10_000, 1_000);
        int overtaken = 0;
        for (int i = 0; i + 1 < ds.size(); i++) {
            if (ds.get(i).reordered()) {
                assertThat(ds.get(i).releaseMicros()).isEqualTo(i * 1_000L + 6_000);
                if (ds.get(i + 1).releaseMicros() < ds.get(i).releaseMicros()) {
                    overtaken++;
                }
            }
        }
        assertThat(overtaken).isGreaterThan(800);
    }

    @Test
    void duplicatesComeAfterTheOriginal() {
        Direction d = Direction.PERFECT.withBase(500).withJitter(new Jitter.LogNormal(100, 1_000)).withDuplication(0.2);
        List<PathDecider.Decision> ds = run(d, 9, 10_000, 1_000);
        long dups = ds.stream().filter(x -> x.duplicateReleaseMicros() >= 0).count();
        assertThat(dups / 10_000.0).isBetween(0.18, 0.22);
        ds.stream().filter(x -> x.duplicateReleaseMicros() >= 0)
                .forEach(x -> assertThat(x.duplicateReleaseMicros()).isGreaterThanOrEqualTo(x.releaseMicros()));
    }

    @Test
    void rateLimitQueuesBackToBackDatagrams() {
        // 8 kbit/s: a 100-byte datagram occupies the link 100 ms.
        PathDecider decider = new PathDecider(Direction.PERFECT.withRate(8_000), 1);
        assertThat(decider.decide(0, 100).releaseMicros()).isEqualTo(100_000);
        assertThat(decider.decide(0, 100).releaseMicros()).isEqualTo(200_000);
        assertThat(decider.decide(1_000_000, 100).releaseMicros()).isEqualTo(1_100_000);
    }

    @Test
    void asymmetricProfileAddsDelayOneWayOnly() {
        PathProfile p = PathProfile.Named.ASYMMETRIC.profile();
        assertThat(p.toPlayer().extraMicros()).isEqualTo(4_000);
        assertThat(p.fromPlayer().extraMicros()).isZero();
        PathDecider there = new PathDecider(p.toPlayer(), 1);
        PathDecider back = new PathDecider(p.fromPlayer(), 1);
        assertThat(there.decide(0, 40).releaseMicros() - back.decide(0, 40).releaseMicros()).isEqualTo(4_000);
    }

    @Test
    void traceIsReplayedInOrderFromASeededStart(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("delays.txt");
        Files.writeString(f, "# one-way delays, ms\n1\n2.5\n\n10\n");
        Jitter.Trace t = Jitter.Trace.load(f);
        assertThat(t.size()).isEqualTo(3);
        List<PathDecider.Decision> ds = run(Direction.PERFECT.withJitter(t), 11, 6, 100_000);
        long[] delays = new long[6];
        for (int i = 0; i < 6; i++) {
            delays[i] = ds.get(i).releaseMicros() - i * 100_000L;
        }
        // Cyclic, whatever the start: each delay is followed by the next one of the file.
        List<Long> cycle = List.of(1_000L, 2_500L, 10_000L);
        int start = cycle.indexOf(delays[0]);
        for (int i = 0; i < 6; i++) {
            assertThat(delays[i]).isEqualTo(cycle.get((start + i) % 3));
        }
    }

    @Test
    void aBadTraceNamesTheFileAndLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.txt");
        Files.writeString(f, "1\nfast\n");
        assertThatThrownBy(() -> Jitter.Trace.load(f)).isInstanceOf(IOException.class)
                .hasMessageContaining("bad.txt:2").hasMessageContaining("'fast'");
    }

    @Test
    void profilesParseByTheirCommandLineNames() {
        for (PathProfile.Named n : PathProfile.Named.values()) {
            assertThat(PathProfile.Named.parse(n.cliName())).isEqualTo(n);
            assertThat(n.profile().name()).isEqualTo(n.cliName());
        }
        assertThatThrownBy(() -> PathProfile.Named.parse("5g")).hasMessageContaining("wifi-busy");
    }
}
