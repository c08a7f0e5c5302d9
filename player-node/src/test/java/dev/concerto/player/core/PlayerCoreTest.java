package dev.concerto.player.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.concerto.protocol.Authenticator;
import dev.concerto.protocol.DecodeResult;
import dev.concerto.protocol.RejectReason;
import dev.concerto.protocol.TimedCodec;
import dev.concerto.protocol.TimedMessage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The player core against PROTOCOL.md's "Player rules", row by row, in memory on a fake clock (one
 * frame per microsecond, so a plan reads as "hz@µs"). The player's clock starts at 10 s.
 */
class PlayerCoreTest {

    static final long T0 = 10_000_000;

    final CoreHarness h = new CoreHarness(CoreHarness.settings(), T0);

    // ---- Dispatch ---------------------------------------------------------------------------

    @Test
    void thePlainIntegerSoundsAtOnceAndHoldsWithoutAWatchdog() {
        h.send("440\n");
        assertThat(h.hzAt(T0)).isEqualTo(440);
        assertThat(h.hzAt(T0 + 3_600_000_000L)).isEqualTo(440);
        assertThat(h.core.counters().toneChanges()).isEqualTo(1);
        assertThat(h.handed.get(0).change.cause()).isEqualTo(ToneChange.Cause.PLAIN);
    }

    @Test
    void badDatagramsAreCountedPerReasonAndNeverChangeTheTone() {
        h.send("440");
        for (String bad : new String[] {"", "abc", "-5", "99999", "44O", "T 1 2", "X", "R 1 2 3 4 legacy"}) {
            h.send(bad);
        }
        h.send(new byte[] {'4', (byte) 0xc3, '0'}, CoreHarness.DIRECTOR);
        assertThat(h.handed).hasSize(1);
        assertThat(h.hzAt(T0 + 1)).isEqualTo(440);
        PlayerCounters c = h.core.counters();
        assertThat(c.datagrams()).isEqualTo(10);
        assertThat(c.dropped()).isEqualTo(9);
        assertThat(c.dropped(RejectReason.BAD_SYNTAX)).isEqualTo(2); // the short T and the R
        assertThat(c.dropped(RejectReason.NOT_ASCII)).isEqualTo(1);
    }

    @Test
    void aToneOverTheLimitIsTooLongWholeAndAnyTimedDatagramOver128() {
        String tone = "T 1 10100000 440 100";
        h.send(tone + " ".repeat(TimedCodec.MAX_TONE_BYTES - tone.length() + 1));
        h.send("S 1 1000" + " ".repeat(130));
        assertThat(h.dropped(RejectReason.TOO_LONG)).isEqualTo(2);
        assertThat(h.handed).isEmpty();
    }

    @Test
    void aFrequencyTheGeneratorCannotSoundIsOutOfRangeAndNotCountedAsAChange() {
        CoreHarness low = new CoreHarness(new PlayerCore.Settings("pwm", SourceFilter.ANYONE, null, 0,
                PlayerLimits.DEFAULTS, 1000, true), T0);
        low.send("2000");
        low.send("T 1 10100000 1500 100");
        assertThat(low.handed).isEmpty();
        assertThat(low.dropped(RejectReason.OUT_OF_RANGE)).isEqualTo(2);
        assertThat(low.core.counters().toneChanges()).isZero();
        assertThat(low.core.counters().timedTones()).isZero();
    }

    @Test
    void theAllowListDropsStrangersBeforeAnythingElse() {
        CoreHarness allow = new CoreHarness(new PlayerCore.Settings("p", a -> a[0] == 127 && a[3] == 1, null, 0,
                PlayerLimits.DEFAULTS, 23_999, true), T0);
        allow.send("440", CoreHarness.STRANGER);
        allow.send("T 1 10100000 440 100", CoreHarness.STRANGER);
        allow.send("S 1 1000", CoreHarness.STRANGER);
        assertThat(allow.dropped(RejectReason.NOT_ALLOWED)).isEqualTo(3);
        assertThat(allow.handed).isEmpty();
        assertThat(allow.replies).isEmpty();
        allow.send("440", CoreHarness.DIRECTOR);
        assertThat(allow.hzAt(T0)).isEqualTo(440);
    }

    // ---- Sync -----------------------------------------------------------------------------

    @Test
    void aSyncIsAnsweredWithT2AtReceiptAndT3AtSending() {
        h.send("S 7 123456\n");
        assertThat(h.replies).hasSize(1);
        DecodeResult<TimedMessage> r = TimedCodec.decode(h.replies.get(0), null);
        assertThat(r).isEqualTo(DecodeResult.accepted(new TimedMessage.SyncReply(7, 123_456, T0, T0,
                PlayerCore.VERSIONS)));
        assertThat(h.core.counters().syncReplies()).isEqualTo(1);
        assertThat(h.handed).isEmpty(); // a sync sounds nothing
    }

    @Test
    void aSyncReplyStatesTheOutputLatencyOnceItIsKnown() {
        h.core.outputLatency(16.14);
        h.send("S 8 123456\n");
        TimedMessage.SyncReply reply = (TimedMessage.SyncReply) ((DecodeResult.Accepted<TimedMessage>)
                TimedCodec.decode(h.replies.get(0), null)).value();
        assertThat(reply.versions()).containsExactly("legacy", "timed/1", "output-ms/16.1");
        h.core.outputLatency(Double.NaN);
        h.send("S 9 123456\n");
        TimedMessage.SyncReply without = (TimedMessage.SyncReply) ((DecodeResult.Accepted<TimedMessage>)
                TimedCodec.decode(h.replies.get(1), null)).value();
        assertThat(without.versions()).isEqualTo(PlayerCore.VERSIONS);
        assertThatThrownBy(() -> h.core.outputLatency(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- Checks table, in order ------------------------------------------------------------

    @Test
    void withAKeyUnsignedAndWronglySignedMessagesAreDropped() {
        CoreHarness k = new CoreHarness(CoreHarness.keyed(), T0);
        k.send("T 1 10100000 440 100");
        k.send(CoreHarness.signed(new Authenticator("not-the-key-of-this-player".getBytes(StandardCharsets.US_ASCII)),
                2, 10_100_000, 440_000, 100), CoreHarness.DIRECTOR);
        k.send("S 3 1000");
        k.send("440"); // a keyed player refuses the unauthenticated plain integer too
        assertThat(k.dropped(RejectReason.UNAUTHENTICATED)).isEqualTo(3);
        assertThat(k.dropped(RejectReason.FORGED)).isEqualTo(1);
        assertThat(k.handed).isEmpty();
        assertThat(k.replies).isEmpty();
        k.send(CoreHarness.signed(new Authenticator(CoreHarness.KEY, 1), 4, 10_100_000, 523_000, 100),
                CoreHarness.DIRECTOR);
        assertThat(k.plan()).containsExactly("523@10100000", "0@10200000");
    }

    @Test
    void aSequenceNumberAlreadyAcceptedIsADuplicate() {
        h.send("T 1 10100000 440 100").send("T 1 10100000 440 100").send("T 1 10150000 880 100");
        assertThat(h.dropped(RejectReason.DUPLICATE)).isEqualTo(2);
        assertThat(h.plan()).containsExactly("440@10100000", "0@10200000");
    }

    @Test
    void aMessageNotAfterTheSoundingOneIsStale() {
        h.send("T 5 10000000 440 1000");                    // sounding now
        h.at(T0 + 100_000).send("T 4 10200000 880 100");    // older than the sounding one
        assertThat(h.dropped(RejectReason.STALE)).isEqualTo(1);
        assertThat(h.plan()).containsExactly("0@11000000");
    }

    @Test
    void aMessageThatALaterOneStartsBeforeIsStale() {
        h.send("T 5 10100000 440 100");
        h.send("T 3 10150000 330 100");                     // 5 starts before it and wins: it could never sound
        assertThat(h.dropped(RejectReason.STALE)).isEqualTo(1);
        assertThat(h.plan()).containsExactly("440@10100000", "0@10200000");
    }

    @Test
    void aMessageWhoseLeaseRanOutBeforeItArrivedIsExpired() {
        h.at(T0 + 500_000).send("T 1 10100000 440 400");   // ended at 10.5 s: arrived exactly then
        assertThat(h.dropped(RejectReason.EXPIRED)).isEqualTo(1);
        assertThat(h.handed).isEmpty();
    }

    @Test
    void aMessageWhoseStartPassedPlaysAtOnceAndIsLate() {
        h.at(T0 + 50_000).send("T 1 10000000 440 100");
        assertThat(h.core.counters().late()).isEqualTo(1);
        ToneChange start = h.handed.get(0).change;
        assertThat(start.late()).isTrue();
        assertThat(start.frame()).isEqualTo(T0 + 50_000);   // the frame of its arrival
        assertThat(start.atMicros()).isEqualTo(T0);         // the time it was for
        assertThat(h.plan()).containsExactly("440@10050000", "0@10100000"); // its lease still ends at at + lease
    }

    @Test
    void otherwiseItIsScheduledAtTheFrameOfItsStart() {
        h.send("T 42 10321500 261.626 500");
        assertThat(h.plan()).containsExactly("261.626@10321500", "0@10821500");
        assertThat(h.core.counters().timedTones()).isEqualTo(1);
        assertThat(h.core.counters().late()).isZero();
    }

    // ---- Which tone sounds -------------------------------------------------------------------

    @Test
    void aResentNoteExtendsTheTone() {
        h.send("T 1 11000000 440 100").send("T 2 11050000 440 200");
        assertThat(h.hzAt(11_000_000)).isEqualTo(440);
        assertThat(h.hzAt(11_249_999)).isEqualTo(440);
        assertThat(h.hzAt(11_250_000)).isZero();
        assertThat(h.plan()).containsExactly("440@11000000", "440@11050000", "0@11250000");
    }

    @Test
    void theReorderingWindowPlaysAnOlderMessageThatCanStillSound() {
        h.send("T 5 11100000 440 100").send("T 3 11050000 330 100");
        assertThat(h.hzAt(11_050_000)).isEqualTo(330);
        assertThat(h.hzAt(11_100_000)).isEqualTo(440);
        assertThat(h.hzAt(11_200_000)).isZero();
        assertThat(h.dropped(RejectReason.STALE)).isZero();
    }

    @Test
    void atMost64FutureMessagesAreHeld() {
        for (int i = 1; i <= 70; i++) {
            h.send("T " + i + " " + (11_000_000 + i * 10_000) + " 440 5");
        }
        assertThat(h.core.counters().timedTones()).isEqualTo(70);
        // the 6 oldest sequence numbers were forgotten: nothing of them is planned
        assertThat(h.plan()).hasSize(2 * 64).doesNotContain("440@11010000");
    }

    // ---- Sources ---------------------------------------------------------------------------

    @Test
    void aToneFromAnotherSourceTakesOverAndWithdrawsTheOthersFutureChanges() {
        h.send("T 1000 10500000 440 100");
        h.send("T 1 10200000 330 100", CoreHarness.RESTARTED);   // a restarted director: low seq, new port
        assertThat(h.plan()).containsExactly("330@10200000", "0@10300000");
        assertThat(h.hzAt(10_500_000)).isZero();
    }

    @Test
    void thePlainIntegerTakesOverAndWithdrawsEveryScheduledTimedChange() {
        h.send("T 1 10500000 440 1000");
        h.send("262");
        assertThat(h.plan()).isEmpty();
        assertThat(h.hzAt(10_600_000)).isEqualTo(262);
    }

    // ---- Guards: leases, start ahead, watchdog -----------------------------------------------

    @Test
    void aLeaseLongerThanTheCapIsCutToItAndCounted() {
        h.send("T 1 10100000 440 600000");
        assertThat(h.plan()).containsExactly("440@10100000", "0@" + (10_100_000 + 10_000_000));
        assertThat(h.core.counters().leasesClamped()).isEqualTo(1);
        assertThat(h.events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PlayerEvent.Accepted.class,
                a -> assertThat(a.clamped()).isTrue()));
    }

    @Test
    void aStartFurtherAheadThanTheCapIsRefused() {
        h.send("T 1 " + (T0 + 10_000_001) + " 440 100");
        assertThat(h.dropped(RejectReason.TOO_EARLY)).isEqualTo(1);
        h.send("T 2 " + (T0 + 10_000_000) + " 440 100");
        assertThat(h.core.counters().timedTones()).isEqualTo(1);
    }

    /** Issue 18.1, exactly: --watchdog 2, one `T 7 <now+3 s> 440 600000` must not sound past the guard. */
    @Test
    void theWatchdogWithdrawsAFutureToneThatWouldStartAfterIt() {
        CoreHarness w = new CoreHarness(new PlayerCore.Settings("w", SourceFilter.ANYONE, null, 2,
                PlayerLimits.DEFAULTS, 23_999, true), T0);
        w.send("T 7 " + (T0 + 3_000_000) + " 440 600000");
        assertThat(w.core.counters().timedTones()).isEqualTo(1);
        assertThat(w.plan()).isEmpty();                     // starts after the guard: never handed over
        for (long t = T0; t <= T0 + 700_000_000; t += 250_000) {
            w.tick(t);
        }
        assertThat(w.lastSound()).isZero();
        assertThat(w.hzAt(T0 + 3_000_000)).isZero();
    }

    @Test
    void theWatchdogCutsASoundingTimedToneAtItsExactTimeAndCountsIt() {
        CoreHarness w = new CoreHarness(new PlayerCore.Settings("w", SourceFilter.ANYONE, null, 2,
                PlayerLimits.DEFAULTS, 23_999, true), T0);
        w.send("T 7 " + (T0 + 1_000_000) + " 440 10000");
        assertThat(w.plan()).containsExactly("440@11000000", "0@12000000"); // cut at the guard, not the lease end
        w.tick(T0 + 1_999_999);
        assertThat(w.core.counters().watchdogSilences()).isZero();
        w.tick(T0 + 2_100_000);
        assertThat(w.core.counters().watchdogSilences()).isEqualTo(1);
        assertThat(w.events).anySatisfy(e -> assertThat(e).isInstanceOf(PlayerEvent.Watchdog.class));
        assertThat(w.lastSound()).isEqualTo(T0 + 2_000_000);
    }

    @Test
    void newsMovesTheGuardAndTheWatchdogJudgesByWhatSounds() {
        CoreHarness w = new CoreHarness(new PlayerCore.Settings("w", SourceFilter.ANYONE, null, 2,
                PlayerLimits.DEFAULTS, 23_999, true), T0);
        w.send("440");
        w.at(T0 + 1_500_000).send("S 1 1000");             // news: the guard moves to 3.5 s after T0
        w.tick(T0 + 2_500_000);
        assertThat(w.core.counters().watchdogSilences()).isZero();
        assertThat(w.hzAt(T0 + 3_499_999)).isEqualTo(440);
        w.tick(T0 + 3_600_000);
        assertThat(w.core.counters().watchdogSilences()).isEqualTo(1);
        assertThat(w.hzAt(T0 + 3_500_000)).isZero();
        // A silent player is not "silenced" again.
        w.at(T0 + 4_000_000).send("0");
        w.tick(T0 + 9_000_000);
        assertThat(w.core.counters().watchdogSilences()).isEqualTo(1);
    }

    @Test
    void stopWithdrawsEverythingAndSilencesAtOnce() {
        h.send("T 1 10500000 440 1000").send("T 2 10700000 880 1000");
        h.core.stop(h.now, h);
        assertThat(h.plan()).isEmpty();
        assertThat(h.hzAt(10_600_000)).isZero();
        assertThat(h.handed.get(h.handed.size() - 1).change.cause()).isEqualTo(ToneChange.Cause.STOP);
    }

    // ---- Replays (with a key) ----------------------------------------------------------------

    @Test
    void aCopyOfASignedMessageFromAnyAddressIsADuplicate() {
        CoreHarness k = new CoreHarness(CoreHarness.keyed(), T0);
        Authenticator director = new Authenticator(CoreHarness.KEY, 0xd1);
        byte[] first = CoreHarness.signed(director, 1, 10_100_000, 440_000, 500);
        byte[] second = CoreHarness.signed(director, 2, 10_300_000, 523_000, 500);
        k.send(first, CoreHarness.DIRECTOR).send(second, CoreHarness.DIRECTOR);
        k.send(first, CoreHarness.STRANGER).send(second, CoreHarness.RESTARTED).send(first, CoreHarness.STRANGER);
        assertThat(k.dropped(RejectReason.DUPLICATE)).isEqualTo(3);
        assertThat(k.plan()).containsExactly("440@10100000", "523@10300000", "0@10800000");
    }

    @Test
    void aRestartedDirectorTakesOverAndTheOldSignerIsRetired() {
        CoreHarness k = new CoreHarness(CoreHarness.keyed(), T0);
        Authenticator before = new Authenticator(CoreHarness.KEY, 0xaaaa);
        Authenticator after = new Authenticator(CoreHarness.KEY, 0xbbbb);
        k.send(CoreHarness.signed(before, 100, 10_500_000, 440_000, 500), CoreHarness.DIRECTOR);
        k.send(CoreHarness.signed(after, 1, 10_200_000, 330_000, 500), CoreHarness.DIRECTOR);
        assertThat(k.plan()).containsExactly("330@10200000", "0@10700000");
        // A message of the old signer (captured before, never delivered) cannot take the player back.
        k.send(CoreHarness.signed(before, 101, 10_300_000, 880_000, 500), CoreHarness.STRANGER);
        assertThat(k.dropped(RejectReason.STALE)).isEqualTo(1);
        assertThat(k.plan()).containsExactly("330@10200000", "0@10700000");
    }

    @Test
    void aSignedMessageHeldBackLongerThanTheFreshnessWindowIsTooOld() {
        CoreHarness k = new CoreHarness(CoreHarness.keyed(), T0);
        Authenticator director = new Authenticator(CoreHarness.KEY, 0xd1);
        k.at(T0 + 2_100_000).send(CoreHarness.signed(director, 1, T0, 440_000, 5000), CoreHarness.DIRECTOR);
        assertThat(k.dropped(RejectReason.TOO_OLD)).isEqualTo(1);
        // Without a key the same message is merely late (the unkeyed protocol is unchanged).
        h.at(T0 + 2_100_000).send("T 1 " + T0 + " 440 5000");
        assertThat(h.core.counters().late()).isEqualTo(1);
    }

    @Test
    void withoutAKeyAnIdenticalMessageFromAnotherPortIsANewSource() {
        h.send("T 1 10100000 440 500");
        h.send("T 1 10100000 440 500", CoreHarness.STRANGER);
        assertThat(h.dropped(RejectReason.DUPLICATE)).isZero();
        assertThat(h.core.counters().timedTones()).isEqualTo(2);
    }

    // ---- Events ------------------------------------------------------------------------------

    @Test
    void rejectedDatagramsAreSummarisedPerReasonPerSecond() {
        for (int i = 0; i < 1000; i++) {
            h.at(T0 + i * 500).send("garbage");
        }
        h.send("-1");
        h.tick(T0 + 1_000_000);
        assertThat(h.events).filteredOn(e -> e instanceof PlayerEvent.Rejected).hasSize(2)
                .anySatisfy(e -> assertThat(((PlayerEvent.Rejected) e).count()).isEqualTo(1000));
        assertThat(h.core.counters().dropped()).isEqualTo(1001);
    }
}
