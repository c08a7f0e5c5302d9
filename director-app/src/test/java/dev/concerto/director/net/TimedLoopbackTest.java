package dev.concerto.director.net;

import dev.concerto.director.engine.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.concerto.director.score.Timeline;
import dev.concerto.director.score.VoiceTimeline;
import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.Clock;
import dev.concerto.protocol.TimedMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine with timed and auto players on real loopback UDP and real threads: loopback players
 * ({@link FakeTimedPlayer}) answer clock sync from clocks offset by seconds, and the test checks
 * the tone messages they receive (start times in their own clocks, leases, sequence numbers,
 * redundancy, signatures), the published liveness and clock figures, and auto falling back to the
 * plain integer for a receiver that never answers. Bounded waits only; no timing is asserted
 * beyond what the messages themselves say.
 */
class TimedLoopbackTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Four voices, each: a 0.5-beat note on every beat for 4 beats (0.125 s at 240 bpm), then rests. */
    static Timeline fourVoices() {
        List<VoiceTimeline> voices = new ArrayList<>();
        for (int v = 0; v < 4; v++) {
            List<dev.concerto.director.score.TimedNote> notes = new ArrayList<>();
            for (int b = 0; b < 4; b++) {
                notes.add(Timelines.note(b, 0.5, 200 + 100 * v + b));
            }
            voices.add(new VoiceTimeline("v" + v, notes));
        }
        return Timelines.of(1, voices.toArray(VoiceTimeline[]::new));
    }

    private static List<TimedMessage.Tone> distinct(List<TimedMessage.Tone> all) {
        Map<Long, TimedMessage.Tone> bySeq = new LinkedHashMap<>();
        all.forEach(t -> bySeq.putIfAbsent(t.seq(), t));
        return new ArrayList<>(bySeq.values());
    }

    /**
     * The tones without the re-stamped copies a clock step causes (PROTOCOL.md: after a step the
     * changes handed over ahead are sent again, same frequency, start converted anew): on a busy
     * machine the estimator can see a step even on loopback, and the copy is not a new note.
     */
    private static List<TimedMessage.Tone> withoutRestamps(List<TimedMessage.Tone> tones, long restamped) {
        List<TimedMessage.Tone> kept = new ArrayList<>();
        long left = restamped; // the director counts what it re-stamped: drop no more than that
        for (TimedMessage.Tone t : tones) {
            boolean copy = left > 0 && kept.stream().anyMatch(k -> k.milliHz() == t.milliHz()
                    && Math.abs(k.atMicros() - t.atMicros()) < 20_000);
            if (copy) {
                left--;
            } else {
                kept.add(t);
            }
        }
        return kept;
    }

    @Test
    void theFirstNoteWaitsUntilEveryClockHasSettled() throws Exception {
        // Each player is asked the burst and then ten a second while its estimate settles; no tone may
        // go out before every player answered DirectorEngine.SETTLED_ANSWERS requests, unless the wait's
        // bound (SETTLE_WAIT_NANOS after the burst) ran out first (a very busy machine).
        List<FakeTimedPlayer> players = new ArrayList<>();
        try {
            List<RosterEntry> entries = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                FakeTimedPlayer p = new FakeTimedPlayer(1_000_000L * i, true, null);
                players.add(p);
                entries.add(new RosterEntry("p" + i, "127.0.0.1", p.port(), Protocol.TIMED, "v" + i, 0));
            }
            try (DirectorEngine engine = DirectorEngine.builder(fourVoices(), new Roster("r", entries)).tempo(240)
                    .shutdownHook(false).options(TimedOptions.defaults().withSyncTimeout(Duration.ofSeconds(5))).build()) {
                engine.play();
                assertThat(engine.awaitState(s -> s.state() == PlayState.STOPPED && s.notesSent() > 0, WAIT)).isTrue();
            }
            for (FakeTimedPlayer p : players) {
                List<FakeTimedPlayer.Received> got = p.received();
                int firstTone = -1;
                for (int k = 0; k < got.size() && firstTone < 0; k++) {
                    if (got.get(k).timed() instanceof TimedMessage.Tone) {
                        firstTone = k;
                    }
                }
                assertThat(firstTone).isPositive();
                List<FakeTimedPlayer.Received> requests = got.subList(0, firstTone).stream()
                        .filter(r -> r.timed() instanceof TimedMessage.SyncRequest).toList();
                long burstOut = requests.get(ClockSyncClient.BURST - 1).atPlayerMicros();
                long waited = got.get(firstTone).atPlayerMicros() - burstOut;
                assertThat(requests.size() >= DirectorEngine.SETTLED_ANSWERS
                        || waited * 1000 >= DirectorEngine.SETTLE_WAIT_NANOS)
                        .as("%d requests answered, %d µs after the burst, before the first tone", requests.size(), waited)
                        .isTrue();
            }
        } finally {
            players.forEach(FakeTimedPlayer::close);
        }
    }

    @Test
    void timedPlayersGetEveryNoteAheadInTheirOwnClockSignedAndRepeated() throws Exception {
        Authenticator key = new Authenticator("a shared key of at least 16 bytes".getBytes(StandardCharsets.US_ASCII));
        long[] offsets = {3_000_000_000L, -2_000_000L, 0, 77_000_000L}; // each player's clock, against ours
        long[] restamped = new long[4];
        long[] shed = new long[4];
        List<FakeTimedPlayer> players = new ArrayList<>();
        try {
            List<RosterEntry> entries = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                FakeTimedPlayer p = new FakeTimedPlayer(offsets[i], true, key);
                players.add(p);
                entries.add(new RosterEntry("p" + i, "127.0.0.1", p.port(), i == 3 ? Protocol.AUTO : Protocol.TIMED, "v" + i,
                        i == 2 ? -20 : 0));
            }
            TimedOptions options = TimedOptions.defaults().withLead(TimedOptions.DEFAULT_LEAD_MILLIS).withRedundancy(2)
                    .withAuthenticator(key);
            Timeline timeline = fourVoices();
            try (DirectorEngine engine = DirectorEngine.builder(timeline, new Roster("r", entries)).tempo(240)
                    .shutdownHook(false).options(options.withSyncTimeout(Duration.ofSeconds(5))).build()) {
                assertThat(engine.leadNanos()).isEqualTo(100_000_000L);
                assertThat(engine.streams()).extracting(PlayerStream::protocolInUse).containsOnly(Protocol.TIMED);
                engine.play();
                assertThat(engine.awaitState(s -> s.state() == PlayState.STOPPED && s.notesSent() > 0, WAIT)).isTrue();
                TransportState state = engine.state();
                for (int i = 0; i < 4; i++) {
                    restamped[i] = engine.streams().get(i).tones().restampedCount();
                    shed[i] = engine.streams().get(i).tones().shedCount();
                    PlayerActivity a = state.players().get(i);
                    assertThat(a.liveness()).isEqualTo(PlayerActivity.Liveness.REACHABLE);
                    assertThat(a.rttMicros()).isNotNegative();
                    // Loopback is symmetric: the estimate is the true offset to within scheduling noise
                    // (generous: these players are threads of a test JVM on a shared machine).
                    assertThat(Math.abs(a.offsetMicros() - offsets[i])).as("offset of p" + i).isLessThan(5_000);
                }
            }
            for (FakeTimedPlayer p : players) {
                assertThat(p.await(x -> !x.tones().isEmpty() && x.tones().get(x.tones().size() - 1).milliHz() == 0, WAIT)).isTrue();
                assertThat(p.received()).allSatisfy(r -> assertThat(r.rejected()).as(r.raw()).isNull());
            }
            long[] firstAt = new long[4];
            for (int i = 0; i < 4; i++) {
                FakeTimedPlayer p = players.get(i);
                List<TimedMessage.Tone> all = p.tones();
                List<TimedMessage.Tone> numbered = distinct(all);
                // Two copies of each (loopback loses nothing) but those the director left out (it fell
                // behind on a busy machine: SendBudget, half the lead left), numbers consecutive.
                assertThat(all).hasSize(2 * numbered.size() - (int) shed[i]);
                for (int k = 1; k < numbered.size(); k++) {
                    assertThat(numbered.get(k).seq()).isEqualTo(numbered.get(k - 1).seq() + 1);
                }
                List<TimedMessage.Tone> tones = withoutRestamps(numbered, restamped[i]);
                // The notes and their ends, in order; then the silences of the end of the piece.
                List<TimedMessage.Tone> music = tones.subList(0, 8);
                assertThat(music).extracting(t -> t.milliHz() / 1000).containsExactly(
                        200L + 100 * i, 0L, 201L + 100 * i, 0L, 202L + 100 * i, 0L, 203L + 100 * i, 0L);
                // Start times: the score's times (0.25 s per beat at 240 bpm) in the player's clock.
                long t0 = music.get(0).atMicros();
                firstAt[i] = t0 - offsets[i];
                for (int k = 0; k < 8; k++) {
                    long expected = t0 + k * 125_000L;
                    assertThat(music.get(k).atMicros()).as("p%d message %d", i, k).isBetween(expected - 3_000, expected + 3_000);
                }
                // A 0.125 s note's lease: its length plus the margin.
                assertThat(music.get(0).leaseMillis()).isEqualTo(125 + TimedOptions.LEASE_MARGIN_MILLIS);
                // Sent ahead: the player had each message before its start (printed: a busy machine may be late).
                long early = p.toneReceipts().stream().filter(r -> r.timed() == music.get(2) || r.timed().equals(music.get(2)))
                        .mapToLong(r -> music.get(2).atMicros() - r.atPlayerMicros()).findFirst().orElse(0);
                System.out.printf("p%d: third message arrived %d us before its start (lead 100 ms)%n", i, early);
            }
            // The same score instant, in the director's clock, for every player (to within sync noise,
            // against offsets of seconds); p2, with latencyOffsetMs -20, 20 ms earlier.
            System.out.printf("first start minus p0's, director clock: p1 %d us, p2 %d us, p3 %d us%n",
                    firstAt[1] - firstAt[0], firstAt[2] - firstAt[0], firstAt[3] - firstAt[0]);
            assertThat(Math.abs(firstAt[1] - firstAt[0])).isLessThan(5_000);
            assertThat(Math.abs(firstAt[3] - firstAt[0])).isLessThan(5_000);
            assertThat(firstAt[0] - firstAt[2]).isBetween(15_000L, 25_000L);
        } finally {
            players.forEach(FakeTimedPlayer::close);
        }
    }

    @Test
    void autoUsesTheTimedProtocolForAPlayerThatAnswersAndThePlainIntegerForOneThatDoesNot() throws Exception {
        try (FakeTimedPlayer timed = new FakeTimedPlayer(0, true, null);
             FakeTimedPlayer esp8266 = new FakeTimedPlayer(0, false, null)) {
            List<RosterEntry> entries = List.of(timed.entry("pi", Protocol.AUTO, "v0"), esp8266.entry("esp", Protocol.AUTO, "v1"));
            Timeline timeline = fourVoices();
            try (DirectorEngine engine = DirectorEngine.builder(timeline, new Roster("r", entries)).tempo(240)
                    .shutdownHook(false).options(TimedOptions.defaults().withSyncTimeout(Duration.ofMillis(500))).build()) {
                assertThat(engine.streams()).extracting(PlayerStream::protocolInUse).containsExactly(Protocol.TIMED, Protocol.LEGACY);
                engine.play();
                assertThat(engine.awaitState(s -> s.state() == PlayState.STOPPED && s.notesSent() > 0, WAIT)).isTrue();
                assertThat(engine.state().players()).extracting(PlayerActivity::liveness)
                        .containsExactly(PlayerActivity.Liveness.REACHABLE, PlayerActivity.Liveness.UNKNOWN);
                assertThat(engine.state().players().get(1).rttMicros()).isEqualTo(-1);
            }
            assertThat(esp8266.await(p -> p.plain().size() >= 8 + Silence.REPEATS, WAIT)).isTrue();
            assertThat(CaptureReceiver.collapsed(esp8266.plain())).containsExactly(300, 0, 301, 0, 302, 0, 303, 0);
            assertThat(esp8266.tones()).isEmpty();
            assertThat(timed.await(p -> p.tones().size() >= 8, WAIT)).isTrue();
            assertThat(timed.plain()).isEmpty();
        }
    }

    @Test
    void theStateShowsEachPlayersClockWhileIdleAndSilentOnceItStopsAnswering() throws Exception {
        FakeTimedPlayer p = new FakeTimedPlayer(42_000_000L, true, null);
        try (DirectorEngine engine = DirectorEngine.builder(fourVoices(), new Roster("r", List.of(p.entry("pi", Protocol.TIMED, "v0"))))
                .shutdownHook(false).build()) {
            PlayerActivity a = engine.state().players().get(0);
            assertThat(a.liveness()).isEqualTo(PlayerActivity.Liveness.REACHABLE);
            assertThat(a.rttMicros()).isNotNegative();
            // Generous, as above: the fake player is a thread of a test JVM on a shared machine.
            assertThat(Math.abs(a.offsetMicros() - 42_000_000L)).isLessThan(5_000);
            // Never played: the clock-sync thread keeps asking and the engine keeps publishing.
            long asked = engine.streams().get(0).clockSync().requestCount();
            assertThat(p.await(x -> engine.streams().get(0).clockSync().requestCount() > asked + 1, WAIT)).isTrue();
            p.close();
            assertThat(engine.awaitState(s -> s.players().get(0).liveness() == PlayerActivity.Liveness.SILENT, WAIT)).isTrue();
            assertThat(engine.state().state()).isEqualTo(PlayState.STOPPED);
        } finally {
            p.close();
        }
    }

    @Test
    void aTimedPlayerThatNeverAnswersStopsPlayWithAClearMessage() throws Exception {
        try (FakeTimedPlayer silent = new FakeTimedPlayer(0, false, null)) {
            Roster roster = new Roster("r", List.of(silent.entry("bass Pi", Protocol.TIMED, "v0")));
            assertThatThrownBy(() -> DirectorEngine.builder(fourVoices(), roster).shutdownHook(false)
                    .options(TimedOptions.defaults().withSyncTimeout(Duration.ofMillis(300))).build())
                    .isInstanceOf(PlayerSyncException.class)
                    .hasMessageContaining("'bass Pi' at 127.0.0.1:" + silent.port())
                    .hasMessageContaining("protocol auto");
            // It was asked for the time, and sent nothing else.
            assertThat(silent.received()).isNotEmpty().allSatisfy(r -> assertThat(r.timed()).isInstanceOf(TimedMessage.SyncRequest.class));
        }
    }
}
