package dev.concerto.player.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Issue 18's guarantees as properties of the core, on a fake clock: whatever arrives, from whoever,
 * with or without a key, nothing sounds longer than the guard after the last accepted message; and
 * a replayed signed message never changes what sounds.
 */
class PlayerCoreProperties {

    static final long T0 = 100_000_000;
    static final Peer[] PEERS = {CoreHarness.DIRECTOR, CoreHarness.RESTARTED, CoreHarness.STRANGER};
    static final Authenticator[] SIGNERS = {new Authenticator(CoreHarness.KEY, 1), new Authenticator(CoreHarness.KEY, 2),
            new Authenticator("a key this player does not hold".getBytes(StandardCharsets.US_ASCII), 3)};

    /** One datagram of an arbitrary session. */
    record Step(long delayMicros, int kind, int peer, int signer, long seq, long atOffsetMicros, int hz, int lease) {
        int replayOf() {
            return (int) (seq * 31 + hz);
        }
    }

    @Provide
    Arbitrary<Step> steps() {
        return Combinators.combine(
                Arbitraries.longs().between(0, 800_000),
                Arbitraries.integers().between(0, 5),           // 0-2 tone, 3 plain, 4 sync, 5 replay of an earlier datagram
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(-1, 2),          // -1 unsigned
                Arbitraries.longs().between(0, 40),
                Arbitraries.longs().between(-3_000_000, 12_000_000),
                Arbitraries.integers().between(0, 2_000),
                Arbitraries.integers().between(1, 600_000)).as(Step::new);
    }

    private static byte[] datagram(Step s, long now, List<byte[]> sent) {
        if (s.kind() == 5 && !sent.isEmpty()) {
            return sent.get(s.replayOf() % sent.size());
        }
        Authenticator a = s.signer() < 0 ? null : SIGNERS[s.signer()];
        byte[] d;
        if (s.kind() <= 2 || s.kind() == 5) {
            long at = Math.max(0, now + s.atOffsetMicros());
            d = TimedCodec.encode(new TimedMessage.Tone(s.seq(), at, s.hz() * 1000L, s.lease()), a);
        } else if (s.kind() == 3) {
            d = Integer.toString(s.hz()).getBytes(StandardCharsets.US_ASCII);
        } else {
            d = TimedCodec.encode(new TimedMessage.SyncRequest(s.seq(), now), a);
        }
        sent.add(d);
        return d;
    }

    /** Runs a session; returns the time of the last accepted datagram (or -1). */
    private static long run(CoreHarness h, List<Step> session) {
        long lastAccepted = -1;
        List<byte[]> sent = new ArrayList<>();
        for (Step s : session) {
            h.at(h.now + s.delayMicros());
            PlayerCounters before = h.core.counters();
            h.send(datagram(s, h.now, sent), PEERS[s.peer()]);
            PlayerCounters after = h.core.counters();
            if (after.toneChanges() > before.toneChanges() || after.syncReplies() > before.syncReplies()) {
                lastAccepted = h.now;
            }
        }
        return lastAccepted;
    }

    @Property(tries = 300)
    void withAWatchdogNothingSoundsLongerThanItAfterTheLastAcceptedMessage(
            @ForAll @Size(max = 60) List<@net.jqwik.api.From("steps") Step> session, @ForAll boolean keyed) {
        CoreHarness h = new CoreHarness(new PlayerCore.Settings("p", SourceFilter.ANYONE,
                keyed ? new Authenticator(CoreHarness.KEY, 9) : null, 2, PlayerLimits.DEFAULTS, 23_999, true), T0);
        long last = run(h, session);
        for (int i = 0; i < 120; i++) {
            h.tick(h.now + 250_000);                      // the shell's polls: 30 s of nothing
        }
        long end = h.lastSound();
        if (last < 0) {
            assertThat(end).isZero();
        } else {
            assertThat(end).isLessThanOrEqualTo(last + 2_000_000);
        }
    }

    @Property(tries = 300)
    void withoutAWatchdogATimedToneEndsWithinTheCapsAfterTheLastAcceptedMessage(
            @ForAll @Size(max = 60) List<@net.jqwik.api.From("steps") Step> session, @ForAll boolean keyed) {
        List<Step> timedOnly = session.stream().filter(s -> s.kind() != 3).toList(); // a plain integer holds for ever
        CoreHarness h = new CoreHarness(new PlayerCore.Settings("p", SourceFilter.ANYONE,
                keyed ? new Authenticator(CoreHarness.KEY, 9) : null, 0, PlayerLimits.DEFAULTS, 23_999, true), T0);
        long last = run(h, timedOnly);
        long cap = (PlayerLimits.DEFAULT_MAX_AHEAD_MILLIS + PlayerLimits.DEFAULT_MAX_LEASE_MILLIS) * 1000L;
        assertThat(h.lastSound()).isLessThanOrEqualTo(last < 0 ? 0 : last + cap);
    }

    /** A director's honest session: increasing sequence numbers, starts a little ahead, leases of at most 2 s. */
    record Note(long delayMicros, long leadMicros, int hz, int lease, int replays, int replayPeer) {
    }

    @Provide
    Arbitrary<Note> notes() {
        return Combinators.combine(
                Arbitraries.longs().between(0, 600_000),
                Arbitraries.longs().between(-50_000, 500_000),
                Arbitraries.integers().between(0, 2_000),
                Arbitraries.integers().between(1, 2_000),
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 2)).as(Note::new);
    }

    @Property(tries = 300)
    void aReplayedSignedMessageNeverChangesWhatSounds(@ForAll @Size(min = 1, max = 50)
            List<@net.jqwik.api.From("notes") Note> notes, @ForAll long replaySeed) {
        Authenticator director = SIGNERS[0];
        CoreHarness clean = new CoreHarness(CoreHarness.keyed(), T0);
        CoreHarness attacked = new CoreHarness(CoreHarness.keyed(), T0);
        List<byte[]> captured = new ArrayList<>();
        java.util.Random r = new java.util.Random(replaySeed);
        long seq = 4_000_000_000L; // near the wrap: serial arithmetic holds across it
        for (Note n : notes) {
            clean.at(clean.now + n.delayMicros());
            attacked.at(attacked.now + n.delayMicros());
            seq = (seq + 1) & TimedMessage.MAX_SEQ;
            byte[] d = TimedCodec.encode(new TimedMessage.Tone(seq, Math.max(0, clean.now + n.leadMicros()),
                    n.hz() * 1000L, n.lease()), director);
            clean.send(d, CoreHarness.DIRECTOR);
            attacked.send(d, CoreHarness.DIRECTOR);
            captured.add(d);
            for (int i = 0; i < n.replays(); i++) {   // copies of anything captured so far, from anywhere
                attacked.send(captured.get(r.nextInt(captured.size())), PEERS[n.replayPeer()]);
            }
        }
        assertThat(describe(attacked)).isEqualTo(describe(clean));
        assertThat(attacked.core.counters().timedTones()).isEqualTo(clean.core.counters().timedTones());
    }

    private static List<String> describe(CoreHarness h) {
        return h.handed.stream().map(x -> x.change + " handed@" + x.handedMicros + " withdrawn@" + x.withdrawnMicros)
                .toList();
    }
}
