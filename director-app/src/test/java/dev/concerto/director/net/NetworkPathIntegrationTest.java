package dev.concerto.director.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.concerto.director.engine.PlayState;
import dev.concerto.director.engine.PlayerStream;
import dev.concerto.director.engine.Protocol;
import dev.concerto.director.engine.Roster;
import dev.concerto.director.engine.RosterEntry;
import dev.concerto.director.engine.TimedOptions;
import dev.concerto.director.engine.Timelines;
import dev.concerto.director.score.Timeline;
import dev.concerto.netem.BurstLoss;
import dev.concerto.netem.Direction;
import dev.concerto.netem.Jitter;
import dev.concerto.netem.PathProfile;
import dev.concerto.netem.PathProxy;
import dev.concerto.player.Ensemble;
import dev.concerto.player.PlayerNode;
import dev.concerto.player.synth.ClockMappedGenerator;
import dev.concerto.player.synth.SynthOutput;
import dev.concerto.player.synth.SynthSettings;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.RejectReason;
import dev.concerto.protocol.SkewedClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The director and real player nodes with the network path emulator between them, on loopback.
 * Behaviour only: what arrives and what sounds, never how fast (waits are bounded and generous).
 */
class NetworkPathIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<PathProxy> proxies(Ensemble players, PathProfile profile) throws Exception {
        List<PathProxy> out = new ArrayList<>();
        for (int i = 0; i < players.size(); i++) {
            out.add(PathProxy.start(players.addresses().get(i), profile, 12 + i, Duration.ofMinutes(2)));
        }
        return out;
    }

    private static Roster rosterThrough(Timeline timeline, List<PathProxy> proxies) {
        List<RosterEntry> entries = new ArrayList<>();
        for (int i = 0; i < proxies.size(); i++) {
            String voice = timeline.voices().get(i).name();
            entries.add(new RosterEntry(voice, "127.0.0.1", proxies.get(i).address().getPort(), Protocol.TIMED, voice));
        }
        return new Roster("through the emulator", entries);
    }

    @Test
    void withLossAndDuplicationEveryMessageIsPlayedExactlyOnce() throws Exception {
        Direction lossy = Direction.PERFECT.withBase(1_000).withJitter(new Jitter.LogNormal(500, 5_000))
                .withLoss(0.05).withDuplication(0.1);
        Timeline timeline = Timelines.twoVoices(2);
        SynthOutput quiet = SynthOutput.virtual(SynthSettings.defaults(), 2, null, Clock.SYSTEM);
        try (Ensemble players = Ensemble.start(Ensemble.Config.loopback(2), quiet)) {
            List<PathProxy> proxies = proxies(players, PathProfile.symmetric("lossy", lossy));
            try {
                // Four copies of each message: losing all four at 5 % happens once in 160,000. A lead of a
                // second: a starved test JVM (a verify beside a benchmark) delayed copies past their lease,
                // and the player rightly dropped them as expired; this test is about loss, not timing.
                TimedOptions options = TimedOptions.defaults().withRedundancy(4).withLead(1000);
                try (DirectorEngine engine = DirectorEngine.builder(timeline, rosterThrough(timeline, proxies)).tempo(240).shutdownHook(false)
                        .options(options.withSyncTimeout(Duration.ofSeconds(10))).build()) {
                    engine.play();
                    assertThat(engine.awaitState(s -> s.state() == PlayState.STOPPED && s.notesSent() > 0, WAIT)).isTrue();
                    for (int i = 0; i < 2; i++) {
                        PlayerStream sender = engine.streams().get(i);
                        PlayerNode node = players.players().get(i);
                        long deadline = System.nanoTime() + WAIT.toNanos();
                        while (node.counters().timedTones() < sender.tones().messageCount() && System.nanoTime() < deadline) {
                            Thread.sleep(10);
                        }
                        Thread.sleep(200); // late duplicates still on the emulated path
                        // Every distinct message applied once: none lost, no copy applied twice.
                        assertThat(node.counters().timedTones()).as("player %d", i).isEqualTo(sender.tones().messageCount());
                        assertThat(node.counters().dropped(RejectReason.DUPLICATE)).as("player %d", i).isPositive();
                        assertThat(proxies.get(i).toPlayer().lostRandom()).as("the path lost some").isPositive();
                    }
                }
            } finally {
                proxies.forEach(PathProxy::close);
            }
        }
    }

    @Test
    void anOutageSilencesAPlayerWithinOneLease(@TempDir Path dir) throws Exception {
        // One 30 s note (at 60 BPM); the path goes dark 12 s after it opens (some seconds into the note) for
        // good. Not sooner: a starved machine took more than 6 s from the proxy's start to the first note
        // (the director's warm-up and its wait for settled clocks), and the note never got through.
        Timeline timeline = Timelines.of(8, Timelines.voice("drone", Timelines.note(0, 30, 440)));
        Direction dark = Direction.PERFECT.withBase(500).withBurst(new BurstLoss(600_000_000, 600_000_000, 12_000_000));
        Path events = dir.resolve("drone.events.jsonl");
        SynthOutput quiet = SynthOutput.virtual(SynthSettings.defaults(), 1, null, Clock.SYSTEM);
        try (Ensemble players = Ensemble.start(Ensemble.Config.loopback(1).withEventsFile(i -> events), quiet)) {
            List<PathProxy> proxies = proxies(players, PathProfile.symmetric("dark", dark));
            try {
                try (DirectorEngine engine = DirectorEngine.builder(timeline, rosterThrough(timeline, proxies)).tempo(60).shutdownHook(false)
                        .options(TimedOptions.defaults().withSyncTimeout(Duration.ofSeconds(10))).build()) {
                    engine.play();
                    // Wait (bounded) until the path has gone dark and the player, having sounded the note,
                    // has fallen silent by itself, while the director still plays it. (On a starved machine a
                    // renewal can come late before the outage too: a gap the next renewal ends, not the
                    // silence this test is about.)
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    List<long[]> tones = List.of();
                    while (System.nanoTime() < deadline) {
                        tones = tones(events);
                        if (tones.size() >= 2 && tones.get(tones.size() - 1)[0] == 0
                                && proxies.get(0).toPlayer().lostBurst() > 0) {
                            break;
                        }
                        Thread.sleep(50);
                    }
                    assertThat(tones).as("the note, then silence").hasSizeGreaterThanOrEqualTo(2);
                    assertThat(tones.get(0)[0]).isEqualTo(440);
                    assertThat(tones.get(tones.size() - 1)[0]).isZero();
                    assertThat(engine.state().state()).as("the director is still playing the note").isEqualTo(PlayState.PLAYING);
                    long outageBegan = proxies.get(0).toPlayer().lostBurst() > 0 ? 1 : 0;
                    assertThat(outageBegan).isEqualTo(1);
                    System.out.printf("silent %.2f s after the note began (the path dark from 12 s after it opened; leases of %d ms)%n",
                            (tones.get(tones.size() - 1)[1] - tones.get(0)[1]) / 1e6, TimedOptions.DEFAULT_MAX_LEASE_MILLIS);
                    engine.stop();
                }
            } finally {
                proxies.forEach(PathProxy::close);
            }
        }
    }

    @Test
    void aSkewedPlayerStaysInStepWithAnUnskewedOne(@TempDir Path dir) throws Exception {
        // Two voices with the same rhythm, a note on every beat for 24 s; player 2's clock runs 1000 ppm
        // fast (far beyond a real crystal): uncorrected, it would drift 24 ms by the end.
        List<dev.concerto.director.score.TimedNote> a = new ArrayList<>();
        List<dev.concerto.director.score.TimedNote> b = new ArrayList<>();
        for (int beat = 0; beat < 48; beat++) {
            a.add(Timelines.note(beat, 0.5, 300 + beat % 4));
            b.add(Timelines.note(beat, 0.5, 500 + beat % 4));
        }
        Timeline timeline = Timelines.of(12, Timelines.voice("steady", a.toArray(dev.concerto.director.score.TimedNote[]::new)),
                Timelines.voice("skewed", b.toArray(dev.concerto.director.score.TimedNote[]::new)));
        SkewedClock skewed = new SkewedClock(Clock.SYSTEM, 1000, Long.MAX_VALUE, 0);
        SynthOutput out = SynthOutput.virtual(SynthSettings.defaults(), 2, null, Clock.SYSTEM);
        Path steadyEvents = dir.resolve("steady.jsonl");
        Path skewedEvents = dir.resolve("skewed.jsonl");
        try (Ensemble steady = Ensemble.start(Ensemble.Config.loopback(1).withEventsFile(i -> steadyEvents),
                List.of(out.channel(0)), out, "steady");
             Ensemble drifting = Ensemble.start(Ensemble.Config.loopback(1).withEventsFile(i -> skewedEvents).withClock(skewed),
                     List.of(new ClockMappedGenerator(out.channel(1), skewed)), null, "skewed")) {
            List<PathProxy> proxies = new ArrayList<>();
            proxies.add(PathProxy.start(steady.addresses().get(0), PathProfile.Named.LAN.profile(), 1, Duration.ofMinutes(2)));
            proxies.add(PathProxy.start(drifting.addresses().get(0), PathProfile.Named.LAN.profile(), 2, Duration.ofMinutes(2)));
            try {
                try (DirectorEngine engine = DirectorEngine.builder(timeline, rosterThrough(timeline, proxies)).tempo(120).shutdownHook(false)
                        .options(TimedOptions.defaults().withSyncTimeout(Duration.ofSeconds(10))).build()) {
                    engine.play();
                    assertThat(engine.awaitState(s -> s.state() == PlayState.STOPPED && s.notesSent() > 0,
                            Duration.ofSeconds(90))).isTrue();
                }
            } finally {
                proxies.forEach(PathProxy::close);
            }
        }
        // When each player scheduled each note (wall clock, from its own events): the same instants.
        List<long[]> s1 = scheduledStarts(steadyEvents);
        List<long[]> s2 = scheduledStarts(skewedEvents);
        // Pair each beat of one with the nearest of the other (a note may be scheduled twice, e.g. re-sent).
        long worst = 0;
        int pairs = 0;
        long firstPaired = Long.MAX_VALUE;
        long lastPaired = Long.MIN_VALUE;
        for (long[] x : s1) {
            long nearest = Long.MAX_VALUE;
            for (long[] y : s2) {
                if (y[0] - 500 == x[0] - 300) { // the same beat's note (same position in the 4-note pattern)
                    nearest = Math.min(nearest, Math.abs(x[1] - y[1]));
                }
            }
            if (nearest < 250_000) { // a beat is 500 ms: nearest within half of it is the same beat
                pairs++;
                worst = Math.max(worst, nearest);
                firstPaired = Math.min(firstPaired, x[1]);
                lastPaired = Math.max(lastPaired, x[1]);
            }
        }
        System.out.printf("skewed player (+1000 ppm) against the steady one: worst %d µs over 24 s (%d beats paired;"
                + " starts scheduled: steady %d, skewed %d)%n", worst, pairs, s1.size(), s2.size());
        // Behaviour, not load: on a starved machine some starts go missing (39 of 48 paired once, in a verify at
        // the lowest priority beside a benchmark), so not every beat need pair up; half of them, spread over
        // the piece, show the skew followed to its end.
        assertThat(pairs).as("beats found on both players (some starts may be missing on a loaded machine)")
                .isGreaterThanOrEqualTo(24);
        assertThat(lastPaired - firstPaired).as("paired beats span the piece (µs), so the end's drift is checked")
                .isGreaterThan(18_000_000L);
        // Generous for a busy machine (the estimator's input is real UDP timing), and still two thirds of the
        // 24 ms an uncorrected skew would reach. 9.3-9.7 ms were seen here while false clock steps at the
        // start pinned the skew near zero; 1.6-3.0 ms at load 15-18 since, all of it in the first seconds,
        // before the exchanges pin the skew.
        assertThat(worst).isLessThan(16_000);
    }

    /** The start of each note a player scheduled: {hz, scheduled wall-clock µs}, in order. */
    private static List<long[]> scheduledStarts(Path events) throws Exception {
        List<long[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(events)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            if ("tone".equals(n.path("event").asText()) && n.has("scheduled_t_us") && n.path("hz").asDouble() > 0
                    && "start".equals(n.path("cause").asText())) {
                out.add(new long[] {Math.round(n.path("hz").asDouble()), n.path("scheduled_t_us").asLong()});
            }
        }
        return out;
    }

    /** The player's applied tone changes: {hz, t_us}. */
    private static List<long[]> tones(Path events) throws Exception {
        List<long[]> out = new ArrayList<>();
        if (!Files.exists(events)) {
            return out;
        }
        for (String line : Files.readAllLines(events)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            if ("tone".equals(n.path("event").asText())) {
                out.add(new long[] {Math.round(n.path("hz").asDouble()), n.path("t_us").asLong()});
            }
        }
        return out;
    }
}
